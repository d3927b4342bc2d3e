"""Believable demo observations for the whole plan, generated from the plan itself.

`demo_observations()` reads the indicators, targets and areas from the database (read-only) and returns one row per
reporting area × indicator × quarter from 2020 Q1 (the baseline year) to `through`, year-to-date as Chinese statistics
report them (1–3月, 1–6月, 1–9月, 全年). `make demo` feeds the frame through the real upload pipeline, so the values
respect every indicator's valid range and its quarter-on-quarter `max_change`, and the Ⅰ—Ⅲ and 劣Ⅴ shares never add up
to more than 100.

How a series is made:

- Who reports: reported_by city → the 14 cities and 沈抚示范区; province → 210000 only; areas → the areas named in the
  area_values of the indicator's targets.
- Each area aims at the target it is held to (its own area value where the plan gives one; a share of a provincial
  total for summed quantities; the common value otherwise), by the target's deadline or the end of its target year.
  The 2020 baseline comes from `HINTS` (real-world magnitudes: PM2.5 39–46 µg/m³ against the 34 target, good-air days
  80–86 % against 88.3, energy intensity about 0.92 t/万元 that must fall 15 % …) with spread between cities.
- Progress against the straight line from the baseline to the target (序时进度) follows the series' profile: ahead,
  on track, behind, or regressing (improving in 2021, moving away from its targets from 2022; cumulative quantities
  and completion stall instead). Each series draws it from its city's profile for the indicator's theme (蓝天, 碧水 …,
  `demo.profiles`); counties follow their city; the province's own indicators draw a profile of their own.
- Seasonal annual means are year-to-date: PM2.5 in 1–3月 well above the annual mean, 1–9月 lowest, 全年 the annual
  value; shares of good days mirror it. Cumulative quantities are running totals since 2021-01-01 (0 in 2020, never
  falling); completion rises towards 100 % by the deadline; annual counts (当年/年度) restart every January.

Everything is deterministic for a given seed: every series draws from its own generator keyed by the seed, the
indicator code and the area code, so adding an indicator to the plan leaves the other series unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .profiles import PROVINCE, REPORTING_UNITS
from .series import annual, completions, cumulatives, flags, levels, schedule, sizes
from .specs import Grid, Series, build_specs, decimals_of, make_grid


def _energy_mix(values: np.ndarray, specs: list[Series], grid: Grid) -> None:
    """Keep the province's power-capacity figures consistent: non-fossil = wind/solar + nuclear + hydro/biomass/pumped
    storage, and its share of a total that grows with it."""
    rows = {s.indicator.code: i for i, s in enumerate(specs) if s.area == PROVINCE}
    needed = ("wind_solar_power_capacity", "nuclear_power_capacity", "non_fossil_power_capacity")
    if not all(code in rows for code in needed):
        return
    other = 380 + 220 * np.clip(grid.tau / 5, -0.1, 1.15)
    non_fossil = values[rows["wind_solar_power_capacity"]] + values[rows["nuclear_power_capacity"]] + other
    values[rows["non_fossil_power_capacity"]] = non_fossil
    if "non_fossil_power_capacity_share" in rows:
        total = 5880 + (non_fossil - non_fossil[min(3, grid.size - 1)]) + 90 * np.clip(grid.tau, 0, None)
        values[rows["non_fossil_power_capacity_share"]] = 100 * non_fossil / total


SEED = 2022
DEFAULT_AS_OF = (2024, 4)
__all__ = ["DEFAULT_AS_OF", "REPORTING_UNITS", "SEED", "DemoData", "demo_observations", "generate"]


@dataclass
class DemoData:
    observations: pd.DataFrame  # area_code (6-digit str), indicator_code, year, quarter (1–4), value (float)
    series: pd.DataFrame  # area_code, indicator_code, theme, profile: how each series was drawn


def demo_observations(*, through: tuple[int, int] = DEFAULT_AS_OF, seed: int = SEED) -> pd.DataFrame:
    """Demo values for every reporting area × indicator × quarter from 2020 Q1 to `through` (year-to-date)."""
    return generate(through=through, seed=seed).observations


def generate(*, through: tuple[int, int] = DEFAULT_AS_OF, seed: int = SEED) -> DemoData:
    """The demo's values and, beside them, the profile each series was drawn with."""
    grid = make_grid(through)
    specs = build_specs(seed)
    n, k = len(specs), grid.size
    values = np.zeros((n, k))

    families = defaultdict(list)
    for i, s in enumerate(specs):
        families[s.family].append(i)
    batch = {"level": lambda sp: levels(sp, grid, seed), "completion": lambda sp: completions(sp, grid)}
    batch["cumulative"] = lambda sp: cumulatives(sp, grid)
    batch["flag"] = lambda sp: flags(sp, grid)
    single = {"annual": annual, "sizes": sizes, "schedule": schedule}
    for family, rows in families.items():
        if family in batch:
            values[rows] = batch[family]([specs[i] for i in rows])
        elif family == "constant":
            values[rows] = np.array([specs[i].baseline for i in rows])[:, None]
        else:
            for i in rows:
                values[i] = single[family](specs[i], grid)
    _energy_mix(values, specs, grid)

    # Whole-frame checks the upload pipeline makes: valid range, plausible change on the previous quarter.
    low = np.array([s.indicator.min_value for s in specs])
    high = np.array([s.indicator.max_value for s in specs])
    decimals = np.array([decimals_of(s.indicator) for s in specs])
    step = 10.0 ** (-decimals)
    max_change = np.array([np.inf if s.indicator.max_change is None else s.indicator.max_change for s in specs])
    limit = np.where(decimals == 0, np.floor(max_change), max_change - step)
    values = np.clip(values, low[:, None], high[:, None])
    for j in range(1, k):
        values[:, j] = np.clip(values[:, j], values[:, j - 1] - limit, values[:, j - 1] + limit)
    scale = 10.0 ** decimals[:, None]
    values = np.clip(np.round(values * scale) / scale, low[:, None], high[:, None])

    frame = pd.DataFrame(
        {
            "area_code": np.repeat([s.area for s in specs], k),
            "indicator_code": np.repeat([s.indicator.code for s in specs], k),
            "year": np.tile(grid.years, n).astype(int),
            "quarter": np.tile(grid.quarters, n).astype(int),
            "value": values.ravel().astype(float),
        }
    )
    series = pd.DataFrame(
        {
            "area_code": [s.area for s in specs],
            "indicator_code": [s.indicator.code for s in specs],
            "theme": [s.theme for s in specs],
            "profile": [s.profile for s in specs],
        }
    )
    return DemoData(observations=_cap_water_shares(frame), series=series)


def _cap_water_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Ⅰ—Ⅲ share + 劣Ⅴ share ≤ 100 in every area and quarter."""
    good = frame["indicator_code"] == "surface_water_good_share"
    worse = frame["indicator_code"] == "surface_water_worse_v_share"
    if not good.any() or not worse.any():
        return frame
    keys = ["area_code", "year", "quarter"]
    room = 100 - frame.loc[good].set_index(keys)["value"]
    index = pd.MultiIndex.from_frame(frame.loc[worse, keys])
    cap = room.reindex(index).to_numpy()
    current = frame.loc[worse, "value"].to_numpy()
    frame.loc[worse, "value"] = np.where(np.isnan(cap), current, np.minimum(current, cap))
    return frame
