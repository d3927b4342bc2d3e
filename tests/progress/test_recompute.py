"""The Progress table from real observations: worked examples through the database, incremental = full, every kind
of commitment in the plan gets a status, concurrent recomputes, the export, overrides."""

import csv
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from indicators.models import Area
from progress.models import Progress, StatusOverride
from progress.services import build_assignments, override_status, recompute_progress
from targets.models import Target
from uploads.models import Observation

pytestmark = pytest.mark.postgres  # also run on PostgreSQL by `make test` (bin/test-postgres-only)


def row(target_code, area_code, year, quarter):
    return Progress.objects.get(target__code=target_code, area__code=area_code, year=year, quarter=quarter)


def test_pm25_worked_example_through_the_database(plan, observe):
    # 沈阳: 40 in 2020 (baseline), 36 in 2024 against ≤ 34 by 2025. At 2024 Q4 the time share is 16/20 = 0.8,
    # expected 40 + 0.8 × (34 − 40) = 35.2, progress (36 − 40)/(34 − 40) = 0.667: ≥ 0.60 × 0.8 but < 0.95 × 0.8.
    observe(("210100", "pm25", 2020, 4, 40.0), ("210100", "pm25", 2024, 4, 36.0))
    recompute_progress(through=(2024, 4))
    p = row("1-02", "210100", 2024, 4)
    assert (p.actual, p.baseline, p.baseline_source, p.target_value) == (36.0, 40.0, "observed", 34.0)
    assert p.time_share == pytest.approx(0.8)
    assert p.expected == pytest.approx(35.2)
    assert p.progress_ratio == pytest.approx(2 / 3)
    assert p.status == "at_risk"
    assert p.actual_observation.upload.uploaded_by.username == "admin"  # traceable to the upload and person


def test_province_value_is_derived_from_the_cities_by_the_indicators_rule(plan, observe):
    observe(
        ("210100", "pm25", 2020, 4, 40.0),
        ("210200", "pm25", 2020, 4, 30.0),
        ("210100", "pm25", 2024, 4, 36.0),
        ("210200", "pm25", 2024, 4, 30.0),
    )
    recompute_progress(through=(2024, 4))
    province = row("1-02", "210000", 2024, 4)
    assert province.actual == pytest.approx(33.0)  # the mean of the two cities that reported
    assert province.actual_derived_from == 2
    assert province.status == "achieved"


def test_incremental_recompute_matches_a_full_one(plan, observe, shenyang):
    observe(
        ("210100", "pm25", 2020, 4, 40.0),
        ("210200", "pm25", 2020, 4, 38.0),
        ("210100", "pm25", 2023, 4, 37.0),
        ("210200", "pm25", 2023, 4, 36.0),
    )
    recompute_progress(through=(2024, 4))
    upload = observe(("210100", "pm25", 2024, 4, 35.0))
    pm25 = upload.observations.get().indicator_id
    recompute_progress(area_ids=[shenyang.pk], indicator_ids=[pm25], through=(2024, 4))
    fields = [
        "target_id",
        "area_id",
        "year",
        "quarter",
        "actual",
        "expected",
        "progress_ratio",
        "status",
        "projection",
        "sdg_status",
    ]
    incremental = sorted(Progress.objects.values_list(*fields))
    recompute_progress(through=(2024, 4))
    assert sorted(Progress.objects.values_list(*fields)) == incremental
    assert row("1-02", "210100", 2024, 4).actual == 35.0


def test_every_kind_of_commitment_in_the_plan_yields_a_status(plan, admin_user):
    from demo.generator import demo_observations
    from tests.factories import store_frame

    store_frame(demo_observations(through=(2025, 4)), uploaded_by=admin_user)
    recompute_progress(through=(2025, 4))
    assessed = {"achieved", "on_track", "at_risk", "off_track", "regressing", "overdue"}
    province = dict(
        Progress.objects.filter(area__code="210000", year=2025, quarter=4).values_list("target__code", "status")
    )
    assert set(province) == set(Target.objects.values_list("code", flat=True))
    unassessed = {code: status for code, status in province.items() if status not in assessed}
    assert unassessed == {}
    kinds = set(Target.objects.values_list("comparator", "indicator__kind"))
    assert len(kinds) >= 8  # levels, shares, both reductions, cumulative quantities, counts, deadlines …


def test_each_city_target_is_assessed_for_every_city_and_totals_only_for_the_province(plan):
    frame = build_assignments()
    pm25 = Target.objects.get(code="1-02")
    assert frame[frame["target_id"] == pm25.pk]["area_id"].nunique() == 16  # province, 14 cities, 沈抚示范区
    boilers = Target.objects.get(code="ZL1-2-03")  # 全省淘汰锅炉2000蒸吨: a provincial total
    assert boilers.indicator.aggregation == "sum"
    assert list(frame[frame["target_id"] == boilers.pk]["area_id"]) == [Area.objects.get(code="210000").pk]
    pipes = Target.objects.get(code="ZL4-1-01")  # per-area kilometres
    named = frame[frame["target_id"] == pipes.pk].set_index("area_id")["value"]
    assert named[Area.objects.get(code="210300").pk] == 8.6


def test_two_recomputes_at_once_leave_no_duplicate_or_half_written_rows(transactional_db, plan, observe, shenyang):
    upload = observe(("210100", "pm25", 2020, 4, 40.0), ("210100", "pm25", 2024, 4, 36.0))
    recompute_progress(through=(2024, 4))
    expected = len(build_assignments()) * 16  # 2021 Q1 … 2024 Q4
    pm25 = upload.observations.first().indicator_id
    failures = []

    def run():  # two workers recomputing after two uploads of the same city, at the same moment
        try:
            recompute_progress(area_ids=[shenyang.pk], indicator_ids=[pm25], through=(2024, 4))
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    assert Progress.objects.count() == expected
    assert Progress.objects.values("target", "area", "year", "quarter").distinct().count() == expected


def test_recompute_progress_command_and_export(plan, observe, capsys):
    observe(("210100", "pm25", 2020, 4, 40.0), ("210100", "pm25", 2024, 4, 36.0))
    call_command("recompute_progress")
    call_command("recompute_progress", "--area", "210100")
    assert "已计算" in capsys.readouterr().out
    out = io.StringIO()
    call_command("export_progress", "--year", "2024", "--quarter", "4", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [
        "target_code",
        "area_code",
        "actual",
        "baseline",
        "target",
        "expected",
        "time_share",
        "progress_ratio",
        "gap",
        "status",
        "projection",
        "year_state",
        "years_met",
        "years_due",
        "actual_year",
        "actual_quarter",
        "upload",
        "note",
        "year_record",
    ]
    sy = next(r for r in rows if (r["target_code"], r["area_code"]) == ("1-02", "210100"))
    assert (float(sy["actual"]), float(sy["expected"]), sy["status"]) == (36.0, 35.2, "at_risk")
    upload = Observation.objects.get(area__code="210100", year=2024, quarter=4).upload_id
    assert (sy["actual_year"], sy["actual_quarter"], sy["upload"]) == ("2024", "4", str(upload))


def test_export_progress_writes_a_formula_typed_in_an_uploaded_note_as_text(plan, admin_user):
    from django.core.files.base import ContentFile

    from uploads.services import process_upload, receive_upload

    csv_text = (
        'area_code,indicator_code,year,quarter,value,note\n210100,pm25,2024,4,36,"=HYPERLINK(""http://x"",""y"")"\n'
    )
    upload = receive_upload(file=ContentFile(csv_text.encode(), name="n.csv"), user=admin_user, queue=False)
    assert process_upload(upload.pk, recompute=False).status == "accepted"
    recompute_progress(through=(2024, 4))
    out = io.StringIO()
    call_command("export_progress", "--year", "2024", "--quarter", "4", "--format", "csv", stdout=out)
    notes = {r["note"] for r in csv.DictReader(io.StringIO(out.getvalue())) if r["area_code"] == "210100"}
    assert '\'=HYPERLINK("http://x","y")' in notes and not any(n.startswith("=") for n in notes)


def test_an_administrator_overrides_a_status_with_a_reason_kept_in_history(
    plan, observe, admin_user, province_user, shenyang
):
    observe(("210100", "pm25", 2020, 4, 40.0), ("210100", "pm25", 2024, 4, 36.0))
    recompute_progress(through=(2024, 4))
    target = Target.objects.get(code="1-02")
    with pytest.raises(PermissionDenied):
        override_status(
            target=target, area=shenyang, year=2024, quarter=4, status="on_track", reason="x", user=province_user
        )
    with pytest.raises(ValidationError):
        override_status(
            target=target, area=shenyang, year=2024, quarter=4, status="on_track", reason=" ", user=admin_user
        )
    override_status(
        target=target,
        area=shenyang,
        year=2024,
        quarter=4,
        status="on_track",
        reason="冬季沙尘输入，经省站核定剔除后达序时进度",
        user=admin_user,
    )
    override = override_status(
        target=target,
        area=shenyang,
        year=2024,
        quarter=4,
        status="off_track",
        reason="复核后撤回剔除，恢复计算状态",
        user=admin_user,
    )
    assert row("1-02", "210100", 2024, 4).status == "at_risk"  # the computed status stays
    recompute_progress(through=(2024, 4))
    assert StatusOverride.objects.get().status == "off_track"  # and the override survives a recompute
    assert [h.reason for h in override.history.order_by("history_date")] == [
        "冬季沙尘输入，经省站核定剔除后达序时进度",
        "复核后撤回剔除，恢复计算状态",
    ]


def test_a_per_city_value_edited_in_the_admin_is_recomputed(plan, observe, admin_user, client):
    from django.test import TestCase

    from targets.models import TargetAreaValue

    observe(("210100", "wastewater_reuse_rate", 2020, 4, 20.0), ("210100", "wastewater_reuse_rate", 2024, 4, 26.0))
    recompute_progress(through=(2024, 4))
    value = TargetAreaValue.objects.get(target__code="2.1.1-12", area__code="210100")
    assert row("2.1.1-12", "210100", 2024, 4).target_value == 30.0
    client.force_login(admin_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/admin/targets/target/{value.target_id}/change/",
            {
                **_target_form(value.target),
                "area_values-TOTAL_FORMS": "2",
                "area_values-INITIAL_FORMS": "2",
                "area_values-0-id": str(value.pk),
                "area_values-0-target": str(value.target_id),
                "area_values-0-area": str(value.area_id),
                "area_values-0-value": "32",
                **_other_area_value(value.target, skip=value.pk),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert row("2.1.1-12", "210100", 2024, 4).target_value == 32.0


def _target_form(target):
    fields = [
        "code",
        "name",
        "comparator",
        "value",
        "value_text",
        "unit",
        "unit_en",
        "name_en",
        "target_year",
        "recurrence",
        "first_year",
        "last_year",
        "deadline_in_year",
        "baseline_year",
        "baseline_value",
        "scope",
        "source_text",
        "source_offset",
        "note",
    ]
    data = {name: "" if getattr(target, name) is None else getattr(target, name) for name in fields}
    data.update(
        section=target.section_id,
        measure=target.measure_id,
        indicator=target.indicator_id,
        binding="on" if target.binding else "",
        deadline=target.deadline or "",
        special_column=target.special_column_id or "",
        project=target.project_id or "",
        # every admin edit is a plan revision, with its reason and document number
        revision_reason="沈阳市再生水利用目标经省政府同意调整。",
        revision_document="辽政函〔2024〕15号",
    )
    return data


def _other_area_value(target, skip):
    other = target.area_values.exclude(pk=skip).get()
    return {
        "area_values-1-id": str(other.pk),
        "area_values-1-target": str(target.pk),
        "area_values-1-area": str(other.area_id),
        "area_values-1-value": f"{other.value:g}",
    }


def test_a_full_recompute_leaves_the_tables_indexes_in_place_even_with_nothing_to_write(plan):
    def keys():
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, Progress._meta.db_table)
        return {name: (c["columns"], c["unique"]) for name, c in found.items() if c["index"] or c["unique"]}

    before = keys()
    assert {"progress_period_status", "progress_area_period", "one_progress_per_quarter"} <= set(before)
    recompute_progress(through=(2024, 4))  # rows for every assignment, no data: all no_data
    recompute_progress(through=(2020, 4), assignments=build_assignments().iloc[0:0])  # nothing at all to write
    assert keys() == before


def test_an_override_names_a_computed_quarter_and_a_real_reason(plan, observe, admin_user, shenyang, client):
    from django.urls import reverse

    observe(("210100", "pm25", 2020, 4, 40.0), ("210100", "pm25", 2024, 4, 36.0))
    recompute_progress(through=(2024, 4))
    target = Target.objects.get(code="1-02")
    good = "监测站点搬迁，经省站核定后按序时推进。"
    messages = {}
    cases = [(2031, 4, good, "year"), (2024, 5, good, "quarter"), (2024, 4, "测试", "reason")]
    for year, quarter, reason, field in cases:
        with pytest.raises(ValidationError) as error:
            override_status(
                target=target, area=shenyang, year=year, quarter=quarter, status="on_track", reason=reason,
                user=admin_user,
            )  # fmt: skip
        assert list(error.value.message_dict) == [field]
        messages[field] = error.value.message_dict[field][0]
    assert "可认定的季度为2021年第1季度至2024年第4季度" in messages["year"]
    assert "理由至少 10 个字" in messages["reason"]

    client.force_login(admin_user)
    form = {"target": target.pk, "area": shenyang.pk, "status": "on_track", "document_number": ""}
    response = client.post(
        reverse("admin:progress_statusoverride_add"), {**form, "year": 2031, "quarter": 5, "reason": "测试"}
    )
    errors = response.context["adminform"].form.errors
    assert response.status_code == 200 and not StatusOverride.objects.exists()
    assert "quarter" in errors and "reason" in errors
    response = client.post(
        reverse("admin:progress_statusoverride_add"),
        {**form, "year": 2024, "quarter": 4, "reason": good, "document_number": "辽环函〔2025〕9号"},
    )
    assert response.status_code == 302
    assert StatusOverride.objects.get().document_number == "辽环函〔2025〕9号"


def test_a_projection_past_the_valid_range_is_held_and_flagged_on_both_write_paths(plan, observe):
    # 沈阳's good-air-days share climbing 80 → 92 → 98 projects past 100 % by 2025: stored as 100, flagged (COPY on
    # PostgreSQL, the portable insert on SQLite), and the share of the projection that reaches the target is ≤ 1.
    observe(("210100", "good_air_days_ratio", 2020, 4, 80.0), ("210100", "good_air_days_ratio", 2021, 4, 92.0))
    observe(("210100", "good_air_days_ratio", 2022, 4, 98.0))
    recompute_progress(through=(2022, 4))
    p = row("1-03", "210100", 2022, 4)
    assert p.projection == 100.0 and p.projection_clipped
    assert p.projection_status == "likely" and p.projection_ratio == 1.0
    assert not row("1-03", "210100", 2021, 3).projection_clipped
    assert not Progress.objects.filter(projection__gt=100, target__indicator__code="good_air_days_ratio").exists()
