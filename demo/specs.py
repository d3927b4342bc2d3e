"""From the plan to series specifications: who reports what, the target each area is held to, its baseline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .hints import DECIMALS, HINTS, INTEGER_UNITS, WEIGHTS
from .profiles import (
    COASTAL,
    CURVE,
    FIRST_YEAR,
    LEANINGS,
    PACE,
    PILOT_ZONE,
    PROVINCE,
    REPORTING_UNITS,
    SEA_INDICATORS,
    indicator_themes,
    province_profile,
    rng_for,
    series_profile,
    theme_profiles,
)

_OVER_ALLOCATION = 1.04  # city shares of a provincial total add up to a little more than the total
AFTER_TARGET = 0.25  # progress per target period kept up after the target date


@dataclass
class Series:
    """One area × indicator: what it aims at and how it gets there."""

    indicator: object
    area: str
    family: str  # level | completion | cumulative | annual | flag | sizes | schedule | constant
    profile: str
    theme: str = ""
    baseline: float = 0.0
    aim: float = 0.0
    tau_target: float = 5.0  # years after the end of 2020 the aim is due
    pace: float = 1.0
    curve: float = 1.0
    fall: float = 0.0  # regressing: progress lost per year after 2021
    extra: dict = field(default_factory=dict)


@dataclass
class Grid:
    years: np.ndarray
    quarters: np.ndarray
    tau: np.ndarray  # years since the end of 2020 at the quarter's end (2020 Q4 → 0, 2025 Q4 → 5)
    year_tau: np.ndarray  # the same for the year's end

    @property
    def size(self) -> int:
        return len(self.years)

    @property
    def year_index(self) -> np.ndarray:
        return self.years - FIRST_YEAR

    @property
    def n_years(self) -> int:
        return int(self.years.max()) - FIRST_YEAR + 1


def make_grid(through: tuple[int, int]) -> Grid:
    year, quarter = through
    if not (1 <= quarter <= 4) or (year, quarter) < (FIRST_YEAR, 1):
        raise ValueError(f"through must be a (year, quarter) from ({FIRST_YEAR}, 1) on, got {through!r}")
    index = np.arange((year - FIRST_YEAR) * 4 + quarter)
    years = FIRST_YEAR + index // 4
    quarters = index % 4 + 1
    tau = (years - FIRST_YEAR) + quarters / 4 - 1
    return Grid(years, quarters, tau.astype(float), (years - FIRST_YEAR).astype(float))


def _tau_of(target) -> float:
    if target.deadline:
        return max((target.deadline - dt.date(FIRST_YEAR, 12, 31)).days / 365.25, 0.25)
    return max(float(target.target_year - FIRST_YEAR), 0.25)


def _is_annual(indicator) -> bool:
    return indicator.kind != "cumulative" and ("当年" in indicator.name or "年度" in indicator.name)


def _is_flag(indicator) -> bool:
    return indicator.kind == "count" and indicator.reported_by == "city" and indicator.name.endswith("市数")


def decimals_of(indicator) -> int:
    return DECIMALS.get(indicator.unit, 2)


def _hamilton(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole number by the largest-remainder method."""
    raw = total * weights / weights.sum()
    whole = np.floor(raw).astype(int)
    short = total - whole.sum()
    whole[np.argsort(-(raw - whole), kind="stable")[:short]] += 1
    return whole


# ----------------------------------------------------------------------------------------------------------------
# From the plan to series specifications
# ----------------------------------------------------------------------------------------------------------------


def _load_plan():
    from indicators.models import Area, Indicator
    from targets.models import Target

    areas = list(Area.objects.select_related("parent").order_by("order", "code"))
    indicators = list(Indicator.objects.order_by("order", "code"))
    targets = defaultdict(list)
    for target in Target.objects.order_by("order", "code").prefetch_related("area_values__area"):
        targets[target.indicator_id].append(target)
    return areas, indicators, targets


def _reporting_areas(indicator, targets, areas) -> list[str]:
    if indicator.reported_by == "province":
        return [a.code for a in areas if a.level == "province"]
    if indicator.reported_by == "city":
        return [a.code for a in areas if a.level in ("city", "pilot_zone")]
    named = {av.area.code for t in targets for av in t.area_values.all()}
    return [a.code for a in areas if a.code in named]


def _split(indicator, areas_here, seed, hint) -> dict[str, float]:
    """Each reporting unit's share of a provincial total (sums to 1)."""
    table = WEIGHTS[hint.get("weights", "urban")]
    base = {code: table[i] for i, code in enumerate(REPORTING_UNITS)}
    rng = rng_for(seed, "split", indicator.code)
    w = np.array([base.get(code, 5.0) for code in areas_here], dtype=float)
    w = w * np.exp(rng.normal(0, 0.15, len(w)))
    return dict(zip(areas_here, w / w.sum(), strict=True))


def _applicable(indicator, targets, area: str, is_unit: bool, shares: dict, whole: dict):
    """The target this area is held to, as (comparator, value, tau); earliest due date first."""
    found = []
    for t in targets:
        area_values = {av.area.code: av.value for av in t.area_values.all()}
        if area in area_values:
            value = area_values[area]
        elif area_values and t.scope == "areas":
            continue
        elif (t.scope == "each_city" and is_unit) or area == PROVINCE:
            value = t.value
        elif t.scope == "province" and is_unit:
            value = t.value
            if indicator.aggregation == "sum" and t.comparator not in ("done_by", "reduce_pct"):
                value = whole[t.code][area] if t.code in whole else value * shares[area] * _OVER_ALLOCATION
        else:
            continue
        found.append((_tau_of(t), t.comparator, value, t))
    if not found:
        return None
    found.sort(key=lambda f: f[0])
    tau, comparator, value, target = found[0]
    return comparator, value, tau, target


def build_specs(seed: int) -> list[Series]:
    areas, indicators, targets_by_indicator = _load_plan()
    parent = {a.code: (a.parent.code if a.parent else None) for a in areas}
    levels = {a.code: a.level for a in areas}
    profiles = theme_profiles(seed, tuple(a.code for a in areas if a.level in ("city", "pilot_zone")))
    themes = indicator_themes()
    # One air-quality position per city, shared by PM2.5, good days and heavy-pollution days: worse where the city
    # leans weak on air (a steel town starts with more PM2.5, not only slower progress).
    groups = {hint["group"][0] for hint in HINTS.values() if "group" in hint}
    latents = {name: {a.code: _latent(seed, name, a.code, parent.get(a.code)) for a in areas} for name in groups}

    specs = []
    for indicator in indicators:
        targets = targets_by_indicator.get(indicator.pk, [])
        here = _reporting_areas(indicator, targets, areas)
        if not here:
            continue
        hint = HINTS.get(indicator.code, {})
        units = [a for a in here if levels[a] in ("city", "pilot_zone")]
        shares = _split(indicator, units, seed, hint) if units else {}
        whole = {}
        if units and indicator.aggregation == "sum" and indicator.unit in INTEGER_UNITS:
            for t in targets:
                if t.scope == "province" and t.value is not None and t.comparator not in ("done_by", "reduce_pct"):
                    w = np.array([shares[a] for a in units])
                    whole[t.code] = dict(
                        zip(units, _hamilton(round(t.value * _OVER_ALLOCATION), w).astype(float), strict=True)
                    )
        for area in here:
            if area == PROVINCE:
                profile = province_profile(seed, indicator.code)
            else:
                city = area if levels[area] in ("city", "pilot_zone") else parent.get(area)
                theme = themes.get(indicator.code, "governance")
                sea = city in COASTAL and indicator.code in SEA_INDICATORS
                profile = series_profile(
                    seed, profiles.get((city, theme), "on_track"), indicator.code, area, coastal_sea=sea
                )
            is_unit = levels[area] in ("city", "pilot_zone")
            held = _applicable(indicator, targets, area, is_unit, shares, whole)
            spec = _spec(indicator, area, profile, held, hint, shares.get(area, 1.0), seed, latents)
            spec.theme = themes.get(indicator.code, "governance")
            specs.append(spec)
    return specs


def _latent(seed: int, name: str, area: str, parent: str | None) -> float:
    city = area if area in LEANINGS else parent
    leaning = LEANINGS.get(city, (0.0, {}))[1].get("blue_sky", 0.0) if name == "air" else 0.0
    return float(np.clip(0.8 * rng_for(seed, "latent", name, area).normal() - 0.5 * leaning, -2, 2))


def _spec(indicator, area, profile, held, hint, share, seed, latents) -> Series:
    rng = rng_for(seed, indicator.code, area)
    lo, hi = PACE[profile]
    pace = rng.uniform(lo, hi)
    curve = rng.uniform(*CURVE[profile])
    spec = Series(indicator, area, "level", profile, pace=pace, curve=curve)
    spec.fall = rng.uniform(0.12, 0.18) if profile == "regressing" else 0.0
    spec.extra["rng"] = rng
    higher = indicator.direction == "higher"

    if held is None:
        aim_value, aim_year = hint.get("aim", (None, 2025))
        comparator, value, tau = ("ge" if higher else "le"), aim_value, float(aim_year - FIRST_YEAR)
    else:
        comparator, value, tau, _ = held
    spec.tau_target = tau

    if "only" in hint and area not in hint["only"] and area != PROVINCE:
        spec.family, spec.baseline = "constant", float(indicator.max_value if higher else indicator.min_value)
        return spec
    if "schedule" in hint:
        spec.family = "schedule"
        spec.extra["schedule"] = hint["schedule"]
        return spec
    if "sizes" in hint:
        spec.family = "sizes"
        spec.extra["sizes"] = hint["sizes"]
        spec.aim = float(value if value is not None else hint["sizes"][0])
        return spec
    if _is_flag(indicator):
        spec.family = "flag"
        built = rng.random() < hint.get("built_2020", 0.25)
        spec.extra["tau_built"] = -1.0 if built else rng.uniform(0.25, 0.9) * tau / pace
        if profile == "regressing" and spec.extra["tau_built"] > 1:
            spec.extra["tau_built"] = np.inf
        if area == PILOT_ZONE:  # not one of the 14 cities the count is about
            spec.family, spec.baseline = "constant", 0.0
        return spec
    if _is_annual(indicator):
        spec.family = "annual"
        spec.aim = float(value if value is not None else 100.0)
        spec.extra["full_year"] = hint.get("full_year", (1.0, 1.5))
        spec.extra["deadline_quarter"] = None
        if comparator == "done_by" and held is not None and held[3].deadline:
            spec.extra["deadline_quarter"] = (held[3].deadline.month - 1) // 3 + 1
        return spec
    if indicator.kind == "completion":
        spec.family = "completion"
        start = hint.get("start", 10.0)
        spec.baseline = float(np.clip(start * rng.uniform(0.5, 1.5) if start else rng.uniform(0, 3), 0, 90))
        if profile == "ahead":
            spec.baseline = min(spec.baseline * 1.2 + 5, 90.0)
        spec.aim = float(value if value is not None and comparator != "done_by" else 100.0)
        return spec
    if indicator.kind == "cumulative":
        spec.family = "cumulative"
        spec.aim = float(value or 0.0)
        spec.extra["steps"] = hint.get("steps")
        return spec
    return _level(spec, comparator, value, hint, share, latents)


def _level(spec: Series, comparator: str, value, hint: dict, share: float, latents: dict) -> Series:
    """Levels, shares and (level) counts: a baseline with spread between areas, and the aim it moves towards."""
    indicator, area, profile, rng = spec.indicator, spec.area, spec.profile, spec.extra["rng"]
    higher = indicator.direction == "higher"
    sign = 1.0 if higher else -1.0
    if "base" in hint:
        base = hint["base"]
        if area == PROVINCE:
            baseline = base
        elif indicator.aggregation == "sum":
            baseline = base * share * np.exp(rng.normal(0, 0.08))
        else:
            if "group" in hint:
                name, loading = hint["group"]
                z = loading * latents[name][area]
            else:
                z = rng.normal()
            baseline = base + hint.get("spread", 0.0) * z
            baseline = float(np.clip(baseline, hint.get("lo", -np.inf), hint.get("hi", np.inf)))
    elif "gap" in hint and value is not None:
        baseline = value - sign * hint["gap"] * rng.uniform(0.7, 1.3)
    elif value is not None:
        baseline = value - sign * max(abs(value) * 0.15, 1.0 if indicator.unit == "%" else 0.0)
    else:
        baseline = (indicator.min_value + indicator.max_value) / 4
    baseline = float(np.clip(baseline, indicator.min_value, indicator.max_value))

    if comparator == "reduce_pct":
        aim = baseline * (1 - (value or 0.0) / 100)
    elif comparator == "reduce_abs":
        aim = baseline - (value or 0.0) * (share if indicator.aggregation == "sum" and area != PROVINCE else 1.0)
    else:
        aim = float(value if value is not None else baseline)
    if hint.get("hold"):  # a stock the plan keeps, not one it grows
        aim = baseline
    elif sign * (aim - baseline) <= 0:  # already there (or a target to hold): keep improving a little
        room = (indicator.max_value - baseline) if higher else (baseline - indicator.min_value)
        aim = baseline + sign * min(0.06 * max(abs(baseline), 1.0), 0.3 * room)
        if profile == "behind":  # falling behind on a target to hold is slipping back past where it stood
            aim = baseline - sign * 0.05 * max(abs(baseline), 1.0)
    spec.baseline, spec.aim = baseline, float(aim)
    spec.extra["season"] = hint.get("season") if indicator.seasonal else None
    spec.extra["complement"] = bool(hint.get("complement"))
    spec.extra["noise"] = hint.get("noise", 0.03)
    spec.extra["group"] = hint.get("group")
    spec.extra["monotone"] = spec.extra["saturate"] = indicator.kind == "count"
    if "denominator" in hint and area != PROVINCE:
        spec.extra["denominator"] = int(rng.integers(hint["denominator"][0], hint["denominator"][1] + 1))
    return spec
