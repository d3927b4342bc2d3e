"""Yearly duties (docs/progress.md §15): every year judged on its own, the row's status read from the record of the
years. Worked examples computed by hand, checked against progress.engine (which hands yearly duties to
progress.yearly); the numbers here are the numbers in the docs.
"""

import math

import numpy as np
import pandas as pd
import pytest

from .test_engine import assignment, at, obs, run


def yearly(first=2022, last=2025, deadline_in_year="", **fields):
    row = {
        "comparator": "ge",
        "kind": "count",
        "seasonal": True,
        "baseline_year": np.nan,
        "target_year": last,
        "recurrence": "yearly",
        "first_year": first,
        "last_year": last,
        "deadline_in_year": deadline_in_year,
    }
    return assignment(**(row | fields))


def once(**fields):
    return assignment(recurrence="once", first_year=np.nan, last_year=np.nan, deadline_in_year="", **fields)


def test_city_drills_year_by_year():
    # 市级突发环境事件应急演练 ≥ 2 a year, 2022–2025: 2 drills in 2022, 1 in 2023, 3 in 2024, nothing yet in 2025.
    rows = [yearly(value=2.0)]
    observations = [
        obs(10, 100, 2022, 4, 2.0),
        obs(10, 100, 2023, 4, 1.0, observation_id=23),
        obs(10, 100, 2024, 4, 3.0),
    ]
    result = run(rows, observations)
    r = at(result, 2021, 4)  # before the duty's first year: nothing to judge
    assert r.status == "no_data" and pd.isna(r.year_state) and pd.isna(r.years_met) and math.isnan(r.actual)
    r = at(result, 2022, 4)
    assert (r.year_state, r.years_met, r.years_due, r.status, r.schedule_ratio) == ("met", 1, 1, "achieved", 1.0)
    r = at(result, 2023, 2)  # no 2023 report yet: 2022's two drills do not count for 2023
    assert math.isnan(r.actual) and r.year_state == "not_due"
    assert (r.time_share, r.expected) == (0.5, 1.0)
    assert (r.years_met, r.years_due, r.status) == (1, 1, "at_risk")  # 0 so far against the year's 序时进度 of 1
    assert r.schedule_ratio == pytest.approx(0.5)  # (1 + 0) / 2
    r = at(result, 2023, 4)
    assert (r.actual, r.actual_year, r.actual_quarter, r.actual_observation_id) == (1.0, 2023, 4, 23)
    assert (r.year_state, r.years_met, r.years_due, r.status) == ("missed", 1, 2, "off_track")
    assert (r.gap, r.progress_ratio, r.schedule_ratio) == (1.0, 0.5, 0.75)
    r = at(result, 2024, 4)
    assert (r.actual, r.year_state, r.years_met, r.years_due, r.status) == (3.0, "met", 2, 3, "off_track")
    assert r.schedule_ratio == pytest.approx((1 + 0.5 + 1) / 3)
    r = at(result, 2025, 2)  # not yet due, 0 so far: 2024's three drills do not stand in for 2025
    assert (r.year_state, r.years_met, r.years_due, r.status) == ("not_due", 2, 3, "off_track")
    assert math.isnan(r.actual) and math.isnan(r.ytd_value) and r.expected == 1.0
    assert r.schedule_ratio == pytest.approx((1 + 0.5 + 1 + 0) / 4)
    r = at(result, 2025, 4)  # the year is over with no 2025 report: not met
    assert (r.year_state, r.years_met, r.years_due, r.status) == ("no_data", 2, 4, "off_track")
    assert r.schedule_ratio == pytest.approx(0.625)
    assert r.baseline == 0.0 and r.baseline_source == "zero" and r.target == 2.0
    assert r.sdg_status == "insufficient_data" and at(result, 2024, 4).sdg_status == "achieved"


def test_a_count_accrues_through_the_year():
    # 每年建设5个示范县, 2021–2025. 5 built in 2021; in 2022 by Q2 the 序时进度 value is 5 × 2/4 = 2.5.
    rows = [yearly(area_id=area, first=2021, value=5.0) for area in (10, 11)]
    observations = [obs(area, 100, 2021, 4, 5.0) for area in (10, 11)]
    observations += [obs(10, 100, 2022, 2, 2.0), obs(11, 100, 2022, 2, 3.0), obs(10, 100, 2022, 3, 5.0)]
    result = run(rows, observations)
    r = at(result, 2022, 2)
    assert (r.time_share, r.expected, r.progress_ratio) == (0.5, 2.5, 0.4)
    assert r.status == "at_risk"  # 2 < 0.95 × 2.5 = 2.375
    assert r.schedule_ratio == pytest.approx((1 + 0.8) / 2)  # 2021 met; 2022 at 2 / 2.5 = 0.8 of its 序时进度
    assert r.projection == 4.0 and r.projection_ratio == 0.8 and r.projection_status == "needs_acceleration"
    assert at(result, 2022, 2, area_id=11).status == "on_track"  # 3 ≥ 2.375
    r = at(result, 2022, 3)  # the year's five reached before its end: met from that quarter on
    assert (r.year_state, r.years_met, r.years_due, r.status) == ("met", 2, 2, "achieved")
    r = at(result, 2022, 4, area_id=11)  # 3 carried within the year to its end: missed
    assert (r.actual, r.actual_quarter, r.year_state, r.status) == (3.0, 2, "missed", "off_track")
    r = at(result, 2023, 1, area_id=10)  # a new year starts from nothing
    assert math.isnan(r.actual) and (r.expected, r.year_state, r.status) == (1.25, "not_due", "at_risk")


def test_a_task_done_by_a_day_of_every_year_is_judged_on_its_deadline_quarter():
    # 每年9月底前完成应急减排措施清单制（修）订: completion 0–100 %, deadline 09-30 (the third quarter).
    rows = [
        yearly(area_id=area, comparator="done_by", kind="completion", value=np.nan, deadline_in_year="09-30")
        for area in (10, 11)
    ]
    observations = [
        obs(10, 100, 2022, 2, 60.0),
        obs(10, 100, 2022, 3, 100.0),
        obs(10, 100, 2023, 3, 80.0),
        obs(10, 100, 2023, 4, 100.0),  # finished in the fourth quarter: too late for 2023
        obs(11, 100, 2022, 4, 100.0),  # no report for the deadline's quarter at all
    ]
    result = run(rows, observations, through=(2023, 4))
    r = at(result, 2022, 2)
    assert r.target == 100.0 and r.time_share == pytest.approx(2 / 3) and r.expected == pytest.approx(200 / 3)
    assert (r.year_state, r.status) == ("not_due", "at_risk")  # 60 < 0.95 × 66.7
    assert (at(result, 2022, 3).year_state, at(result, 2022, 3).status) == ("met", "achieved")
    r = at(result, 2023, 4)
    assert (r.actual, r.actual_quarter, r.ytd_value) == (80.0, 3, 100.0)
    assert (r.year_state, r.years_met, r.years_due, r.status) == ("missed", 1, 2, "off_track")
    r = at(result, 2022, 4, area_id=11)
    assert math.isnan(r.actual) and (r.year_state, r.years_due, r.status) == ("no_data", 1, "off_track")


def test_the_record_stands_after_the_last_year_and_one_off_targets_are_untouched():
    rows = [yearly(area_id=10, last=2023, value=1.0), yearly(area_id=11, last=2023, value=1.0), once(area_id=12)]
    rows[2].update(comparator="ge", value=95.0, plan_baseline=75.0)
    observations = [obs(area, 100, year, 4, 1.0) for area in (10, 11) for year in (2022, 2023)]
    observations += [obs(11, 100, 2024, 4, 0.0), obs(12, 100, 2022, 4, 80.0)]
    result = run(rows, observations, through=(2024, 4))
    r = at(result, 2024, 4, area_id=11)  # 2024 is not a year of the duty: its report is not judged
    assert math.isnan(r.actual) and pd.isna(r.year_state)
    assert (r.years_met, r.years_due, r.status, r.schedule_ratio) == (2, 2, "achieved", 1.0)
    r = at(result, 2022, 4, area_id=12)
    assert (r.status, r.progress_ratio) == ("at_risk", 0.25)
    assert pd.isna(r.year_state) and pd.isna(r.years_met) and pd.isna(r.years_due)
