"""The progress engine's arithmetic: pure functions over pandas DataFrames (no Django, no database).

Every figure is defined, with worked examples, in ``docs/progress.md``; the tests in
``tests/progress/test_engine.py`` reproduce those examples. In short, for a target with baseline b, target level t,
judged actual a and time-elapsed share s:

* expected value (序时进度值) e = b + s·(t − b); progress ratio p = (a − b)/(t − b);
* status: achieved / on track (p ≥ 0.95·s) / at risk (p ≥ 0.60·s) / off track (p ≥ 0) / regressing (p < 0),
  overdue once the deadline is reached unachieved, no baseline, no data;
* the Open SDG (sdg-build ``ProgressMeasure``) growth ratio R and status as a second opinion;
* a linear-trend projection to the end of the target year with the UNSD-style ratio.

Everything is computed on whole arrays (one (assignment × quarter) matrix per quantity), never row by row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STATUSES = ["achieved", "on_track", "at_risk", "off_track", "regressing", "overdue", "no_baseline", "no_data"]
SDG_STATUSES = ["achieved", "substantial", "moderate", "limited", "deterioration", "insufficient_data"]
PROJECTION_STATUSES = ["likely", "needs_acceleration", "stagnation", "insufficient_data"]
BASELINE_SOURCES = ["plan", "observed", "zero", "missing"]

DEFAULT_BASELINE_YEAR = 2020
# 序时进度 thresholds, as fractions of the time-elapsed share s.
ON_TRACK_SHARE = 0.95
AT_RISK_SHARE = 0.60
# Open SDG / sdg-build default thresholds for the growth ratio R (method 2, quantitative target).
SDG_HIGH = 0.95
SDG_MED = 0.60
SDG_LOW = 0.0
# sdg-build replaces a target of exactly zero by this value (a zero base value it also replaces; we do not, see docs).
SDG_ZERO_TARGET = 0.001
# UNSD-style projection ratio thresholds.
PROJECTION_LIKELY = 0.95
PROJECTION_ACCELERATE = 0.10
# Relative tolerance for comparisons, so that 44.6 × 0.85 compares equal to a typed 37.91.
EPS = 1e-9

AGGREGATIONS = ("mean", "sum", "min", "max")
_LOWER_COMPARATORS = ("le", "lt", "reduce_pct", "reduce_abs")
_ZERO_BASELINE_KINDS = ("cumulative", "completion")

# Comparator codes used internally: the test a value must pass once the target is turned into a level t.
_LE, _LT, _GE, _GT = 0, 1, 2, 3

PROGRESS_COLUMNS = [
    "target_id",
    "area_id",
    "year",
    "quarter",
    "actual",
    "actual_year",
    "actual_quarter",
    "actual_observation_id",
    "actual_derived_from",
    "ytd_value",
    "yoy_change",
    "baseline",
    "baseline_source",
    "baseline_observation_id",
    "target",
    "time_share",
    "expected",
    "progress_ratio",
    "gap",
    "gap_share",
    "status",
    "projection",
    "projection_ratio",
    "projection_status",
    "sdg_ratio",
    "sdg_status",
    "schedule_ratio",
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
def _satisfies(x: np.ndarray, t: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Whether x passes the comparator ``code`` against level t (NaN never does), with a relative tolerance."""
    tol = EPS * np.maximum(1.0, np.abs(t))
    with np.errstate(invalid="ignore"):
        return np.select(
            [code == _LE, code == _LT, code == _GE, code == _GT],
            [x <= t + tol, x < t - tol, x >= t - tol, x > t + tol],
            False,
        )


def _int_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype("int64"), mask.astype(bool))


def _float_ids_to_int(values: np.ndarray) -> pd.arrays.IntegerArray:
    mask = np.isnan(values)
    return _int_array(np.where(mask, 0, values), mask)


def progress_score(status, schedule_ratio) -> np.ndarray:
    """The −5…+5 score of each row: 5 when achieved, else sdg-build's method-2 score function applied to the
    schedule ratio r (which plays the part of sdg-build's R, with the same 0.95 / 0.60 / 0 thresholds):
    r ≥ 0.60: min(50/7·r − 30/7, 5); r < 0.60: max(25/6·r − 2.5, −5). NaN where r is NaN and not achieved."""
    status = np.asarray(status, dtype=object)
    r = np.asarray(schedule_ratio, dtype=float)
    with np.errstate(invalid="ignore"):
        upper = np.minimum(50.0 / 7.0 * r - 30.0 / 7.0, 5.0)
        lower = np.maximum(25.0 / 6.0 * r - 2.5, -5.0)
        score = np.where(r >= SDG_MED, upper, lower)
    return np.where(status == "achieved", 5.0, score)


def _empty_progress() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float) for c in PROGRESS_COLUMNS})


# --------------------------------------------------------------------------------------------------------------------
# compute_progress
# --------------------------------------------------------------------------------------------------------------------
def compute_progress(
    assignments: pd.DataFrame, observations: pd.DataFrame, *, first_year: int, through: tuple[int, int]
) -> pd.DataFrame:
    """One row for every assignment × every quarter from (first_year, 1) through ``through`` inclusive.

    See the module docstring and docs/progress.md for every column's definition.
    """
    through_year, through_quarter = int(through[0]), int(through[1])
    n_q = 4 * (through_year - first_year) + through_quarter
    n_a = len(assignments)
    if n_q <= 0 or n_a == 0:
        return _empty_progress()

    asg = assignments.reset_index(drop=True)
    comparator = asg["comparator"].astype(object).to_numpy()
    kind = asg["kind"].astype(object).to_numpy() if "kind" in asg.columns else np.full(n_a, "level", dtype=object)
    seasonal = (
        asg["seasonal"].fillna(False).astype(bool).to_numpy() if "seasonal" in asg.columns else np.zeros(n_a, bool)
    )
    value = pd.to_numeric(asg["value"], errors="coerce").to_numpy(dtype=float)
    target_year = asg["target_year"].to_numpy(dtype=float)
    base_year = (
        pd.to_numeric(asg["baseline_year"], errors="coerce").fillna(DEFAULT_BASELINE_YEAR).to_numpy(dtype=float)
        if "baseline_year" in asg.columns
        else np.full(n_a, float(DEFAULT_BASELINE_YEAR))
    )
    plan_baseline = (
        pd.to_numeric(asg["plan_baseline"], errors="coerce").to_numpy(dtype=float)
        if "plan_baseline" in asg.columns
        else np.full(n_a, np.nan)
    )
    if "deadline" in asg.columns:
        deadline = pd.to_datetime(asg["deadline"], errors="coerce")
        d_year = deadline.dt.year.to_numpy(dtype=float)
        d_quarter = ((deadline.dt.month.to_numpy(dtype=float) - 1) // 3) + 1
    else:
        d_year = d_quarter = np.full(n_a, np.nan)

    is_done_by = comparator == "done_by"
    code = np.select(
        [np.isin(comparator, ["le", "reduce_pct", "reduce_abs"]), comparator == "lt", comparator == "gt"],
        [_LE, _LT, _GT],
        _GE,
    )
    direction = np.where(np.isin(comparator, _LOWER_COMPARATORS), -1.0, 1.0)

    # ---- time: quarter k = 0 … n_q-1 of the grid; τ = quarters since the end of the baseline year -----------------
    k = np.arange(n_q)
    quarter_k = k % 4 + 1
    year_k = first_year + k // 4
    end_year = np.where(np.isnan(d_year), target_year, d_year)
    end_quarter = np.where(np.isnan(d_year), 4.0, d_quarter)
    n_total = 4.0 * (end_year - base_year) + end_quarter - 4.0  # quarters from baseline end to deadline end
    offset = 4.0 * (first_year - base_year) - 3.0  # τ(k) = k + offset
    tau = k[None, :] + offset[:, None]  # (A, Q)
    ref_shift = np.where(seasonal[:, None] & (quarter_k[None, :] < 4), quarter_k[None, :], 0)
    tau_ref = tau - ref_shift  # seasonal Q1–Q3: judged at the end of the previous year
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(n_total[:, None] > 0, np.clip(tau_ref / n_total[:, None], 0.0, 1.0), 1.0)

    # ---- observations into an (area, indicator) × column matrix; column c = k + 4 (one year before the grid) ------
    area = asg["area_id"].to_numpy()
    indicator = asg["indicator_id"].to_numpy()
    o_area = observations["area_id"].to_numpy()
    o_ind = observations["indicator_id"].to_numpy()
    area_codes, _ = pd.factorize(np.concatenate([area, o_area]))
    ind_codes, ind_uniques = pd.factorize(np.concatenate([indicator, o_ind]))
    combined = area_codes.astype(np.int64) * max(len(ind_uniques), 1) + ind_codes
    g, key_uniques = pd.factorize(combined[:n_a])
    o_g = pd.Index(key_uniques).get_indexer(combined[n_a:])

    o_year = observations["year"].to_numpy(dtype=np.int64)
    o_quarter = observations["quarter"].to_numpy(dtype=np.int64)
    o_value = observations["value"].to_numpy(dtype=float)
    o_id = (
        pd.to_numeric(observations["observation_id"], errors="coerce").to_numpy(dtype=float)
        if "observation_id" in observations.columns
        else np.full(len(observations), np.nan)
    )
    o_derived = (
        pd.to_numeric(observations["derived_from"], errors="coerce").to_numpy(dtype=float)
        if "derived_from" in observations.columns
        else np.full(len(observations), np.nan)
    )
    n_cols = n_q + 4
    col = 4 * (o_year - (first_year - 1)) + o_quarter - 1
    keep = (o_g >= 0) & (col >= 0) & (col < n_cols) & ~np.isnan(o_value)
    n_g = len(key_uniques)
    val2d = np.full((n_g, n_cols), np.nan)
    id2d = np.full((n_g, n_cols), np.nan)
    der2d = np.full((n_g, n_cols), np.nan)
    val2d[o_g[keep], col[keep]] = o_value[keep]
    id2d[o_g[keep], col[keep]] = o_id[keep]
    der2d[o_g[keep], col[keep]] = o_derived[keep]

    values_all = val2d[g]  # (A, Q + 4)
    current = values_all[:, 4:]  # this quarter's year-to-date value, as reported
    year_before = values_all[:, :n_q]  # the same quarter one year earlier

    # ---- the judged series and carry-forward ------------------------------------------------------------------------
    judged = ~np.isnan(current) & (~seasonal[:, None] | (quarter_k == 4)[None, :])
    last = np.where(judged, k[None, :], -1)
    np.maximum.accumulate(last, axis=1, out=last)
    has_actual = last >= 0
    safe = np.where(has_actual, last, 0)
    actual = np.where(has_actual, np.take_along_axis(current, safe, axis=1), np.nan)
    actual_id = np.where(has_actual, np.take_along_axis(id2d[g][:, 4:], safe, axis=1), np.nan)
    actual_derived = np.where(has_actual, np.take_along_axis(der2d[g][:, 4:], safe, axis=1), np.nan)
    actual_tau = safe + offset[:, None]

    ytd = np.where(seasonal[:, None], current, np.nan)
    yoy = ytd - np.where(seasonal[:, None], year_before, np.nan)

    # ---- baseline and target level ----------------------------------------------------------------------------------
    zero_baseline = np.isin(kind, _ZERO_BASELINE_KINDS) | is_done_by
    q4 = observations.loc[
        (observations["quarter"] == 4) & observations["value"].notna(),
        ["area_id", "indicator_id", "year", "value", *(["observation_id"] if "observation_id" in observations else [])],
    ].drop_duplicates(["area_id", "indicator_id", "year"], keep="last")
    wanted = pd.DataFrame({"area_id": area, "indicator_id": indicator, "year": base_year.astype(np.int64)})
    found = wanted.merge(q4, on=["area_id", "indicator_id", "year"], how="left")
    observed_b = found["value"].to_numpy(dtype=float)
    observed_b_id = (
        pd.to_numeric(found["observation_id"], errors="coerce").to_numpy(dtype=float)
        if "observation_id" in found.columns
        else np.full(n_a, np.nan)
    )
    has_plan = ~np.isnan(plan_baseline)
    has_observed = ~np.isnan(observed_b)
    source = np.select([zero_baseline, has_plan, has_observed], [2, 0, 1], 3)  # BASELINE_SOURCES codes
    b = np.select([source == 2, source == 0, source == 1], [0.0, plan_baseline, observed_b], np.nan)
    b_id = np.where(source == 1, observed_b_id, np.nan)

    t = np.select(
        [
            is_done_by,
            comparator == "reduce_pct",
            comparator == "reduce_abs",
        ],
        [100.0, b * (1.0 - value / 100.0), b - value],
        value,
    )
    have_bt = ~np.isnan(b) & ~np.isnan(t)
    span = t - b
    flat = have_bt & (np.abs(span) <= EPS * np.maximum(1.0, np.abs(t)))
    maintain = have_bt & (flat | _satisfies(b, t, code))  # t = b, or already met at baseline

    # ---- the Chinese reading: 序时进度 --------------------------------------------------------------------------
    b2, t2, span2, d2 = b[:, None], t[:, None], span[:, None], direction[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = b2 + s * span2
        progress = np.where((have_bt & ~maintain)[:, None], (actual - b2) / span2, np.nan)
        gap = d2 * (t2 - actual)
        gap_share = np.where((have_bt & ~flat)[:, None], gap / np.abs(span2), np.nan)
    achieved = _satisfies(actual, t2, code[:, None])
    no_data = np.isnan(actual)
    deadline_reached = s >= 1.0 - EPS
    with np.errstate(invalid="ignore"):
        status = np.select(
            [
                no_data,
                np.isnan(t2) & ~no_data,
                achieved,
                deadline_reached,
                np.isnan(b2) & np.ones_like(s, dtype=bool),
                maintain[:, None] & np.ones_like(s, dtype=bool),
                progress >= ON_TRACK_SHARE * s - EPS,
                progress >= AT_RISK_SHARE * s - EPS,
                progress >= -EPS,
            ],
            [7, 6, 0, 5, 6, 4, 1, 2, 3],
            4,
        ).astype(np.int8)
        schedule = np.where(s > EPS, np.clip(progress / np.where(s > EPS, s, 1.0), -1.0, 1.0), np.nan)
    schedule = np.where(maintain[:, None], -1.0, schedule)
    schedule = np.where(achieved, 1.0, schedule)
    schedule = np.where((status == 6) | (status == 7), np.nan, schedule)

    # ---- projection: least-squares line through (0, b) and the judged points, read at the deadline -----------------
    x = np.where(judged, tau, 0.0)
    y = np.where(judged, current, 0.0)
    n_pts = np.cumsum(judged, axis=1, dtype=float)
    sx = np.cumsum(x, axis=1)
    sy = np.cumsum(y, axis=1)
    sxy = np.cumsum(x * y, axis=1)
    sxx = np.cumsum(x * x, axis=1)
    anchor = ~np.isnan(b)
    n_pts += anchor[:, None]
    sy += np.where(anchor, b, 0.0)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        den = n_pts * sxx - sx * sx
        slope = (n_pts * sxy - sx * sy) / den
        intercept = (sy - slope * sx) / n_pts
        projection = np.where((n_pts >= 2) & (den > EPS) & has_actual, intercept + slope * n_total[:, None], np.nan)
    projection = np.where(deadline_reached & has_actual, actual, projection)
    with np.errstate(divide="ignore", invalid="ignore"):
        projection_ratio = np.where((have_bt & ~maintain)[:, None], (projection - b2) / span2, np.nan)
        projection_status = np.select(
            [
                np.isnan(projection),
                maintain[:, None] & _satisfies(projection, t2, code[:, None]),
                maintain[:, None] & np.ones_like(s, dtype=bool),
                np.isnan(projection_ratio),
                projection_ratio >= PROJECTION_LIKELY - EPS,
                projection_ratio >= PROJECTION_ACCELERATE - EPS,
            ],
            [3, 0, 2, 3, 0, 1],
            2,
        ).astype(np.int8)

    # ---- the international reading: Open SDG growth ratio R ---------------------------------------------------------
    years_observed = actual_tau / 4.0
    years_required = n_total / 4.0
    sign = np.where(b < 0, -1.0, 1.0)
    t_sdg = np.where(t == 0, SDG_ZERO_TARGET, t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cagr_observed = np.power(actual / b2, 1.0 / years_observed) - 1.0
        cagr_required = np.power(t_sdg / b, 1.0 / years_required) - 1.0
        moved = (sign * direction)[:, None] * cagr_observed
        sdg_ratio = moved / np.abs(cagr_required)[:, None]
    insufficient = (
        no_data
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
    sdg_ratio = np.where(insufficient | no_required_growth, np.nan, sdg_ratio)
    with np.errstate(invalid="ignore"):
        sdg_status = np.select(
            [
                achieved,
                insufficient,
                no_required_growth & (moved < -EPS),
                no_required_growth,
                sdg_ratio >= SDG_HIGH - EPS,
                sdg_ratio >= SDG_MED - EPS,
                sdg_ratio >= SDG_LOW - EPS,
            ],
            [0, 5, 4, 3, 1, 2, 3],
            4,
        ).astype(np.int8)

    # ---- assemble ---------------------------------------------------------------------------------------------------
    def rep(a: np.ndarray) -> np.ndarray:
        return np.repeat(a, n_q)

    out = {
        "target_id": rep(asg["target_id"].to_numpy()),
        "area_id": rep(area),
        "year": np.tile(year_k, n_a),
        "quarter": np.tile(quarter_k, n_a),
        "actual": actual.ravel(),
        "actual_year": _int_array((first_year + safe // 4).ravel(), ~has_actual.ravel()),
        "actual_quarter": _int_array((safe % 4 + 1).ravel(), ~has_actual.ravel()),
        "actual_observation_id": _float_ids_to_int(actual_id.ravel()),
        "actual_derived_from": _float_ids_to_int(actual_derived.ravel()),
        "ytd_value": ytd.ravel(),
        "yoy_change": yoy.ravel(),
        "baseline": rep(b),
        "baseline_source": pd.Categorical.from_codes(rep(source), categories=BASELINE_SOURCES),
        "baseline_observation_id": _float_ids_to_int(rep(b_id)),
        "target": rep(t),
        "time_share": s.ravel(),
        "expected": expected.ravel(),
        "progress_ratio": progress.ravel(),
        "gap": gap.ravel(),
        "gap_share": gap_share.ravel(),
        "status": pd.Categorical.from_codes(status.ravel(), categories=STATUSES),
        "projection": projection.ravel(),
        "projection_ratio": projection_ratio.ravel(),
        "projection_status": pd.Categorical.from_codes(projection_status.ravel(), categories=PROJECTION_STATUSES),
        "sdg_ratio": sdg_ratio.ravel(),
        "sdg_status": pd.Categorical.from_codes(sdg_status.ravel(), categories=SDG_STATUSES),
        "schedule_ratio": schedule.ravel(),
    }
    return pd.DataFrame(out, columns=PROGRESS_COLUMNS)


# --------------------------------------------------------------------------------------------------------------------
# Roll-ups
# --------------------------------------------------------------------------------------------------------------------
def rollup(progress: pd.DataFrame, groups: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per ``key`` (department, section, …): counts by status, total, mean schedule ratio, mean score (−5…+5) and
    the three rows furthest behind as (area_id, target_id, gap_share).

    progress: rows of compute_progress for one quarter. groups: target_id, <key> and optionally area_id; a target
    mapped to several keys (a lead and a co-operating department) counts in each.
    """
    on = ["target_id", "area_id"] if "area_id" in groups.columns else ["target_id"]
    mapping = groups[[*on, key]].drop_duplicates()
    rows = progress.merge(mapping, on=on, how="inner")
    status = np.asarray(rows["status"], dtype=object)
    rows = rows.assign(
        _status=status,
        _score=progress_score(status, rows["schedule_ratio"].to_numpy(dtype=float)),
    )
    keys = pd.Index(mapping[key].drop_duplicates(), name=key)

    counts = rows.groupby([key, "_status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=keys, columns=STATUSES, fill_value=0).fillna(0).astype(int)
    result = counts.copy()
    result.columns.name = None
    result["total"] = counts.sum(axis=1)
    means = rows.groupby(key)[["schedule_ratio", "_score"]].mean().reindex(keys)
    result["mean_schedule_ratio"] = means["schedule_ratio"].to_numpy(dtype=float)
    result["score"] = means["_score"].to_numpy(dtype=float)

    behind = rows[(rows["_status"] != "achieved") & rows["gap_share"].notna()]
    behind = behind.sort_values([key, "gap_share", "area_id", "target_id"], ascending=[True, False, True, True])
    top = behind.groupby(key, sort=False).head(3)
    triples = pd.Series(
        list(zip(top["area_id"].tolist(), top["target_id"].tolist(), top["gap_share"].tolist(), strict=True)),
        index=top.index,
        dtype=object,
    )
    worst = triples.groupby(top[key], sort=False).agg(list).reindex(keys)
    result["furthest_behind"] = [w if isinstance(w, list) else [] for w in worst.tolist()]
    return result.reset_index()
