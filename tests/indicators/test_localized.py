"""Names, quarters and upload checks in the page's language, and what people typed marked as Chinese."""

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.localized import area_name_of, localized, period_name, quarter_name

pytestmark = pytest.mark.django_db


def test_a_name_follows_the_language_and_falls_back_to_chinese(shenyang):
    with translation.override("en"):
        assert localized(shenyang) == "Shenyang" == str(shenyang)
        assert localized({"name": "某地", "name_en": ""}) == "某地"  # no English curated: the Chinese
        assert quarter_name(2024, 4) == "2024 Q4"
        assert period_name(2024, 1) == "2024 Q1 (Jan–Mar)"
        assert area_name_of("210200", "大连市") == "Dalian"
        assert area_name_of("999999", "某地") == "某地"
    with translation.override("zh-hans"):
        assert localized(shenyang) == "沈阳市" == str(shenyang)
        assert quarter_name(2024, 4) == "2024年第4季度"
        assert period_name(2024, 1) == "2024年第1季度（1—3月）"
        assert area_name_of("210200", "大连市") == "大连市"


def test_every_name_in_the_plan_has_its_english(plan):
    from indicators.models import Area, Indicator
    from targets.models import Department, Project, Section, SpecialColumn, Target

    for model, field in [
        (Area, "name"),
        (Indicator, "name"),
        (Indicator, "unit"),
        (Department, "name"),
        (Section, "title"),
        (SpecialColumn, "title"),
        (Project, "name"),
        (Target, "name"),
        (Target, "unit"),
    ]:
        assert not model.objects.filter(**{f"{field}_en": ""}).exists(), f"{model.__name__}.{field}_en"


def test_the_plan_frames_in_english_keep_the_plans_sentences(plan):
    from dashboards.selectors import plan_meta

    meta = plan_meta()
    english = meta.in_english()
    pm25 = meta.target_by_code("1-02")
    assert english.targets.loc[pm25, "name"] == meta.targets.loc[pm25, "name_en"]
    assert english.targets.loc[pm25, "unit"] == "µg/m³" and english.targets.loc[pm25, "value_display"] == "≤ 34 µg/m³"
    assert english.targets.loc[pm25, "source_text"] == meta.targets.loc[pm25, "source_text"]  # quoted, not translated
    assert english.areas.loc[meta.area_by_code("210100"), "name"] == "Shenyang"
    assert english.departments.loc["eco", "name"] == "Department of Ecology and Environment"
    assert meta.areas.loc[meta.area_by_code("210100"), "name"] == "沈阳市"  # the Chinese frames are untouched


def render(text: str, **context) -> str:
    return Template("{% load localized upload_tags %}" + text).render(Context(context))


def test_template_filters(shenyang):
    issue = {"rule": "not_a_number", "message": "“abc”不是有效数字。"}
    upload = type("U", (), {"year": 2025, "quarter": 2})()
    with translation.override("en"):
        assert render("{{ a|local }} · {{ u|quarter }}", a=shenyang, u=upload) == "Shenyang · 2025 Q2"
        assert render("{{ i|issue_text }}", i=issue) == (
            'Not a valid number <span class="muted" lang="zh">“abc”不是有效数字。</span>'
        )
        assert render("{{ n|zh }}", n="沈阳.xlsx") == '<span lang="zh">沈阳.xlsx</span>'
        assert render("{{ n|zh }}", n="sy.csv") == "sy.csv"
        assert render("{{ n|zh }}", n="<b>") == "&lt;b&gt;"
    with translation.override("zh-hans"):
        assert render("{{ i|issue_text }}", i=issue) == "“abc”不是有效数字。"


def test_every_rule_an_upload_check_uses_has_its_meaning():
    import re
    from pathlib import Path

    from uploads.issues import RULES

    source = "\n".join(p.read_text() for p in Path("uploads").glob("*.py") if p.name != "issues.py")
    patterns = [r'rule\s*=\s*"([a-z_]+)"', r'file_error\(\s*"([a-z_]+)"', r'flag\(\s*[^,]+?,\s*"([a-z_]+)"']
    used = {rule for pattern in patterns for rule in re.findall(pattern, source)}
    assert len(used) > 20 and used <= set(RULES), sorted(used - set(RULES))
