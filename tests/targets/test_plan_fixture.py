"""The curated fixture against the plan's own text: every quotation verbatim, every value in its quotation."""

import re

import pytest
import yaml

from targets.fixture import PlanFixtureError, format_number, parse_responsibility, read_plan_fixture
from targets.plan_text import PLAN_DIR, plan_text

FIXTURE = read_plan_fixture()
PLAN = plan_text()
UNITS_EN = yaml.safe_load((PLAN_DIR / "units.yaml").read_text("utf-8"))
HAN = re.compile(r"[\u4e00-\u9fff]")
# Every plan object the pages name, with the key that holds its English name.
ENGLISH_NAMES = [
    (f"{kind} {row.get('code', row.get('number'))}", row.get(key))
    for kind, rows, key in (
        ("target", FIXTURE.targets, "name_en"),
        ("section", FIXTURE.sections, "title_en"),
        ("special column", FIXTURE.special_columns, "title_en"),
        ("project", FIXTURE.projects, "name_en"),
        ("measure", FIXTURE.measures, "title_en"),
        ("indicator", FIXTURE.indicators, "name_en"),
        ("area", FIXTURE.areas, "name_en"),
        ("department", FIXTURE.departments, "name_en"),
    )
    for row in rows
]


@pytest.mark.parametrize("target", FIXTURE.targets, ids=lambda t: t["code"])
def test_target_source_is_verbatim_and_holds_its_value(target):
    assert target["source"] in PLAN
    assert PLAN[target["source_offset"] :].startswith(target["source"])
    if target.get("value_from_areas"):
        assert target["value"] == pytest.approx(sum(target["area_values"].values()))
    elif target["comparator"] != "done_by":
        assert str(target.get("value_text") or format_number(target["value"])) in target["source"]


def test_fixture_holds_well_over_a_hundred_commitments():
    assert len(FIXTURE.targets) > 100
    kinds = {t["comparator"] for t in FIXTURE.targets}
    assert {"le", "ge", "reduce_pct", "reduce_abs", "done_by"} <= kinds


def test_every_special_column_has_projects_and_quantities():
    columns_with_projects = {p["special_column"] for p in FIXTURE.projects}
    columns_with_targets = {t["special_column"] for t in FIXTURE.targets if t.get("special_column")}
    assert columns_with_projects == set(range(1, 9))
    assert len(columns_with_targets) >= 7


def test_every_responsibility_clause_in_the_plan_is_a_measure():
    clauses = {m.group(1) for m in re.finditer(r"（([^（）]*负责[^（）]*)）", PLAN)}
    curated = {m.get("responsibility") for m in FIXTURE.measures}
    assert clauses - curated == set()


def test_every_department_named_in_a_clause_is_recognised():
    for measure in FIXTURE.measures:
        if measure.get("responsibility"):
            _, leftover = parse_responsibility(measure["responsibility"], FIXTURE.departments)
            assert leftover == "", measure["code"]


def test_spelling_variants_of_one_department_are_merged():
    housing = [d for d in FIXTURE.departments if d["name"] == "省住房城乡建设厅"]
    assert len(housing) == 1
    for variant in ("省住房和城乡建设厅", "省城乡住房建设厅"):
        roles, _ = parse_responsibility(f"{variant}牵头，省水利厅等按职责分工负责", FIXTURE.departments)
        assert roles == [(housing[0]["code"], "lead"), ("water", "cooperating")]


def test_clause_without_lead_makes_every_department_lead():
    roles, leftover = parse_responsibility("省生态环境厅、省气象局等按职责分工负责", FIXTURE.departments)
    assert roles == [("eco", "lead"), ("meteo", "lead")]
    assert leftover == ""


def test_unknown_department_is_reported_as_leftover():
    _, leftover = parse_responsibility("省生态环境厅牵头，省宇航局等按职责分工负责", FIXTURE.departments)
    assert leftover == "省宇航局"


def test_areas_are_the_province_its_cities_and_the_pilot_zone():
    levels = [a["level"] for a in FIXTURE.areas]
    assert levels.count("province") == 1
    assert levels.count("city") == 14
    assert levels.count("pilot_zone") == 1
    assert all(re.fullmatch(r"\d{6}", a["code"]) for a in FIXTURE.areas)


def test_every_plan_object_has_an_english_name():
    missing = [label for label, name in ENGLISH_NAMES if not isinstance(name, str) or not name.strip()]
    assert missing == []


def test_no_english_name_contains_chinese():
    chinese = [f"{label}: {name}" for label, name in ENGLISH_NAMES if HAN.search(str(name or ""))]
    assert chinese == []


def test_every_unit_used_has_its_english_in_units_yaml():
    used = {row["unit"] for row in [*FIXTURE.targets, *FIXTURE.indicators]}
    assert used - set(UNITS_EN) == set()
    assert [unit for unit, english in UNITS_EN.items() if not isinstance(english, str) or HAN.search(english)] == []


def test_a_misquoted_source_is_refused(tmp_path):
    for name in ("areas", "departments", "sections", "measures", "special_columns"):
        (tmp_path / f"{name}.yaml").write_text((PLAN_DIR / f"{name}.yaml").read_text("utf-8"), "utf-8")
    for folder in ("projects", "indicators", "targets"):
        (tmp_path / folder).mkdir()
    (tmp_path / "indicators" / "x.yaml").write_text(
        "- {code: pm25, name: PM2.5, unit: ug, kind: level, direction: lower, min_value: 0, max_value: 500,"
        " aggregation: mean, reported_by: city}\n",
        "utf-8",
    )
    (tmp_path / "targets" / "x.yaml").write_text(
        "- {code: '1-01', section: '1', measure: M1-1, indicator: pm25, name: x, comparator: le, value: 33,"
        " unit: ug, target_year: 2025, scope: province, source: 平均浓度下降到34微克/立方米}\n",
        "utf-8",
    )
    with pytest.raises(PlanFixtureError) as error:
        read_plan_fixture(tmp_path)
    assert error.value.problems == ["x.yaml: 1-01: value '33' does not appear in its source"]


def test_every_duty_the_plan_sets_every_year_is_a_yearly_target():
    yearly = [t for t in FIXTURE.targets if t["recurrence"] == "yearly"]
    covered = [(t["source_offset"], t["source_offset"] + len(t["source"])) for t in yearly]
    every_year = [m.start() for m in re.finditer("每年", PLAN)]
    assert len(every_year) == 6  # 9月底前 lists, oil-vapour checks, spot checks, demonstration counties, two drills
    assert [at for at in every_year if not any(start <= at < end for start, end in covered)] == []
    for t in yearly:
        # "十四五"期间 runs from 2021; every other yearly duty from 2022, the plan's own year; all end with 2025.
        assert (t["first_year"], t["last_year"]) == (2021 if "十四五" in t["source"] else 2022, 2025), t["code"]
        dated = re.search(r"每年(\d+)月底前", t["source"])
        assert t.get("deadline_in_year") == (f"{int(dated.group(1)):02d}-30" if dated else None), t["code"]


def _fixture_with_targets(tmp_path, targets_yaml: str, indicators_yaml: str):
    for name in ("areas", "departments", "sections", "measures", "special_columns"):
        (tmp_path / f"{name}.yaml").write_text((PLAN_DIR / f"{name}.yaml").read_text("utf-8"), "utf-8")
    for folder in ("projects", "indicators", "targets"):
        (tmp_path / folder).mkdir()
    (tmp_path / "indicators" / "x.yaml").write_text(indicators_yaml, "utf-8")
    (tmp_path / "targets" / "x.yaml").write_text(targets_yaml, "utf-8")
    with pytest.raises(PlanFixtureError) as error:
        read_plan_fixture(tmp_path)
    return error.value.problems


def test_a_yearly_duty_that_is_not_read_year_by_year_is_refused(tmp_path):
    indicators = (
        "- {code: drills, name: 演练次数, unit: 次, kind: count, direction: higher, min_value: 0, max_value: 50,"
        " aggregation: sum, reported_by: city, seasonal: true}\n"
        "- {code: lists, name: 清单, unit: '%', kind: completion, direction: higher, min_value: 0, max_value: 100,"
        " aggregation: mean, reported_by: city}\n"
    )
    row = "section: '2.5.6', measure: M2.5.6-1, name: x, unit: 次, scope: each_city, source: 市级及化工园区每年2次"
    targets = "".join(
        f"- {{code: '{code}', {row}, {fields}}}\n"
        for code, fields in [
            ("A", "indicator: drills, comparator: ge, value: 2, target_year: 2022"),
            ("B", "indicator: drills, comparator: le, value: 2, target_year: 2025, recurrence: yearly,"
                  " first_year: 2022, last_year: 2025"),
            ("C", "indicator: drills, comparator: ge, value: 2, target_year: 2024, recurrence: yearly,"
                  " first_year: 2022, last_year: 2025, deadline_in_year: '02-29'"),
            ("D", "indicator: lists, comparator: done_by, deadline: 2022-09-30, target_year: 2025, recurrence: yearly,"
                  " first_year: 2022, last_year: 2025, deadline_in_year: '09-30'"),
            ("E", "indicator: drills, comparator: ge, value: 2, target_year: 2025, first_year: 2022"),
        ]
    )  # fmt: skip
    assert _fixture_with_targets(tmp_path, targets, indicators) == [
        "x.yaml: A: the plan sets it every year (每年): recurrence yearly",
        "x.yaml: B: a yearly target is ge or done_by: each year starts from zero",
        "x.yaml: C: a yearly target's target_year is its last_year",
        "x.yaml: C: deadline_in_year must be a day every year has, as MM-DD (每年9月底前 → 09-30)",
        "x.yaml: D: a yearly target's indicator must restart every January (seasonal: true)",
        "x.yaml: D: a yearly done_by target's deadline is that of its last year, 2025-09-30",
        "x.yaml: E: the plan sets it every year (每年): recurrence yearly",
        "x.yaml: E: first_year belongs to a yearly target",
    ]
