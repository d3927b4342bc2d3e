"""Yearly duties through the database: observations stored by the real upload service, the real recompute, the
per-year record a report reads, and export_progress."""

import csv
import io

import pytest
from django.core.management import call_command

from progress.models import Progress
from progress.selectors import year_strip, yearly_record
from progress.services import recompute_progress
from targets.models import Target

pytestmark = pytest.mark.postgres  # also run on PostgreSQL by `make test` (bin/test-postgres-only)

DRILLS = "city_env_emergency_drills"  # 2.5.6-08 市级突发环境事件应急演练: ≥ 2 a year, 2022–2025


def row(year, quarter, target="2.5.6-08", area="210100"):
    return Progress.objects.get(target__code=target, area__code=area, year=year, quarter=quarter)


def export(year, quarter) -> dict:
    out = io.StringIO()
    call_command("export_progress", "--year", str(year), "--quarter", str(quarter), stdout=out)
    return {(r["target_code"], r["area_code"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}


@pytest.fixture
def shenyang_drills(plan, observe):
    """沈阳's city drills: 2 in 2022, 1 in 2023, 3 in 2024, nothing yet for 2025."""
    observe(("210100", DRILLS, 2022, 4, 2), ("210100", DRILLS, 2023, 4, 1), ("210100", DRILLS, 2024, 4, 3))
    recompute_progress(through=(2025, 4))


def test_each_year_of_the_city_drills_is_judged_on_its_own(shenyang_drills):
    r = row(2023, 4)
    assert (r.actual, r.year_state, r.years_met, r.years_due, r.status) == (1.0, "missed", 1, 2, "off_track")
    assert r.actual_observation.year == 2023  # the year's own report, traceable to its upload
    r = row(2024, 4)
    assert (r.actual, r.year_state, r.years_met, r.years_due) == (3.0, "met", 2, 3)
    r = row(2025, 2)  # not yet due, nothing reported so far this year: 2024's three drills do not count for 2025
    assert (r.actual, r.expected, r.time_share, r.year_state) == (None, 1.0, 0.5, "not_due")
    assert (r.years_met, r.years_due, r.status) == (2, 3, "off_track")  # 2023 was missed
    r = row(2025, 4)  # the year is over with no 2025 report: not met
    assert (r.actual, r.year_state, r.years_met, r.years_due, r.status) == (None, "no_data", 2, 4, "off_track")
    assert Progress.objects.filter(target__code="2.5.6-08", year_state__isnull=False, year=2021).count() == 0


def test_a_report_reads_every_year_of_the_record(shenyang_drills, shenyang):
    drills = Target.objects.get(code="2.5.6-08")
    record = yearly_record(target=drills, area=shenyang, year=2025, quarter=2)
    assert [(y.year, y.state, y.value) for y in record] == [
        (2022, "met", 2.0),
        (2023, "missed", 1.0),
        (2024, "met", 3.0),
        (2025, "not_due", None),
    ]
    assert [(y.target, y.expected, str(y.deadline)) for y in record][-2:] == [
        (2.0, 2.0, "2024-12-31"),
        (2.0, 1.0, "2025-12-31"),
    ]
    assert year_strip(record) == "2022 ✓ · 2023 ✗ · 2024 ✓ · 2025 …"
    lists = Target.objects.get(code="2.2.1-04")  # 每年9月底前: nothing reported, every year so far unreported
    assert [
        (y.year, y.state, str(y.deadline)) for y in yearly_record(target=lists, area=shenyang, year=2023, quarter=3)
    ] == [
        (2022, "no_data", "2022-09-30"),
        (2023, "no_data", "2023-09-30"),
    ]
    assert yearly_record(target=Target.objects.get(code="1-02"), area=shenyang, year=2025, quarter=2) == []


def test_export_progress_shows_the_years(shenyang_drills):
    q2, q4 = export(2025, 2)[("2.5.6-08", "210100")], export(2025, 4)[("2.5.6-08", "210100")]
    assert (q2["status"], q2["year_state"], q2["actual"], q2["expected"]) == ("off_track", "not_due", "", "1.0")
    assert (q4["status"], q4["year_state"], q4["years_met"], q4["years_due"]) == ("off_track", "no_data", "2", "4")
    assert q4["year_record"] == "2022 met; 2023 missed; 2024 met; 2025 no_data"
    pm25 = export(2025, 4)[("1-02", "210100")]
    assert (pm25["year_state"], pm25["years_met"], pm25["year_record"]) == ("", "", "")


def test_an_incremental_recompute_of_a_yearly_duty_matches_a_full_one(shenyang_drills, observe, shenyang):
    upload = observe(("210100", DRILLS, 2025, 3, 2))
    drills = upload.observations.get().indicator_id
    recompute_progress(area_ids=[shenyang.pk], indicator_ids=[drills], through=(2025, 4))
    fields = ["target_id", "area_id", "year", "quarter", "actual", "status", "year_state", "years_met", "years_due"]
    incremental = sorted(Progress.objects.values_list(*fields))
    assert (row(2025, 4).year_state, row(2025, 4).years_met) == ("met", 3)
    recompute_progress(through=(2025, 4))
    assert sorted(Progress.objects.values_list(*fields)) == incremental
