"""Worked examples of docs/progress.md, computed by hand and checked against progress.engine.

No database and no Django: plain functions over small DataFrames. Each test name is cited beside its example in
docs/progress.md; the numbers here are the numbers there.
"""

import math

import numpy as np
import pandas as pd
import pytest

from progress.engine import (
    PROGRESS_COLUMNS,
    PROJECTION_STATUSES,
    SDG_STATUSES,
    STATUSES,
    compute_progress,
    province_values,
)
from progress.rollup import progress_score, rollup

FIRST_YEAR = 2021
THROUGH = (2025, 4)


def assignment(target_id=1, area_id=10, indicator_id=100, **fields):
    row = {
        "target_id": target_id,
        "area_id": area_id,
        "indicator_id": indicator_id,
        "comparator": "ge",
        "value": np.nan,
        "target_year": 2025,
        "deadline": pd.NaT,
        "baseline_year": 2020.0,
        "plan_baseline": np.nan,
        "direction": "higher",
        "kind": "level",
        "seasonal": False,
    }
    row.update(fields)
    return row


def frame(rows):
    df = pd.DataFrame(rows)
    df["deadline"] = pd.to_datetime(df["deadline"])
    return df


_next_id = iter(range(1, 1_000_000))


def obs(area_id, indicator_id, year, quarter, value, observation_id=None):
    oid = next(_next_id) if observation_id is None else observation_id
    return {
        "area_id": area_id,
        "indicator_id": indicator_id,
        "year": year,
        "quarter": quarter,
        "value": value,
        "observation_id": oid,
    }


def run(assignments, observations, through=THROUGH):
    observations = pd.DataFrame(
        observations, columns=["area_id", "indicator_id", "year", "quarter", "value", "observation_id"]
    )
    return compute_progress(frame(assignments), observations, first_year=FIRST_YEAR, through=through)


def at(result, year, quarter, target_id=1, area_id=10):
    rows = result[
        (result.target_id == target_id)
        & (result.area_id == area_id)
        & (result.year == year)
        & (result.quarter == quarter)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------------------------------
# Time share
# ---------------------------------------------------------------------------------------------------------------------
def test_time_share_worked_examples():
    rows = [
        assignment(target_id=1, comparator="ge", value=95.0, plan_baseline=75.0),
        assignment(target_id=2, comparator="le", value=34.0, plan_baseline=44.0, seasonal=True, direction="lower"),
        assignment(
            target_id=3,
            comparator="done_by",
            deadline="2022-06-30",
            target_year=2022,
            kind="completion",
            baseline_year=np.nan,
        ),
        assignment(target_id=4, comparator="ge", value=60.0, plan_baseline=50.0, baseline_year=2021.0),
    ]
    result = run(rows, [])
    # 2023 Q2 against a 2020 baseline and a 2025 target: 10 quarters of 20.
    assert at(result, 2023, 2, target_id=1).time_share == pytest.approx(0.5)
    # Seasonal: in Q1–Q3 the line is read at the end of the previous year (2022 Q4: 8/20); in Q4 at the year end.
    assert at(result, 2023, 2, target_id=2).time_share == pytest.approx(0.4)
    assert at(result, 2023, 4, target_id=2).time_share == pytest.approx(0.6)
    # done_by: to the end of the deadline's quarter (2022 Q2: 6 quarters); 2021 Q3 is 3 of them; clipped at 1.
    assert at(result, 2021, 3, target_id=3).time_share == pytest.approx(0.5)
    assert at(result, 2022, 3, target_id=3).time_share == pytest.approx(1.0)
    # A 2021 baseline: 2021 Q2 lies before the end of the baseline year, clipped to 0; 2023 Q4 is 8/16.
    assert at(result, 2021, 2, target_id=4).time_share == pytest.approx(0.0)
    assert at(result, 2023, 4, target_id=4).time_share == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------------------------------
# One example per comparator and kind
# ---------------------------------------------------------------------------------------------------------------------
def test_level_le_seasonal_on_track():
    rows = [assignment(comparator="le", value=34.0, plan_baseline=44.0, direction="lower", seasonal=True)]
    observations = [
        obs(10, 100, 2023, 2, 47.0),
        obs(10, 100, 2023, 4, 38.0, observation_id=900),
        obs(10, 100, 2024, 2, 45.0),
    ]
    result = run(rows, observations)
    r = at(result, 2023, 4)
    assert r.baseline == 44.0 and r.baseline_source == "plan" and r.target == 34.0
    assert r.time_share == pytest.approx(0.6)
    assert r.expected == pytest.approx(38.0)
    assert r.progress_ratio == pytest.approx(0.6)
    assert r.gap == pytest.approx(4.0)
    assert r.gap_share == pytest.approx(0.4)
    assert r.status == "on_track"
    assert r.schedule_ratio == pytest.approx(1.0)
    # 2024 Q2: judged on the 2023 全年 value against the line at the end of 2023; 同比 on the year-to-date value.
    r = at(result, 2024, 2)
    assert (r.actual, r.actual_year, r.actual_quarter, r.actual_observation_id) == (38.0, 2023, 4, 900)
    assert r.time_share == pytest.approx(0.6)
    assert r.status == "on_track"
    assert r.ytd_value == 45.0
    assert r.yoy_change == pytest.approx(-2.0)


def test_share_ge_at_risk_with_observed_baseline():
    rows = [assignment(comparator="ge", value=95.0, kind="share")]
    observations = [obs(10, 100, 2020, 4, 75.0, observation_id=501), obs(10, 100, 2022, 4, 80.0)]
    r = at(run(rows, observations), 2022, 4)
    assert (r.baseline, r.baseline_source, r.baseline_observation_id) == (75.0, "observed", 501)
    assert r.time_share == pytest.approx(0.4)
    assert r.expected == pytest.approx(83.0)
    assert r.progress_ratio == pytest.approx(0.25)
    assert r.status == "at_risk"  # 0.60·0.4 = 0.24 ≤ 0.25 < 0.38 = 0.95·0.4
    assert r.gap == pytest.approx(15.0)
    assert r.gap_share == pytest.approx(0.75)
    assert r.schedule_ratio == pytest.approx(0.625)


def test_reduce_pct_off_track():
    rows = [assignment(comparator="reduce_pct", value=15.0, plan_baseline=2.0, direction="lower")]
    r = at(run(rows, [obs(10, 100, 2022, 4, 1.95)]), 2022, 4)
    assert r.target == pytest.approx(1.7)
    assert r.expected == pytest.approx(1.88)
    assert r.progress_ratio == pytest.approx(1 / 6)
    assert r.status == "off_track"
    assert r.gap == pytest.approx(0.25)
    assert r.gap_share == pytest.approx(0.833333, rel=1e-5)


def test_reduce_abs_regressing():
    rows = [assignment(comparator="reduce_abs", value=2.89, direction="lower")]
    observations = [obs(10, 100, 2020, 4, 30.0), obs(10, 100, 2022, 2, 30.5)]
    r = at(run(rows, observations), 2022, 2)
    assert r.target == pytest.approx(27.11)
    assert r.time_share == pytest.approx(0.3)
    # The raw ratio (30.5 − 30)/(27.11 − 30) = −0.173 is read for the status and the schedule ratio; the completion
    # share stored is held to 0…1.
    assert r.progress_ratio == 0.0
    assert r.status == "regressing"
    assert r.gap == pytest.approx(3.39)
    assert r.gap_share == pytest.approx(1.173010, rel=1e-5)
    assert r.schedule_ratio == pytest.approx(-0.576701, rel=1e-5)


def test_cumulative_carry_forward_and_projection():
    rows = [assignment(comparator="ge", value=2000.0, kind="cumulative", baseline_year=np.nan)]
    observations = [obs(10, 100, 2021, 4, 400.0, observation_id=41), obs(10, 100, 2022, 4, 900.0, observation_id=42)]
    result = run(rows, observations)
    r = at(result, 2022, 4)
    assert (r.baseline, r.baseline_source) == (0.0, "zero")
    assert r.expected == pytest.approx(800.0)
    assert r.progress_ratio == pytest.approx(0.45)
    assert r.status == "on_track"
    assert r.gap == pytest.approx(1100.0) and r.gap_share == pytest.approx(0.55)
    # Least-squares line through (0, 0), (4, 400), (8, 900): slope 112.5, intercept −16.667; at τ = 20: 2233.33.
    assert r.projection == pytest.approx(2233.333333)
    assert r.projection_ratio == 1.0  # 1.116667 on the line, held to 0…1 once its status is read
    assert r.projection_status == "likely"
    assert not r.projection_clipped  # no valid range given: a count has no ceiling
    assert r.sdg_status == "insufficient_data" and math.isnan(r.sdg_ratio)  # b = 0: no growth rate
    # Carry-forward: 2023 Q1 keeps 900 (from 2022 Q4) against s = 0.45 — still on track (0.45 ≥ 0.4275) …
    r = at(result, 2023, 1)
    assert (r.actual, r.actual_year, r.actual_quarter, r.actual_observation_id) == (900.0, 2022, 4, 42)
    assert r.status == "on_track"
    # … but in 2023 Q2 the line has moved on (s = 0.5, 0.95·s = 0.475 > 0.45): at risk.
    assert at(result, 2023, 2).status == "at_risk"


def test_count_on_the_line():
    rows = [assignment(comparator="ge", value=220.0, kind="count")]
    observations = [obs(10, 100, 2020, 4, 100.0), obs(10, 100, 2023, 2, 160.0)]
    r = at(run(rows, observations), 2023, 2)
    assert r.expected == pytest.approx(160.0)
    assert r.progress_ratio == pytest.approx(0.5)
    assert r.status == "on_track"
    assert r.schedule_ratio == pytest.approx(1.0)


def test_done_by_completion():
    rows = [
        assignment(
            area_id=area,
            comparator="done_by",
            deadline="2022-06-30",
            target_year=2022,
            kind="completion",
            baseline_year=np.nan,
        )
        for area in (10, 11)
    ]
    observations = [
        obs(10, 100, 2021, 3, 40.0),
        obs(10, 100, 2022, 2, 90.0),
        obs(11, 100, 2022, 2, 100.0),
    ]
    result = run(rows, observations)
    r = at(result, 2021, 3)
    assert (r.baseline, r.target, r.time_share) == (0.0, 100.0, 0.5)
    assert r.expected == pytest.approx(50.0)
    assert r.progress_ratio == pytest.approx(0.4)
    assert r.status == "at_risk"
    assert at(result, 2022, 2).status == "overdue"
    assert at(result, 2022, 3).status == "overdue"  # carried forward, still not done
    assert at(result, 2022, 2, area_id=11).status == "achieved"
    assert at(result, 2025, 4, area_id=11).status == "achieved"


def test_strict_comparators():
    rows = [
        assignment(area_id=10, comparator="gt", value=30.0, plan_baseline=20.0),
        assignment(area_id=11, comparator="gt", value=30.0, plan_baseline=20.0),
        assignment(area_id=12, comparator="lt", value=10.0, plan_baseline=12.0, direction="lower"),
        assignment(area_id=13, comparator="lt", value=10.0, plan_baseline=12.0, direction="lower"),
        assignment(area_id=14, comparator="le", value=34.0, plan_baseline=44.0, direction="lower"),
    ]
    observations = [
        obs(10, 100, 2024, 4, 30.0),
        obs(11, 100, 2025, 4, 30.5),
        obs(12, 100, 2025, 4, 10.0),
        obs(13, 100, 2025, 4, 9.9),
        obs(14, 100, 2025, 4, 34.0),
    ]
    result = run(rows, observations)
    r = at(result, 2024, 4, area_id=10)
    assert r.progress_ratio == pytest.approx(1.0) and r.gap == 0.0
    assert r.status == "on_track"  # at 30 the target "超过30" is not met yet
    assert at(result, 2025, 4, area_id=10).status == "overdue"
    assert at(result, 2025, 4, area_id=11).status == "achieved"
    assert at(result, 2025, 4, area_id=12).status == "overdue"
    assert at(result, 2025, 4, area_id=13).status == "achieved"
    assert at(result, 2025, 4, area_id=14).status == "achieved"  # ≤ is not strict


# ---------------------------------------------------------------------------------------------------------------------
# Edges
# ---------------------------------------------------------------------------------------------------------------------
def test_maintain_target():
    rows = [
        assignment(area_id=area, comparator="reduce_pct", value=0.0, direction="lower", seasonal=True)
        for area in (10, 11)
    ]
    observations = [
        obs(10, 100, 2020, 4, 5.0),
        obs(11, 100, 2020, 4, 5.0),
        obs(10, 100, 2022, 4, 4.8),
        obs(11, 100, 2022, 4, 5.2),
        obs(11, 100, 2025, 4, 5.2),
    ]
    result = run(rows, observations)
    assert at(result, 2022, 4, area_id=10).status == "achieved"
    r = at(result, 2022, 4, area_id=11)
    assert r.target == 5.0 and r.status == "regressing"
    assert math.isnan(r.progress_ratio) and math.isnan(r.gap_share)
    assert r.gap == pytest.approx(0.2)
    assert r.schedule_ratio == -1.0
    assert r.sdg_status == "deterioration" and math.isnan(r.sdg_ratio)
    assert at(result, 2025, 4, area_id=11).status == "overdue"


def test_target_already_met_at_baseline():
    rows = [assignment(area_id=area, comparator="ge", value=60.0) for area in (10, 11)]
    observations = [
        obs(10, 100, 2020, 4, 65.0),
        obs(11, 100, 2020, 4, 65.0),
        obs(10, 100, 2022, 4, 63.0),
        obs(11, 100, 2022, 4, 58.0),
    ]
    result = run(rows, observations)
    assert at(result, 2022, 4, area_id=10).status == "achieved"
    r = at(result, 2022, 4, area_id=11)
    assert r.status == "regressing"
    assert math.isnan(r.progress_ratio)
    assert r.gap == pytest.approx(2.0) and r.gap_share == pytest.approx(0.4)


def test_no_baseline():
    rows = [
        assignment(target_id=1, comparator="reduce_pct", value=15.0, direction="lower"),
        assignment(target_id=2, indicator_id=101, comparator="le", value=34.0, direction="lower"),
        assignment(target_id=3, indicator_id=101, area_id=11, comparator="le", value=34.0, direction="lower"),
    ]
    observations = [obs(10, 100, 2022, 4, 1.9), obs(10, 101, 2022, 4, 33.0), obs(11, 101, 2022, 4, 36.0)]
    result = run(rows, observations)
    r = at(result, 2022, 4, target_id=1)
    assert r.baseline_source == "missing" and math.isnan(r.baseline) and math.isnan(r.target)
    assert r.status == "no_baseline"
    assert at(result, 2022, 4, target_id=2).status == "achieved"  # a level target needs no baseline to be met
    r = at(result, 2022, 4, target_id=3, area_id=11)
    assert r.status == "no_baseline" and r.gap == pytest.approx(2.0) and math.isnan(r.expected)


def test_area_with_no_data_and_dense_grid():
    rows = [assignment(area_id=10, comparator="ge", value=95.0), assignment(area_id=11, comparator="ge", value=95.0)]
    result = run(rows, [obs(10, 100, 2020, 4, 75.0), obs(10, 100, 2022, 4, 80.0)])
    assert list(result.columns) == PROGRESS_COLUMNS
    assert len(result) == 2 * 20
    assert set(result.status.astype(str)) <= set(STATUSES)
    assert set(result.sdg_status.astype(str)) <= set(SDG_STATUSES)
    assert set(result.projection_status.astype(str)) <= set(PROJECTION_STATUSES)
    empty = result[result.area_id == 11]
    assert (empty.status == "no_data").all()
    assert (empty.projection_status == "insufficient_data").all()
    assert (empty.sdg_status == "insufficient_data").all()
    assert empty.actual_year.isna().all()
    # before its first report, area 10 has no data either (a 2020 value is a baseline, not an actual)
    assert at(result, 2022, 3).status == "no_data"


def test_target_year_past_is_overdue():
    rows = [assignment(comparator="ge", value=88.0, target_year=2022)]
    observations = [obs(10, 100, 2020, 4, 80.0), obs(10, 100, 2022, 4, 85.0), obs(10, 100, 2023, 2, 88.0)]
    result = run(rows, observations)
    r = at(result, 2022, 4)
    assert r.time_share == 1.0 and r.status == "overdue"
    assert r.progress_ratio == pytest.approx(0.625) and r.schedule_ratio == pytest.approx(0.625)
    assert r.projection == 85.0 and r.projection_status == "needs_acceleration"
    assert at(result, 2023, 1).status == "overdue"
    assert at(result, 2023, 2).status == "achieved"  # met late: achieved from then on


def test_time_share_zero():
    rows = [
        assignment(area_id=area, comparator="ge", value=60.0, plan_baseline=50.0, baseline_year=2021.0)
        for area in (10, 11)
    ]
    result = run(rows, [obs(10, 100, 2021, 4, 51.0), obs(11, 100, 2021, 4, 49.0)])
    r = at(result, 2021, 4, area_id=10)
    assert r.time_share == 0.0 and r.expected == 50.0
    assert r.status == "on_track" and math.isnan(r.schedule_ratio)
    assert at(result, 2021, 4, area_id=11).status == "regressing"


def test_seasonal_first_year_has_no_judged_value():
    rows = [assignment(comparator="le", value=34.0, plan_baseline=44.0, direction="lower", seasonal=True)]
    r = at(run(rows, [obs(10, 100, 2020, 2, 50.0), obs(10, 100, 2021, 2, 46.0)]), 2021, 2)
    assert r.status == "no_data" and math.isnan(r.actual)
    assert r.ytd_value == 46.0 and r.yoy_change == pytest.approx(-4.0)


def test_observations_after_through_are_ignored():
    rows = [assignment(comparator="ge", value=95.0, plan_baseline=75.0)]
    result = run(rows, [obs(10, 100, 2022, 4, 80.0), obs(10, 100, 2023, 1, 99.0)], through=(2022, 4))
    assert len(result) == 8
    assert at(result, 2022, 4).actual == 80.0


# ---------------------------------------------------------------------------------------------------------------------
# Open SDG growth ratio R and the projection
# ---------------------------------------------------------------------------------------------------------------------
def test_sdg_ratio_lower_is_better():
    rows = [assignment(comparator="le", value=34.0, plan_baseline=44.0, direction="lower", seasonal=True)]
    r = at(run(rows, [obs(10, 100, 2023, 4, 38.0)]), 2023, 4)
    # CAGR observed (38/44)^(1/3) − 1 = −0.047693; required (34/44)^(1/5) − 1 = −0.050259; R = −1·(−0.047693)/0.050259
    assert r.sdg_ratio == pytest.approx(0.948947, rel=1e-5)
    assert r.sdg_status == "moderate"  # while on the straight 序时 line: on track
    assert r.status == "on_track"


def test_sdg_ratio_negative_baseline_sign():
    rows = [assignment(comparator="ge", value=-1.0, plan_baseline=-2.0)]
    r = at(run(rows, [obs(10, 100, 2022, 4, -1.5)]), 2022, 4)
    # sign(b) = −1, d = +1: R = −1·(0.75^(1/2) − 1)/|0.5^(1/5) − 1| = 0.133975/0.129449
    assert r.sdg_ratio == pytest.approx(1.034957, rel=1e-5)
    assert r.sdg_status == "substantial"
    assert r.progress_ratio == pytest.approx(0.5) and r.status == "on_track"


def test_sdg_zero_target_substitution():
    rows = [assignment(comparator="le", value=0.0, plan_baseline=4.0, direction="lower")]
    r = at(run(rows, [obs(10, 100, 2022, 4, 2.0)]), 2022, 4)
    # target 0 → 0.001 as sdg-build does: required (0.001/4)^(1/5) − 1 = −0.809635; observed 0.5^(1/2) − 1
    assert r.sdg_ratio == pytest.approx(0.361760, rel=1e-5)
    assert r.sdg_status == "limited"
    assert r.status == "on_track"  # p = 0.5 ≥ 0.95·0.4


def test_sdg_insufficient_data_and_achieved():
    rows = [
        assignment(area_id=10, comparator="ge", value=95.0, plan_baseline=75.0),
        assignment(area_id=11, comparator="ge", value=95.0, plan_baseline=75.0),
        assignment(area_id=12, comparator="ge", value=95.0, plan_baseline=75.0),
    ]
    observations = [obs(10, 100, 2021, 3, 80.0), obs(11, 100, 2021, 4, 80.0), obs(12, 100, 2021, 3, 96.0)]
    result = run(rows, observations)
    assert at(result, 2021, 3, area_id=10).sdg_status == "insufficient_data"  # less than a year since the baseline
    r = at(result, 2021, 4, area_id=11)  # one full year: (80/75) − 1 against (95/75)^(1/5) − 1
    assert r.sdg_ratio == pytest.approx((80 / 75 - 1) / ((95 / 75) ** 0.2 - 1))
    assert r.sdg_status == "substantial"
    assert at(result, 2021, 3, area_id=12).sdg_status == "achieved"  # achieved needs no growth rate


def test_projection_stagnation():
    rows = [assignment(comparator="ge", value=95.0, plan_baseline=75.0)]
    r = at(run(rows, [obs(10, 100, 2021, 4, 75.5), obs(10, 100, 2022, 4, 75.5)]), 2022, 4)
    # line through (0, 75), (4, 75.5), (8, 75.5): slope 0.0625, intercept 75.0833; at τ = 20: 76.3333
    assert r.projection == pytest.approx(76.333333)
    assert r.projection_ratio == pytest.approx(0.066667, rel=1e-5)
    assert r.projection_status == "stagnation"


def test_projection_held_to_the_valid_range():
    """A rate near its ceiling: the straight line runs past 100 %; the projection is held at 100 and flagged, and so
    is a concentration whose line runs below 0. Without a range nothing is held."""
    rows = [
        assignment(target_id=1, comparator="ge", value=92.0, plan_baseline=85.0, min_value=0.0, max_value=100.0),
        assignment(target_id=2, comparator="le", value=30.0, plan_baseline=50.0, direction="lower", min_value=0.0,
                   max_value=1000.0),
        assignment(target_id=3, comparator="ge", value=92.0, plan_baseline=85.0),
    ]  # fmt: skip
    good_days = [obs(10, 100, 2021, 4, 92.0), obs(10, 100, 2022, 4, 98.0)]
    pm25 = [{**o, "indicator_id": 200} for o in (obs(10, 100, 2021, 4, 40.0), obs(10, 100, 2022, 4, 25.0))]
    rows[1]["indicator_id"] = 200
    result = run(rows, good_days + pm25)
    # (0, 85), (4, 92), (8, 98): slope 1.625, intercept 85.1667; at τ = 20: 117.67, past the ceiling.
    open_line = at(result, 2022, 4, target_id=3)
    assert open_line.projection == pytest.approx(117.666667) and not open_line.projection_clipped
    rate = at(result, 2022, 4, target_id=1)
    assert rate.projection == 100.0 and rate.projection_clipped
    assert rate.projection_status == "likely" and rate.projection_ratio == 1.0
    assert 0.0 <= rate.progress_ratio <= 1.0 and rate.expected <= 100.0
    # (0, 50), (4, 40), (8, 25): slope −3.125, intercept 50.83; at τ = 20: −11.67, below zero.
    pm = at(result, 2022, 4, target_id=2)
    assert pm.projection == 0.0 and pm.projection_clipped and pm.projection_status == "likely"
    assert not at(result, 2021, 3, target_id=1).projection_clipped  # no projection yet: nothing to hold


# ---------------------------------------------------------------------------------------------------------------------
# Province values and roll-ups
# ---------------------------------------------------------------------------------------------------------------------
def test_province_values():
    indicators = pd.DataFrame(
        {"indicator_id": [10, 11, 12, 13, 14], "aggregation": ["mean", "sum", "min", "max", "reported"]}
    )
    rows = []
    for indicator in (10, 11, 12, 13, 14):
        rows += [obs(1, indicator, 2022, 4, 30.0), obs(2, indicator, 2022, 4, 40.0)]
        if indicator != 11:
            rows.append(obs(3, indicator, 2022, 4, 50.0))
    rows.append(obs(0, 10, 2022, 4, 41.0, observation_id=777))  # the province's own figure wins
    rows.append(obs(1, 10, 2023, 1, 20.0))
    rows.append(obs(99, 10, 2023, 1, 1000.0))  # not a city of the list: ignored
    observations = pd.DataFrame(rows)
    result = province_values(observations, indicators, province_area_id=0, city_area_ids=[1, 2, 3])
    province = result[result.area_id == 0].set_index(["indicator_id", "year", "quarter"])
    assert len(result) == len(observations) + 4
    assert province.loc[(10, 2022, 4), "value"] == 41.0
    assert province.loc[(10, 2022, 4), "observation_id"] == 777
    assert math.isnan(province.loc[(10, 2022, 4), "derived_from"])
    assert province.loc[(11, 2022, 4), "value"] == 70.0 and province.loc[(11, 2022, 4), "derived_from"] == 2
    assert province.loc[(12, 2022, 4), "value"] == 30.0
    assert province.loc[(13, 2022, 4), "value"] == 50.0 and province.loc[(13, 2022, 4), "derived_from"] == 3
    assert (14, 2022, 4) not in province.index
    assert province.loc[(10, 2023, 1), "value"] == 20.0 and province.loc[(10, 2023, 1), "derived_from"] == 1
    assert math.isnan(province.loc[(11, 2022, 4), "observation_id"])


def test_derived_province_value_keeps_its_provenance():
    indicators = pd.DataFrame({"indicator_id": [100], "aggregation": ["mean"]})
    observations = pd.DataFrame([obs(1, 100, 2022, 4, 30.0), obs(2, 100, 2022, 4, 40.0)])
    values = province_values(observations, indicators, province_area_id=0, city_area_ids=[1, 2])
    rows = frame([assignment(area_id=0, comparator="le", value=34.0, plan_baseline=44.0, direction="lower")])
    result = compute_progress(rows, values, first_year=FIRST_YEAR, through=THROUGH)
    r = at(result, 2022, 4, area_id=0)
    assert r.actual == 35.0 and r.actual_derived_from == 2 and pd.isna(r.actual_observation_id)


def test_progress_score():
    status = ["achieved", "on_track", "on_track", "at_risk", "off_track", "regressing", "regressing", "no_data"]
    ratio = [1.0, 1.0, 0.95, 0.6, 0.0, -0.6, -1.0, np.nan]
    score = progress_score(status, ratio)
    expected = [5.0, 20 / 7, 2.5, 0.0, -2.5, -5.0, -5.0, np.nan]
    np.testing.assert_allclose(score, expected, atol=1e-12)


def test_rollup():
    progress = pd.DataFrame(
        {
            "target_id": [1, 2, 3, 4, 5, 6],
            "area_id": [10, 10, 11, 11, 12, 12],
            "status": ["achieved", "on_track", "at_risk", "regressing", "no_data", "off_track"],
            "schedule_ratio": [1.0, 1.0, 0.8, -0.5, np.nan, 0.3],
            "gap_share": [-0.1, 0.3, 0.5, 1.2, np.nan, 0.7],
        }
    )
    groups = pd.DataFrame({"target_id": [1, 2, 3, 4, 5, 6, 6], "dept": ["A", "A", "A", "A", "A", "B", "C"]})
    result = rollup(progress, groups, "dept").set_index("dept")
    a = result.loc["A"]
    assert [a[s] for s in STATUSES] == [1, 1, 1, 0, 1, 0, 0, 1]
    assert a.total == 5
    assert a.mean_schedule_ratio == pytest.approx(0.575)
    # scores 5, 20/7, 10/7, −4.5833: mean 1.175595
    assert a.score == pytest.approx((5 + 20 / 7 + 10 / 7 - 55 / 12) / 4)
    assert a.furthest_behind == [(11, 4, 1.2), (11, 3, 0.5), (10, 2, 0.3)]
    assert result.loc["B"].furthest_behind == [(12, 6, 0.7)] and result.loc["C"].off_track == 1
    assert result.loc["B"].score == pytest.approx(25 / 6 * 0.3 - 2.5)
    assert result.loc["A"].years_missed == 0  # no yearly duty among them


def test_rollup_counts_the_missed_years_of_yearly_duties():
    progress = pd.DataFrame(
        {
            "target_id": [1, 2, 3, 1, 2],
            "area_id": [10, 10, 10, 11, 11],
            "status": ["off_track", "off_track", "on_track", "achieved", "no_data"],
            "schedule_ratio": [0.625, 0.5, 1.0, 1.0, np.nan],
            "gap_share": [1.0, 0.5, np.nan, -0.5, np.nan],
            "years_met": pd.array([2, 1, pd.NA, 4, 0], dtype="Int64"),
            "years_due": pd.array([4, 2, pd.NA, 4, 3], dtype="Int64"),  # area 11 never reported on target 2
        }
    )
    groups = progress[["target_id", "area_id"]].assign(city=progress["area_id"])
    result = rollup(progress, groups, "city").set_index("city")
    assert result.loc[10].years_missed == 3 and result.loc[11].years_missed == 0
    # 沈阳's drills at 2025 Q4, r = 0.625: 50/7·0.625 − 30/7 = 0.179 instead of 5 for a city that met every year
    assert result.loc[10].score == pytest.approx((50 / 7 * 0.625 - 30 / 7 + 25 / 6 * 0.5 - 2.5 + 20 / 7) / 3)
