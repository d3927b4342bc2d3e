"""The per-row reference for bench_progress.py: the status arithmetic of the progress engine, one (assignment,
quarter) at a time in plain Python, from the same assignment and observation frames. It computes expected value,
progress ratio and status only, and is checked against the engine's output for the same rows."""

import time

from progress import engine

STATUS_TESTS = {"le": "le", "reduce_pct": "le", "reduce_abs": "le", "lt": "lt", "gt": "gt"}  # else "ge"


def schedule(a, k: int, first_year: int) -> tuple[int, bool, float]:
    """(baseline year, seasonal, share of the schedule elapsed) for assignment `a` in quarter k of the grid."""
    year, quarter = first_year + k // 4, k % 4 + 1
    base_year = int(a["baseline_year"]) if a["baseline_year"] == a["baseline_year"] else engine.DEFAULT_BASELINE_YEAR
    deadline = a["deadline"]
    if deadline is not None and deadline == deadline:  # NaT is not equal to itself
        end_year, end_quarter = deadline.year, (deadline.month - 1) // 3 + 1
    else:
        end_year, end_quarter = int(a["target_year"]), 4
    n_total = 4 * (end_year - base_year) + end_quarter - 4
    tau = 4 * (year - base_year) + quarter - 4
    seasonal = bool(a["seasonal"])
    tau_ref = tau - quarter if seasonal and quarter < 4 else tau
    share = min(max(tau_ref / n_total, 0.0), 1.0) if n_total > 0 else 1.0
    return base_year, seasonal, share


def latest_value(a, k: int, lookup: dict, seasonal: bool, first_year: int):
    """The latest judged value up to quarter k (seasonal: full years only), or None."""
    area, indicator = a["area_id"], a["indicator_id"]
    for back in range(k, -1, -1):
        y, q = first_year + back // 4, back % 4 + 1
        if seasonal and q != 4:
            continue
        v = lookup.get((area, indicator, y, q))
        if v is not None and v == v:
            return v
    return None


def baseline_and_target(a, lookup: dict, base_year: int):
    """(baseline, target value) of assignment `a`; either may be None (no baseline observation)."""
    comparator = a["comparator"]
    if a["kind"] in ("cumulative", "completion") or comparator == "done_by":
        b = 0.0
    elif a["plan_baseline"] == a["plan_baseline"] and a["plan_baseline"] is not None:
        b = float(a["plan_baseline"])
    else:
        b = lookup.get((a["area_id"], a["indicator_id"], base_year, 4))
        b = None if b is None or b != b else b
    value = a["value"]
    if comparator == "done_by":
        t = 100.0
    elif comparator == "reduce_pct":
        t = None if b is None else b * (1 - value / 100)
    elif comparator == "reduce_abs":
        t = None if b is None else b - value
    else:
        t = value
    return b, t


def status_of(actual, b, t, ratio, share: float, satisfies) -> str:
    eps = engine.EPS
    if actual is None:
        return "no_data"
    if t is None:
        return "no_baseline"
    if satisfies(actual):
        return "achieved"
    if share >= 1 - eps:
        return "overdue"
    if b is None:
        return "no_baseline"
    if ratio is None:  # a level to maintain, lost
        return "regressing"
    if ratio >= engine.ON_TRACK_SHARE * share - eps:
        return "on_track"
    if ratio >= engine.AT_RISK_SHARE * share - eps:
        return "at_risk"
    if ratio >= -eps:
        return "off_track"
    return "regressing"


def per_row_status(a, k: int, lookup: dict, first_year: int):
    """(expected, progress ratio, status) for assignment `a` (a dict) in quarter k of the grid."""
    eps = engine.EPS
    base_year, seasonal, share = schedule(a, k, first_year)
    actual = latest_value(a, k, lookup, seasonal, first_year)
    b, t = baseline_and_target(a, lookup, base_year)
    test = STATUS_TESTS.get(a["comparator"], "ge")

    def satisfies(x):
        tol = eps * max(1.0, abs(t))
        return {"le": x <= t + tol, "lt": x < t - tol, "ge": x >= t - tol, "gt": x > t + tol}[test]

    expected = ratio = None
    if b is not None and t is not None:
        expected = b + share * (t - b)
        flat = abs(t - b) <= eps * max(1.0, abs(t))
        maintain = flat or satisfies(b)
        ratio = None if maintain else (actual - b) / (t - b) if actual is not None else None
    status = status_of(actual, b, t, ratio, share, satisfies)
    stored = None if ratio is None else min(max(ratio, 0.0), 1.0)  # a completion share is stored held to 0…1
    return expected, stored, status


def per_row_reference(assignments, observations, engine_rows, *, first_year: int, through, sample_share) -> dict:
    """Run per_row_status on a random `sample_share` of the (assignment, quarter) grid from `first_year` Q1 to
    `through`; its seconds (and those of indexing the observations once) and its agreement with `engine_rows`."""
    import numpy as np

    n_q = 4 * (through[0] - first_year) + through[1]
    total = len(assignments) * n_q
    rng = np.random.default_rng(1)
    sample = np.sort(rng.choice(total, size=max(1, int(total * sample_share)), replace=False))

    started = time.perf_counter()
    lookup = {}
    for row in observations[["area_id", "indicator_id", "year", "quarter", "value"]].itertuples(index=False):
        lookup[(int(row[0]), int(row[1]), int(row[2]), int(row[3]))] = float(row[4])
    index_seconds = time.perf_counter() - started

    records = assignments.astype(object).where(assignments.notna(), None).to_dict("records")
    started = time.perf_counter()
    results = [per_row_status(records[i // n_q], int(i % n_q), lookup, first_year) for i in sample]
    loop_seconds = time.perf_counter() - started

    engine_status = np.asarray(engine_rows["status"], dtype=object)[sample]
    engine_expected = engine_rows["expected"].to_numpy(float)[sample]
    engine_ratio = engine_rows["progress_ratio"].to_numpy(float)[sample]
    ours_expected = np.array([np.nan if r[0] is None else r[0] for r in results])
    ours_ratio = np.array([np.nan if r[1] is None else r[1] for r in results])
    same_status = sum(r[2] == s for r, s in zip(results, engine_status, strict=True))
    both = ~np.isnan(ours_expected) & ~np.isnan(engine_expected)
    both_ratio = ~np.isnan(ours_ratio) & ~np.isnan(engine_ratio)
    return {
        "rows": len(sample),
        "loop": loop_seconds,
        "index": index_seconds,
        "same_status": same_status,
        "expected_diff": float(np.max(np.abs(ours_expected[both] - engine_expected[both]), initial=0.0)),
        "ratio_diff": float(np.max(np.abs(ours_ratio[both_ratio] - engine_ratio[both_ratio]), initial=0.0)),
        "nan_mismatch": int(np.sum(np.isnan(ours_expected) != np.isnan(engine_expected))),
    }
