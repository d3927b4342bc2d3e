import csv
import io

import pytest
from django.core.management import call_command

from targets.models import Department, Measure, Responsibility, Target
from targets.services import load_plan


def test_loading_twice_changes_nothing(plan):
    count = Target.objects.count()
    report = load_plan(plan)
    assert not report.changed
    assert Target.objects.count() == count == len(plan.targets)


def test_load_plan_updates_an_edited_target_and_keeps_its_history(plan):
    target = Target.objects.get(code=plan.targets[0]["code"])
    target.value = (target.value or 0) + 1
    target.save()
    report = load_plan(plan)
    assert report.updated["target"] == 1
    target.refresh_from_db()
    assert target.value == plan.targets[0].get("value", target.value)
    assert target.history.count() >= 2


def test_measure_departments_follow_the_clause(plan):
    measure = Measure.objects.get(
        responsibility_text__startswith="省农业农村厅牵头，省自然资源厅、省生态环境厅、省水利厅"
    )
    roles = {(r.department.name, r.role) for r in measure.responsibilities.all()}
    assert roles == {
        ("省农业农村厅", Responsibility.Role.LEAD),
        ("省自然资源厅", Responsibility.Role.COOPERATING),
        ("省生态环境厅", Responsibility.Role.COOPERATING),
        ("省水利厅", Responsibility.Role.COOPERATING),
    }


def test_battle_opening_inherits_the_battles_departments(plan):
    opening = Measure.objects.get(code="M2.2.2-1")
    inherited = set(opening.responsibilities.values_list("department__code", flat=True))
    named = set(
        Responsibility.objects.filter(measure__section__code="2.2.2", measure__inherits_section=False).values_list(
            "department__code", flat=True
        )
    )
    assert inherited == named
    assert "eco" in inherited


def test_export_plan_lists_every_commitment_with_its_departments(plan):
    out = io.StringIO()
    call_command("export_plan", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [
        "code",
        "area_code",
        "section",
        "name",
        "indicator",
        "comparator",
        "target_value",
        "unit",
        "baseline_year",
        "baseline_value",
        "target_year",
        "recurrence",
        "first_year",
        "last_year",
        "deadline_in_year",
        "scope",
        "lead_departments",
        "cooperating_departments",
        "special_column",
        "source_text",
    ]
    area_values = sum(len(t.get("area_values") or {}) for t in plan.targets)
    assert len(rows) == len(plan.targets) + area_values
    assert all(row["lead_departments"] for row in rows)
    assert any(row["special_column"] for row in rows)
    by_code = {row["code"]: row for row in rows if row["area_code"] == "210000"}
    sample = plan.targets[0]
    assert by_code[sample["code"]]["source_text"] == sample["source"]
    lists = by_code["2.2.1-04"]  # 每年9月底前完成应急减排措施清单制（修）订
    assert [lists[k] for k in ("recurrence", "first_year", "last_year", "deadline_in_year", "target_value")] == [
        "yearly",
        "2022",
        "2025",
        "09-30",
        "2025-09-30",
    ]
    assert (by_code[sample["code"]]["recurrence"], by_code[sample["code"]]["first_year"]) == ("once", "")


def test_every_department_answers_for_something(plan):
    idle = Department.objects.filter(responsibilities__isnull=True)
    assert list(idle) == []


def test_export_plan_has_a_row_for_each_areas_own_commitment_after_its_target(plan):
    out = io.StringIO()
    call_command("export_plan", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    sentence = "地级及以上缺水城市沈阳市"
    reuse = [(r["area_code"], r["target_value"]) for r in rows if r["source_text"].startswith(sentence)]
    assert reuse == [("210000", "25"), ("210100", "30"), ("210200", "40")]
    pipes = [r for r in rows if r["code"] == "ZL4-1-01"]
    assert pipes[0]["area_code"] == "210000" and len({r["source_text"] for r in pipes}) == 1
    assert sum(float(r["target_value"]) for r in pipes[1:]) == pytest.approx(float(pipes[0]["target_value"]))


def test_export_plan_writes_a_revised_name_that_looks_like_a_formula_as_text(plan):
    from targets.models import Target

    Target.objects.filter(code="ZL4-1-01").update(name='=HYPERLINK("http://evil","x")')
    out = io.StringIO()
    call_command("export_plan", "--format", "csv", stdout=out)
    names = {r["name"] for r in csv.DictReader(io.StringIO(out.getvalue())) if r["code"] == "ZL4-1-01"}
    assert names == {'\'=HYPERLINK("http://evil","x")'}
