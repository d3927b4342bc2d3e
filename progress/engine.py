"""The progress engine's arithmetic: pure functions over pandas DataFrames (no Django, no database).

Every figure is defined, with worked examples, in ``docs/progress.md``; the tests in
``tests/progress/test_engine.py`` reproduce those examples. In short, for a target with baseline b, target level t,
judged actual a and time-elapsed share s:

* expected value (序时进度值) e = b + s·(t − b); progress ratio p = (a − b)/(t − b);
* status: achieved / on track (p ≥ 0.95·s) / at risk (p ≥ 0.60·s) / off track (p ≥ 0) / regressing (p < 0),
  overdue once the deadline is reached unachieved, no baseline, no data;
* the Open SDG (sdg-build ``ProgressMeasure``) growth ratio R and status as a second opinion;
* a linear-trend projection to the end of the target year with the UNSD-style ratio;
* a yearly duty (每年…) read year by year, each year on its own reports (progress/yearly.py).

Everything is computed on whole arrays (one (assignment × quarter) matrix per quantity), never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from targets.choices import Comparator, Recurrence

from .choices import BaselineSource, ProjectionStatus, SdgStatus, Status, YearState
from .rules import (
    AT_RISK_SHARE,
    EPS,
    GE,
    GT,
    LE,
    LT,
    ON_TRACK_SHARE,
    PROJECTION_ACCELERATE,
    PROJECTION_LIKELY,
    SDG_HIGH,
    SDG_LOW,
    SDG_MED,
    categorical,
    category,
    first_that_holds,
    keep_in_range,
    satisfies,
)
from .yearly import read_years

# The categories of the categorical columns, in the registry's order (progress/choices.py): the engine names every
# status by its registry member and never spells one out.
STATUSES = Status.values
SDG_STATUSES = SdgStatus.values
PROJECTION_STATUSES = ProjectionStatus.values
BASELINE_SOURCES = BaselineSource.values

DEFAULT_BASELINE_YEAR = 2020
# sdg-build replaces a target of exactly zero by this value (a zero base value it also replaces; we do not, see docs).
SDG_ZERO_TARGET = 0.001

AGGREGATIONS = ("mean", "sum", "min", "max")
_LOWER_COMPARATORS = [c.value for c in Comparator if c.lower_is_better]
_ZERO_BASELINE_KINDS = ("cumulative", "completion")

# Every column of compute_progress, in order (docs/progress.md §12 and §15).
PROGRESS_COLUMNS = [
    *("target_id", "area_id", "year", "quarter", "actual", "actual_year", "actual_quarter", "actual_observation_id"),
    *("actual_derived_from", "ytd_value", "yoy_change", "baseline", "baseline_source", "baseline_observation_id"),
    *("target", "time_share", "expected", "progress_ratio", "gap", "gap_share", "status", "projection"),
    *("projection_clipped", "projection_ratio", "projection_status", "sdg_ratio", "sdg_status", "schedule_ratio"),
    *("year_state", "years_met", "years_due"),
]


# --------------------------------------------------------------------------------------------------------------------
# Province values
# --------------------------------------------------------------------------------------------------------------------
def province_values(
    observations: pd.DataFrame, indicators: pd.DataFrame, province_area_id: int, city_area_ids: list[int]
) -> pd.DataFrame:
    """Add derived province rows where the province did not report its own value.

    observations: area_id, indicator_id, year, quarter, value, observation_id (current values only).
    indicators: indicator_id, aggregation (mean | sum | min | max | reported).
    Returns the observations with province rows appended for every (indicator, year, quarter) that at least one city
    reported, the province did not, and whose rule is not ``reported``. Derived rows have observation_id NaN and
    ``derived_from`` = the number of cities aggregated; reported rows have derived_from NaN.
    """
    obs = observations.copy()
    if "derived_from" not in obs.columns:
        obs["derived_from"] = np.nan
    rules = indicators.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")["aggregation"]
    period = ["indicator_id", "year", "quarter"]

    city = obs.loc[obs["area_id"].isin(list(city_area_ids)) & obs["value"].notna(), [*period, "value"]]
    city = city.assign(aggregation=city["indicator_id"].map(rules).astype(object))
    city = city[city["aggregation"].isin(AGGREGATIONS)]
    own = obs.loc[obs["area_id"] == province_area_id, period].drop_duplicates()
    city = city.merge(own.assign(_own=True), on=period, how="left")
    city = city[city["_own"].isna()]
    if city.empty:
        return obs

    stats = city.groupby([*period, "aggregation"], sort=True)["value"].agg(["mean", "sum", "min", "max", "count"])
    stats = stats.reset_index()
    rule = stats["aggregation"].to_numpy(dtype=object)
    value = np.select(
        [rule == "mean", rule == "sum", rule == "min", rule == "max"],
        [stats["mean"], stats["sum"], stats["min"], stats["max"]],
        np.nan,
    )
    derived = pd.DataFrame(
        {
            "area_id": province_area_id,
            "indicator_id": stats["indicator_id"].to_numpy(),
            "year": stats["year"].to_numpy(),
            "quarter": stats["quarter"].to_numpy(),
            "value": value,
            "observation_id": np.nan,
            "derived_from": stats["count"].to_numpy(dtype=float),
        }
    )
    return pd.concat([obs, derived], ignore_index=True)


# --------------------------------------------------------------------------------------------------------------------
# Helpers (all vectorised)
# --------------------------------------------------------------------------------------------------------------------
def _int_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype("int64"), mask.astype(bool))


def _float_ids_to_int(values: np.ndarray) -> pd.arrays.IntegerArray:
    mask = np.isnan(values)
    return _int_array(np.where(mask, 0, values), mask)


def _empty_progress() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float) for c in PROGRESS_COLUMNS})


# --------------------------------------------------------------------------------------------------------------------
# compute_progress: named steps over (assignment × quarter) matrices
# --------------------------------------------------------------------------------------------------------------------
@dataclass
class _Commitments:
    """What each assignment (one row of the assignments frame) holds its area to, as arrays of length A."""

    comparator: np.ndarray
    kind: np.ndarray
    seasonal: np.ndarray
    value: np.ndarray
    target_year: np.ndarray
    base_year: np.ndarray
    plan_baseline: np.ndarray
    deadline_year: np.ndarray
    deadline_quarter: np.ndarray
    is_done_by: np.ndarray
    code: np.ndarray  # LE | LT | GE | GT: the test a value must pass against the level t
    direction: np.ndarray  # +1 higher is better, −1 lower
    recurring: np.ndarray  # a yearly duty: each year read on its own (progress/yearly.py)
    low: np.ndarray  # the indicator's valid range (−inf…inf where the frame gives none)
    high: np.ndarray


@dataclass
class _Time:
    """The grid's quarters k = 0 … Q−1 and, per assignment, τ (quarters since the end of the baseline year)."""

    k: np.ndarray  # (Q,)
    year: np.ndarray  # (Q,)
    quarter: np.ndarray  # (Q,)
    n_total: np.ndarray  # (A,) quarters from the end of the baseline year to the end of the deadline's quarter: N
    offset: np.ndarray  # (A,) τ(k) = k + offset
    tau: np.ndarray  # (A, Q)
    share: np.ndarray  # (A, Q) the time-elapsed share s (seasonal Q1–Q3: read at the end of the previous year)


@dataclass
class _Actuals:
    """The judged value a of every cell, where it came from, and the within-year 同比 reading (docs §2)."""

    current: np.ndarray  # (A, Q) this quarter's year-to-date value, as reported
    judged: np.ndarray  # (A, Q) whether the reported value is one the status is judged on
    has_actual: np.ndarray
    source_k: np.ndarray  # the grid quarter the judged value comes from (0 where there is none)
    value: np.ndarray
    observation_id: np.ndarray
    derived_from: np.ndarray
    tau: np.ndarray  # τ of the quarter the judged value comes from
    ytd: np.ndarray
    yoy: np.ndarray


@dataclass
class _Line:
    """Per assignment: the baseline b, the target level t and what the straight line between them means (§3–§5)."""

    source: np.ndarray  # BaselineSource category codes
    b: np.ndarray
    b_id: np.ndarray
    t: np.ndarray
    have_bt: np.ndarray
    span: np.ndarray  # t − b
    flat: np.ndarray  # t = b
    maintain: np.ndarray  # t = b, or the target already met at baseline


def _column(frame: pd.DataFrame, name: str, default, n: int) -> np.ndarray:
    """A numeric column as floats, or `default` everywhere when the frame lacks it."""
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
    return np.full(n, default)


def _commitments(asg: pd.DataFrame) -> _Commitments:
    n_a = len(asg)
    comparator = asg["comparator"].astype(object).to_numpy()
    kind = asg["kind"].astype(object).to_numpy() if "kind" in asg.columns else np.full(n_a, "level", dtype=object)
    seasonal = (
        asg["seasonal"].fillna(False).astype(bool).to_numpy() if "seasonal" in asg.columns else np.zeros(n_a, bool)
    )
    base_year = (
        pd.to_numeric(asg["baseline_year"], errors="coerce").fillna(DEFAULT_BASELINE_YEAR).to_numpy(dtype=float)
        if "baseline_year" in asg.columns
        else np.full(n_a, float(DEFAULT_BASELINE_YEAR))
    )
    if "deadline" in asg.columns:
        deadline = pd.to_datetime(asg["deadline"], errors="coerce")
        d_year = deadline.dt.year.to_numpy(dtype=float)
        d_quarter = ((deadline.dt.month.to_numpy(dtype=float) - 1) // 3) + 1
    else:
        d_year = d_quarter = np.full(n_a, np.nan)
    code = np.select(
        [
            np.isin(comparator, [Comparator.LE, Comparator.REDUCE_PCT, Comparator.REDUCE_ABS]),
            comparator == Comparator.LT,
            comparator == Comparator.GT,
        ],
        [LE, LT, GT],
        GE,
    )
    return _Commitments(
        comparator=comparator,
        kind=kind,
        seasonal=seasonal,
        value=pd.to_numeric(asg["value"], errors="coerce").to_numpy(dtype=float),
        target_year=asg["target_year"].to_numpy(dtype=float),
        base_year=base_year,
        plan_baseline=_column(asg, "plan_baseline", np.nan, n_a),
        deadline_year=d_year,
        deadline_quarter=d_quarter,
        is_done_by=comparator == Comparator.DONE_BY,
        code=code,
        direction=np.where(np.isin(comparator, _LOWER_COMPARATORS), -1.0, 1.0),
        recurring=(asg["recurrence"] == Recurrence.YEARLY).to_numpy() if "recurrence" in asg else np.zeros(n_a, bool),
        low=np.nan_to_num(_column(asg, "min_value", -np.inf, n_a), nan=-np.inf),
        high=np.nan_to_num(_column(asg, "max_value", np.inf, n_a), nan=np.inf),
    )


def _time(c: _Commitments, first_year: int, n_q: int) -> _Time:
    """τ and the time-elapsed share s of every cell (docs §1)."""
    k = np.arange(n_q)
    quarter_k = k % 4 + 1
    year_k = first_year + k // 4
    end_year = np.where(np.isnan(c.deadline_year), c.target_year, c.deadline_year)
    end_quarter = np.where(np.isnan(c.deadline_year), 4.0, c.deadline_quarter)
    n_total = 4.0 * (end_year - c.base_year) + end_quarter - 4.0
    offset = 4.0 * (first_year - c.base_year) - 3.0
    tau = k[None, :] + offset[:, None]  # (A, Q)
    ref_shift = np.where(c.seasonal[:, None] & (quarter_k[None, :] < 4), quarter_k[None, :], 0)
    tau_ref = tau - ref_shift  # seasonal Q1–Q3: judged at the end of the previous year
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(n_total[:, None] > 0, np.clip(tau_ref / n_total[:, None], 0.0, 1.0), 1.0)
    return _Time(k=k, year=year_k, quarter=quarter_k, n_total=n_total, offset=offset, tau=tau, share=s)


def _observation_matrices(asg: pd.DataFrame, observations: pd.DataFrame, first_year: int, n_q: int):
    """Each assignment's observations (of its area and indicator) as three (A, Q + 4) matrices — value, observation
    id, cities aggregated — whose column c = k + 4 is grid quarter k (the first four: the year before the grid)."""
    n_a = len(asg)
    area = asg["area_id"].to_numpy()
    indicator = asg["indicator_id"].to_numpy()
    area_codes, _ = pd.factorize(np.concatenate([area, observations["area_id"].to_numpy()]))
    ind_codes, ind_uniques = pd.factorize(np.concatenate([indicator, observations["indicator_id"].to_numpy()]))
    combined = area_codes.astype(np.int64) * max(len(ind_uniques), 1) + ind_codes
    g, key_uniques = pd.factorize(combined[:n_a])
    o_g = pd.Index(key_uniques).get_indexer(combined[n_a:])

    o_year = observations["year"].to_numpy(dtype=np.int64)
    o_quarter = observations["quarter"].to_numpy(dtype=np.int64)
    o_value = observations["value"].to_numpy(dtype=float)
    o_id = _column(observations, "observation_id", np.nan, len(observations))
    o_derived = _column(observations, "derived_from", np.nan, len(observations))
    n_cols = n_q + 4
    col = 4 * (o_year - (first_year - 1)) + o_quarter - 1
    keep = (o_g >= 0) & (col >= 0) & (col < n_cols) & ~np.isnan(o_value)
    n_g = len(key_uniques)
    matrices = []
    for source in (o_value, o_id, o_derived):
        matrix = np.full((n_g, n_cols), np.nan)
        matrix[o_g[keep], col[keep]] = source[keep]
        matrices.append(matrix[g])
    return matrices


def _actuals(c: _Commitments, time: _Time, values, ids, derived) -> _Actuals:
    """The judged value a with carry-forward and the seasonal rule, and the 同比 columns (docs §2)."""
    n_q = len(time.k)
    current = values[:, 4:]  # this quarter's year-to-date value, as reported
    year_before = values[:, :n_q]  # the same quarter one year earlier
    judged = ~np.isnan(current) & (~c.seasonal[:, None] | (time.quarter == 4)[None, :])
    last = np.where(judged, time.k[None, :], -1)
    np.maximum.accumulate(last, axis=1, out=last)
    has_actual = last >= 0
    safe = np.where(has_actual, last, 0)
    ytd = np.where(c.seasonal[:, None], current, np.nan)
    return _Actuals(
        current=current,
        judged=judged,
        has_actual=has_actual,
        source_k=safe,
        value=np.where(has_actual, np.take_along_axis(current, safe, axis=1), np.nan),
        observation_id=np.where(has_actual, np.take_along_axis(ids[:, 4:], safe, axis=1), np.nan),
        derived_from=np.where(has_actual, np.take_along_axis(derived[:, 4:], safe, axis=1), np.nan),
        tau=safe + time.offset[:, None],
        ytd=ytd,
        yoy=ytd - np.where(c.seasonal[:, None], year_before, np.nan),
    )


def _observed_baselines(asg: pd.DataFrame, observations: pd.DataFrame, base_year: np.ndarray):
    """Each assignment's own 全年 value of its baseline year, and that observation's id (NaN where none)."""
    q4 = observations.loc[
        (observations["quarter"] == 4) & observations["value"].notna(),
        ["area_id", "indicator_id", "year", "value", *(["observation_id"] if "observation_id" in observations else [])],
    ].drop_duplicates(["area_id", "indicator_id", "year"], keep="last")
    area, indicator = asg["area_id"].to_numpy(), asg["indicator_id"].to_numpy()
    wanted = pd.DataFrame({"area_id": area, "indicator_id": indicator, "year": base_year.astype(np.int64)})
    found = wanted.merge(q4, on=["area_id", "indicator_id", "year"], how="left")
    return found["value"].to_numpy(dtype=float), _column(found, "observation_id", np.nan, len(asg))


def _line(c: _Commitments, observed_b: np.ndarray, observed_b_id: np.ndarray) -> _Line:
    """The baseline b by source (docs §3), the target level t (§4), and whether there is a distance to cover."""
    zero_baseline = np.isin(c.kind, _ZERO_BASELINE_KINDS) | c.is_done_by | c.recurring  # a yearly count restarts at 0
    source = first_that_holds(
        [
            (zero_baseline, BaselineSource.ZERO),
            (~np.isnan(c.plan_baseline), BaselineSource.PLAN),
            (~np.isnan(observed_b), BaselineSource.OBSERVED),
        ],
        BaselineSource.MISSING,
    )
    b = np.select(
        [
            source == category(BaselineSource.ZERO),
            source == category(BaselineSource.PLAN),
            source == category(BaselineSource.OBSERVED),
        ],
        [0.0, c.plan_baseline, observed_b],
        np.nan,
    )
    b_id = np.where(source == category(BaselineSource.OBSERVED), observed_b_id, np.nan)
    t = np.select(
        [c.is_done_by, c.comparator == Comparator.REDUCE_PCT, c.comparator == Comparator.REDUCE_ABS],
        [100.0, b * (1.0 - c.value / 100.0), b - c.value],
        c.value,
    )
    have_bt = ~np.isnan(b) & ~np.isnan(t)
    span = t - b
    flat = have_bt & (np.abs(span) <= EPS * np.maximum(1.0, np.abs(t)))
    maintain = have_bt & (flat | satisfies(b, t, c.code))
    return _Line(source=source, b=b, b_id=b_id, t=t, have_bt=have_bt, span=span, flat=flat, maintain=maintain)


def _distance(line: _Line, c: _Commitments, s: np.ndarray, actual: np.ndarray):
    """Expected value, progress ratio, gap and gap share (docs §5)."""
    b2, t2, span2, d2 = line.b[:, None], line.t[:, None], line.span[:, None], c.direction[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = b2 + s * span2
        progress = np.where((line.have_bt & ~line.maintain)[:, None], (actual - b2) / span2, np.nan)
        gap = d2 * (t2 - actual)
        gap_share = np.where((line.have_bt & ~line.flat)[:, None], gap / np.abs(span2), np.nan)
    return expected, progress, gap, gap_share


def _status(line: _Line, s, actual, achieved, progress) -> np.ndarray:
    """The status of every cell: the first rule that holds (docs §6), as Status category codes."""
    no_data = np.isnan(actual)
    every = np.ones_like(s, dtype=bool)
    t2, b2 = line.t[:, None], line.b[:, None]
    with np.errstate(invalid="ignore"):
        return first_that_holds(
            [
                (no_data, Status.NO_DATA),
                (np.isnan(t2) & ~no_data, Status.NO_BASELINE),
                (achieved, Status.ACHIEVED),
                (s >= 1.0 - EPS, Status.OVERDUE),
                (np.isnan(b2) & every, Status.NO_BASELINE),
                (line.maintain[:, None] & every, Status.REGRESSING),
                (progress >= ON_TRACK_SHARE * s - EPS, Status.ON_TRACK),
                (progress >= AT_RISK_SHARE * s - EPS, Status.AT_RISK),
                (progress >= -EPS, Status.OFF_TRACK),
            ],
            Status.REGRESSING,
        ).astype(np.int8)


def _schedule_ratio(line: _Line, s, progress, achieved, status) -> np.ndarray:
    """p/s clipped to −1…1; 1 when achieved, −1 for a maintain target no longer met, empty without a line (§7)."""
    with np.errstate(invalid="ignore"):
        schedule = np.where(s > EPS, np.clip(progress / np.where(s > EPS, s, 1.0), -1.0, 1.0), np.nan)
    schedule = np.where(line.maintain[:, None], -1.0, schedule)
    schedule = np.where(achieved, 1.0, schedule)
    unjudged = (status == category(Status.NO_BASELINE)) | (status == category(Status.NO_DATA))
    return np.where(unjudged, np.nan, schedule)


def _projection(line: _Line, c: _Commitments, time: _Time, actuals: _Actuals):
    """The least-squares line through (0, b) and the judged points, read at τ = N, its ratio and status (§8)."""
    judged = actuals.judged
    x = np.where(judged, time.tau, 0.0)
    y = np.where(judged, actuals.current, 0.0)
    n_pts = np.cumsum(judged, axis=1, dtype=float)
    sx = np.cumsum(x, axis=1)
    sy = np.cumsum(y, axis=1)
    sxy = np.cumsum(x * y, axis=1)
    sxx = np.cumsum(x * x, axis=1)
    anchor = ~np.isnan(line.b)
    n_pts += anchor[:, None]
    sy += np.where(anchor, line.b, 0.0)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        den = n_pts * sxx - sx * sx
        slope = (n_pts * sxy - sx * sy) / den
        intercept = (sy - slope * sx) / n_pts
        fitted = (n_pts >= 2) & (den > EPS) & actuals.has_actual
        projection = np.where(fitted, intercept + slope * time.n_total[:, None], np.nan)
    projection = np.where((time.share >= 1.0 - EPS) & actuals.has_actual, actuals.value, projection)
    maintain, every = line.maintain[:, None], np.ones_like(time.share, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        distance = (projection - line.b[:, None]) / line.span[:, None]
        ratio = np.where((line.have_bt & ~line.maintain)[:, None], distance, np.nan)
        status = first_that_holds(
            [
                (np.isnan(projection), ProjectionStatus.INSUFFICIENT_DATA),
                (maintain & satisfies(projection, line.t[:, None], c.code[:, None]), ProjectionStatus.LIKELY),
                (maintain & every, ProjectionStatus.STAGNATION),
                (np.isnan(ratio), ProjectionStatus.INSUFFICIENT_DATA),
                (ratio >= PROJECTION_LIKELY - EPS, ProjectionStatus.LIKELY),
                (ratio >= PROJECTION_ACCELERATE - EPS, ProjectionStatus.NEEDS_ACCELERATION),
            ],
            ProjectionStatus.STAGNATION,
        ).astype(np.int8)
    return projection, ratio, status


def _sdg(line: _Line, c: _Commitments, time: _Time, actuals: _Actuals, achieved):
    """Open SDG's growth ratio R and its class, with this tracker's departures (docs §9)."""
    b, b2, t2, actual = line.b, line.b[:, None], line.t[:, None], actuals.value
    years_observed = actuals.tau / 4.0
    years_required = time.n_total / 4.0
    sign = np.where(b < 0, -1.0, 1.0)
    t_sdg = np.where(line.t == 0, SDG_ZERO_TARGET, line.t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cagr_observed = np.power(actual / b2, 1.0 / years_observed) - 1.0
        cagr_required = np.power(t_sdg / b, 1.0 / years_required) - 1.0
        moved = (sign * c.direction)[:, None] * cagr_observed
        ratio = moved / np.abs(cagr_required)[:, None]
    insufficient = (
        np.isnan(actual)
        | np.isnan(b2)
        | np.isnan(t2)
        | (b2 == 0)
        | (actual * b2 < 0)
        | (years_observed < 1.0 - EPS)
        | (years_required <= 0)[:, None]
        | np.isnan(cagr_observed)
        | np.isnan(cagr_required)[:, None]
    )
    no_required_growth = (np.abs(cagr_required) <= EPS)[:, None]
    ratio = np.where(insufficient | no_required_growth, np.nan, ratio)
    with np.errstate(invalid="ignore"):
        status = first_that_holds(
            [
                (achieved, SdgStatus.ACHIEVED),
                (insufficient, SdgStatus.INSUFFICIENT_DATA),
                (no_required_growth & (moved < -EPS), SdgStatus.DETERIORATION),
                (no_required_growth, SdgStatus.LIMITED),
                (ratio >= SDG_HIGH - EPS, SdgStatus.SUBSTANTIAL),
                (ratio >= SDG_MED - EPS, SdgStatus.MODERATE),
                (ratio >= SDG_LOW - EPS, SdgStatus.LIMITED),
            ],
            SdgStatus.DETERIORATION,
        ).astype(np.int8)
    return ratio, status


def compute_progress(
    assignments: pd.DataFrame, observations: pd.DataFrame, *, first_year: int, through: tuple[int, int]
) -> pd.DataFrame:
    """One row for every assignment × every quarter from (first_year, 1) through ``through`` inclusive.

    See the module docstring and docs/progress.md for every column's definition.
    """
    n_q = 4 * (int(through[0]) - first_year) + int(through[1])
    n_a = len(assignments)
    if n_q <= 0 or n_a == 0:
        return _empty_progress()
    asg = assignments.reset_index(drop=True)
    c = _commitments(asg)
    time = _time(c, first_year, n_q)
    matrices = _observation_matrices(asg, observations, first_year, n_q)
    actuals = _actuals(c, time, *matrices)
    line = _line(c, *_observed_baselines(asg, observations, c.base_year))
    s, a = time.share, actuals.value
    expected, progress, gap, gap_share = _distance(line, c, s, a)
    achieved = satisfies(a, line.t[:, None], c.code[:, None])
    status = _status(line, s, a, achieved, progress)
    projection, projection_ratio, projection_status = _projection(line, c, time, actuals)
    sdg_ratio, sdg_status = _sdg(line, c, time, actuals, achieved)
    cells = {
        "actual": a,
        "has_actual": actuals.has_actual,
        "source_k": actuals.source_k,
        "actual_observation_id": actuals.observation_id,
        "actual_derived_from": actuals.derived_from,
        "time_share": s,
        "expected": expected,
        "progress_ratio": progress,
        "gap": gap,
        "gap_share": gap_share,
        "status": status,
        "projection": projection,
        "projection_ratio": projection_ratio,
        "projection_status": projection_status,
        "sdg_ratio": sdg_ratio,
        "sdg_status": sdg_status,
        "schedule_ratio": _schedule_ratio(line, s, progress, achieved, status),
        "year_state": np.full((n_a, n_q), -1, dtype=np.int8),
        "years_met": np.full((n_a, n_q), np.nan),
        "years_due": np.full((n_a, n_q), np.nan),
    }
    rows = np.flatnonzero(c.recurring)
    if len(rows):  # yearly duties: each year read on its own, their cells laid over the ones above
        own = (matrix[rows, 4:] for matrix in matrices)
        for name, values in read_years(asg.iloc[rows], line.t[rows], time.year, time.quarter, *own).items():
            cells[name][rows] = values
    keep_in_range(cells, c.low, c.high)
    return _frame(asg, first_year, time, line, actuals, cells)


def _frame(asg: pd.DataFrame, first_year: int, time: _Time, line: _Line, actuals: _Actuals, cells: dict):
    """The rows of compute_progress from the per-assignment values and the (assignment × quarter) cells."""
    n_a, n_q = len(asg), len(time.k)

    def rep(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, n_q)

    source_k, no_actual = cells["source_k"].ravel(), ~cells["has_actual"].ravel()
    out = {
        "target_id": rep(asg["target_id"].to_numpy()),
        "area_id": rep(asg["area_id"].to_numpy()),
        "year": np.tile(time.year, n_a),
        "quarter": np.tile(time.quarter, n_a),
        "actual": cells["actual"].ravel(),
        "actual_year": _int_array(first_year + source_k // 4, no_actual),
        "actual_quarter": _int_array(source_k % 4 + 1, no_actual),
        "actual_observation_id": _float_ids_to_int(cells["actual_observation_id"].ravel()),
        "actual_derived_from": _float_ids_to_int(cells["actual_derived_from"].ravel()),
        "ytd_value": actuals.ytd.ravel(),
        "yoy_change": actuals.yoy.ravel(),
        "baseline": rep(line.b),
        "baseline_source": categorical(rep(line.source), BaselineSource),
        "baseline_observation_id": _float_ids_to_int(rep(line.b_id)),
        "target": rep(line.t),
    }
    for name in ("time_share", "expected", "progress_ratio", "gap", "gap_share", "projection", "projection_ratio"):
        out[name] = cells[name].ravel()
    out["projection_clipped"] = cells["projection_clipped"].ravel()
    out["sdg_ratio"], out["schedule_ratio"] = cells["sdg_ratio"].ravel(), cells["schedule_ratio"].ravel()
    for name, choices in (
        ("status", Status),
        ("projection_status", ProjectionStatus),
        ("sdg_status", SdgStatus),
        ("year_state", YearState),
    ):
        out[name] = categorical(cells[name].ravel(), choices)
    out["years_met"] = _float_ids_to_int(cells["years_met"].ravel())
    out["years_due"] = _float_ids_to_int(cells["years_due"].ravel())
    # The columns are arrays of their own: not stacking the float ones into one block spares a copy of the table.
    return pd.DataFrame(out, columns=PROGRESS_COLUMNS, copy=False)
