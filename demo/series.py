"""Series families: each turns specifications into values on the quarter grid, whole arrays at a time."""

import numpy as np

from .hints import INTEGER_UNITS
from .profiles import FIRST_YEAR, rng_for
from .specs import AFTER_TARGET, Grid, Series


def _progress(tau: np.ndarray, specs: list[Series]) -> np.ndarray:
    """Share of the way from baseline to aim, one row per series (the straight line is tau / tau_target)."""
    tau_t = np.array([s.tau_target for s in specs])[:, None]
    pace = np.array([s.pace for s in specs])[:, None]
    curve = np.array([s.curve for s in specs])[:, None]
    fall = np.array([s.fall for s in specs])[:, None]
    # counts reach their target (sooner when ahead) and stay; a regressing count stalls instead of falling
    saturate = np.array([s.extra.get("saturate", False) for s in specs])[:, None]
    tau = np.where(saturate & (fall > 0), np.minimum(tau, 1.0), tau)
    x = tau / tau_t
    p = np.where(
        x < 0,
        0.4 * pace * x,
        pace * np.clip(x, 0, 1) ** curve + pace * AFTER_TARGET * np.clip(x - 1, 0, None),
    )
    p = np.where(saturate & (x > 0), np.minimum(pace * np.clip(x, 0, None) ** curve, 1.0), p)
    x1 = 1.0 / tau_t
    p1 = pace * np.minimum(x1, 1) ** curve + pace * AFTER_TARGET * np.clip(x1 - 1, 0, None)
    p = np.where((fall > 0) & ~saturate & (tau > 1), np.maximum(p1 - fall * (tau - 1), -0.6), p)
    return np.minimum(p, 1.6)


def levels(specs: list[Series], grid: Grid, seed: int) -> np.ndarray:
    n, k = len(specs), grid.size
    seasonal = np.array([s.extra["season"] is not None for s in specs])
    tau = np.where(seasonal[:, None], grid.year_tau[None, :], grid.tau[None, :])
    base = np.array([s.baseline for s in specs])[:, None]
    aim = np.array([s.aim for s in specs])[:, None]
    values = base + (aim - base) * _progress(tau, specs)

    # Noise: a weather year for seasonal means (shared by the cities for air quality), a smooth wobble otherwise.
    gap = np.abs(aim - base)[:, 0]
    scale = np.array([s.extra["noise"] for s in specs]) * gap
    weather = np.clip(rng_for(seed, "weather").normal(size=grid.n_years), -2, 2)
    noise = np.zeros((n, k))
    for i, s in enumerate(specs):
        rng = s.extra["rng"]
        if seasonal[i]:
            yearly = np.clip(rng.normal(size=grid.n_years), -2, 2)
            if s.extra["group"]:
                yearly = 0.6 * s.extra["group"][1] * weather + 0.8 * yearly
            noise[i] = np.clip(yearly, -2, 2)[grid.year_index] + 0.2 * rng.normal(size=k)
        else:
            noise[i] = 0.5 * rng.normal(size=k)
    smooth = ~seasonal
    for j in range(1, k):  # AR(1) wobble, one column at a time for all series
        noise[smooth, j] += 0.6 * noise[smooth, j - 1]
    noise = np.clip(noise, -2, 2)
    values = values + scale[:, None] * noise
    # a regressing city slips, it does not collapse: at most 30 % of its baseline
    slips = np.array([s.fall > 0 for s in specs])[:, None] & (base > 0)
    values = np.where(slips, np.clip(values, 0.7 * base, 1.3 * base), values)

    # Year-to-date seasonal shape.
    for i in np.flatnonzero(seasonal):
        s = specs[i]
        rng = s.extra["rng"]
        factors = np.append(np.asarray(s.extra["season"], dtype=float), 1.0)[grid.quarters - 1]
        factors = np.where(grid.quarters < 4, factors * (1 + rng.normal(0, 0.015, k)), 1.0)
        if s.extra["complement"]:
            top = s.indicator.max_value
            values[i] = top - (top - values[i]) * factors
        else:
            values[i] = values[i] * factors

    for i, s in enumerate(specs):
        if s.extra["monotone"] and s.profile != "regressing":
            values[i] = np.maximum.accumulate(values[i])
        if "denominator" in s.extra:
            n_items = s.extra["denominator"]
            values[i] = np.round(np.clip(values[i], 0, 100) * n_items / 100) / n_items * 100
    return values


def completions(specs: list[Series], grid: Grid) -> np.ndarray:
    tau = grid.tau[None, :]
    start = np.array([s.baseline for s in specs])[:, None]
    aim = np.array([s.aim for s in specs])[:, None]
    due = np.array([s.tau_target for s in specs])[:, None]
    pace = np.array([s.pace for s in specs])[:, None]
    curve = np.array([s.curve for s in specs])[:, None]
    stalls = np.array([s.profile == "regressing" for s in specs])[:, None]
    effective = np.where(stalls, np.minimum(tau, 1.0), tau)
    done = np.minimum(1.0, pace * np.clip(effective / due, 0, None) ** curve)
    jitter = np.vstack([1 + s.extra["rng"].normal(0, 0.04, grid.size) for s in specs])
    share = np.where(done >= 1, 1.0, np.minimum(done * jitter, 0.995))  # done is done, never 99.4 %
    values = np.where(tau <= 0, start * np.clip(1 + 0.6 * tau, 0, 1), start + (aim - start) * share)
    return np.maximum.accumulate(np.clip(values, 0, aim), axis=1)


def cumulatives(specs: list[Series], grid: Grid) -> np.ndarray:
    tau = grid.tau[None, :]
    total = np.array([s.aim for s in specs])[:, None]
    due = np.array([s.tau_target for s in specs])[:, None]
    pace = np.array([s.pace for s in specs])[:, None]
    curve = np.array([s.curve for s in specs])[:, None]
    stalls = np.array([s.profile == "regressing" for s in specs])[:, None]
    x = np.clip(np.where(stalls, np.minimum(tau, 1.0), tau), 0, None) / due
    # ahead means done sooner, not far more than the plan asks: the whole total by due / pace, then a little more
    reach = pace * x
    share = np.minimum(reach, 1.0) ** curve + 0.05 * np.clip(reach - 1, 0, None)
    jitter = np.vstack([np.exp(s.extra["rng"].normal(0, 0.05, grid.size)) for s in specs])
    values = np.maximum.accumulate(np.where(tau <= 0, 0.0, total * share * jitter), axis=1)
    for i, s in enumerate(specs):
        steps = s.extra.get("steps")
        if steps and total[i, 0] > 0:
            lump = total[i, 0] / steps
            values[i] = np.floor(values[i] / lump + 0.08) * lump  # a works counts once (nearly) finished
        if s.indicator.unit in INTEGER_UNITS:
            values[i] = np.floor(values[i] + 0.08)
    return values


def annual(spec: Series, grid: Grid) -> np.ndarray:
    """Counts and shares that restart every January: events spread over the year, year-to-date."""
    rng = spec.extra["rng"]
    out = np.zeros(grid.size)
    integer = spec.indicator.unit in INTEGER_UNITS
    for year in np.unique(grid.years):
        regress = spec.profile == "regressing" and year >= FIRST_YEAR + 2
        if spec.indicator.kind == "completion":
            q_due = spec.extra["deadline_quarter"] or 4
            pace = spec.pace * (0.6 if regress else 1.0)
            ytd = np.minimum(100.0, 100 * pace * np.arange(1, 5) / q_due * rng.uniform(0.9, 1.1, 4))
            if not regress:
                ytd[q_due - 1 :] = np.maximum(ytd[q_due - 1 :], 100 if spec.profile != "behind" else 85)
                ytd[3] = 100.0
            ytd = np.maximum.accumulate(ytd)
        else:
            lo, hi = spec.extra["full_year"]
            factor = rng.uniform(lo, hi) * {"ahead": 1.25}.get(spec.profile, 1.0)
            if spec.profile == "behind":  # falls short most years
                factor = rng.uniform(0.55, 1.05)
            if regress:
                factor = max(0.3, 0.85 - 0.2 * (year - FIRST_YEAR - 2))
            full = spec.aim * factor
            weights = np.array([0.2, 0.3, 0.3, 0.2]) * rng.uniform(0.7, 1.3, 4)
            if integer:
                full = int(np.floor(full + rng.random()))
                ytd = np.cumsum(np.bincount(rng.choice(4, size=full, p=weights / weights.sum()), minlength=4))
            else:
                ytd = full * np.cumsum(weights) / weights.sum()
        mask = grid.years == year
        out[mask] = ytd[grid.quarters[mask] - 1]
    return out


def sizes(spec: Series, grid: Grid) -> np.ndarray:
    """Smallest unit capacity of coal boilers built so far this year (standard sizes; a small one now and then)."""
    rng = spec.extra["rng"]
    sizes = np.asarray(spec.extra["sizes"], dtype=float)
    out = np.zeros(grid.size)
    lapse_year = rng.integers(FIRST_YEAR + 1, FIRST_YEAR + 6) if spec.profile == "behind" else None
    for year in np.unique(grid.years):
        built = rng.choice(sizes, 4, p=np.linspace(2, 1, len(sizes)) / np.linspace(2, 1, len(sizes)).sum())
        if (spec.profile == "regressing" and year >= FIRST_YEAR + 2) or year == lapse_year:
            built[rng.integers(0, 4)] = rng.choice([20.0, 35.0])
        mask = grid.years == year
        out[mask] = np.minimum.accumulate(built)[grid.quarters[mask] - 1]
    return out


def schedule(spec: Series, grid: Grid) -> np.ndarray:
    out = np.zeros(grid.size)
    for year, quarter, value in spec.extra["schedule"]:
        out[(grid.years > year) | ((grid.years == year) & (grid.quarters >= quarter))] = value
    return out


def flags(specs: list[Series], grid: Grid) -> np.ndarray:
    built = np.array([s.extra["tau_built"] for s in specs])[:, None]
    return (grid.tau[None, :] >= built).astype(float)
