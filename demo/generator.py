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
- Progress against the straight line from the baseline to the target (序时进度) follows the area's profile
  (`CITY_PROFILES`): ahead, on track, behind, or regressing (improving in 2021, moving away from its targets from
  2022; cumulative quantities and completion stall instead). Counties follow their city; the province's own
  indicators draw a profile of their own.
- Seasonal annual means are year-to-date: PM2.5 in 1–3月 well above the annual mean, 1–9月 lowest, 全年 the annual
  value; shares of good days mirror it. Cumulative quantities are running totals since 2021-01-01 (0 in 2020, never
  falling); completion rises towards 100 % by the deadline; annual counts (当年/年度) restart every January.

Everything is deterministic for a given seed: every series draws from its own generator keyed by the seed, the
indicator code and the area code, so adding an indicator to the plan leaves the other series unchanged.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PROVINCE = "210000"
PILOT_ZONE = "219900"
REGRESSING_CITY = "211400"  # 葫芦岛市
ANCHOR_CITY = "210100"  # 沈阳市, comfortably on track

# The 15 units that upload their own spreadsheets (areas.yaml): 14 prefecture-level cities and 沈抚示范区.
REPORTING_UNITS = (
    "210100",
    "210200",
    "210300",
    "210400",
    "210500",
    "210600",
    "210700",
    "210800",
    "210900",
    "211000",
    "211100",
    "211200",
    "211300",
    "211400",
    "219900",
)

FIRST_YEAR = 2020  # the baseline year; 2020 Q4 is 2020 全年
PROFILES = ("ahead", "on_track", "behind", "regressing")


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def city_profiles(seed: int = 2022, codes: tuple[str, ...] = REPORTING_UNITS) -> dict[str, str]:
    """Each reporting unit's profile: 葫芦岛 regressing, 沈阳 on track, of the rest a fifth ahead, a fifth behind."""
    rng = np.random.default_rng([seed, _crc("profiles")])
    codes = tuple(sorted(codes))
    others = [c for c in codes if c not in (REGRESSING_CITY, ANCHOR_CITY)]
    shuffled = [others[i] for i in rng.permutation(len(others))]
    n = max(1, round(len(others) / 4.5))
    profiles = {c: "on_track" for c in codes}
    profiles.update({c: "ahead" for c in shuffled[:n]})
    profiles.update({c: "behind" for c in shuffled[n : 2 * n]})
    if ANCHOR_CITY in profiles:
        profiles[ANCHOR_CITY] = "on_track"
    if REGRESSING_CITY in profiles:
        profiles[REGRESSING_CITY] = "regressing"
    return profiles


CITY_PROFILES: dict[str, str] = city_profiles()

# Relative weights for splitting a provincial total between the reporting units.
_WEIGHTS = {
    #           沈阳   大连  鞍山  抚顺 本溪 丹东 锦州  营口 阜新 辽阳 盘锦 铁岭  朝阳 葫芦岛 沈抚
    "urban": (66, 70, 17, 8, 8, 8, 10, 13, 4, 8, 13, 6, 9, 8, 2),
    "rural": (12, 8, 6, 4, 2, 6, 9, 4, 9, 4, 4, 11, 12, 7, 0.5),
    "industry": (12, 14, 14, 8, 8, 3, 5, 10, 3, 6, 8, 3, 4, 6, 1),
    "mining": (3, 3, 16, 10, 12, 7, 6, 8, 9, 6, 1, 5, 12, 10, 0.5),
}

# Decimals a city would report, by unit.
_DECIMALS = {
    "%": 1,
    "微克/立方米": 1,
    "万千瓦": 1,
    "吨标准煤/万元": 3,
    "立方米/万元": 1,
    "无量纲": 3,
    "蒸吨": 0,
    "蒸吨/小时": 0,
    "万家": 3,
    "天": 0,
    "小时/日": 0,
    "个": 0,
    "家": 0,
    "台": 0,
    "座": 0,
    "条": 0,
    "处": 0,
    "套": 0,
    "次": 0,
    "亩": 0,
    "平方米": 0,
    "公顷": 0,
    "吨/日": 0,
    "毫克/升": 2,
}
_INTEGER_UNITS = {u for u, d in _DECIMALS.items() if d == 0}

# Real-world magnitudes for the 2020 baseline and the shape of each series. Keys:
#   base       the 2020 value (the province's own figure; the typical city value for city means; the provincial total
#              for summed quantities, split by `weights`)
#   spread/lo/hi  city spread (sd) around `base` and the range a city baseline stays in
#   gap        instead of `base`: how far the 2020 value lies short of each area's own target
#   season     year-to-date factors for 1–3月, 1–6月, 1–9月 (全年 = 1); `complement` applies them to 100 − value
#   group      shared city latent (air quality): a city with high PM2.5 has fewer good days
#   noise      annual noise as a share of the baseline-to-target gap (default 0.03)
#   start      completion in 2020 (typical %, default 10)
#   weights    how a provincial total splits between cities (urban | rural | industry | mining)
#   steps      cumulative quantities that come in lumps (plants commissioned): number of lumps
#   schedule   a known history: [(year, quarter, value), …] steps
#   aim        for an indicator no target names: (value, year)
#   hold       the plan keeps a stock at its 2020 size (继续实施): flat
#   only/other areas with a real series, and the constant the others report
#   denominator  the share is k of n items (n drawn in this range), so values are whole fractions
HINTS: dict[str, dict] = {
    # --- 1 总体目标 ---
    "pm25": {"base": 42.5, "spread": 2.3, "lo": 39, "hi": 46, "season": (1.42, 1.08, 0.91), "group": ("air", 1)},
    "good_air_days_ratio": {
        "base": 83,
        "spread": 1.8,
        "lo": 80,
        "hi": 86,
        "season": (1.72, 1.06, 0.8),
        "complement": True,
        "group": ("air", -1),
    },
    "heavy_pollution_days_ratio": {
        "base": 1.6,
        "spread": 0.45,
        "lo": 0.9,
        "hi": 2.6,
        "season": (2.3, 1.25, 0.88),
        "group": ("air", 1),
    },
    "co2_intensity_national_requirement_completion": {"start": 0},
    "heavy_pollution_elimination_completion": {"start": 0},
    "urban_black_odorous_elimination_completion": {"start": 70},
    # --- 2.1 绿色低碳 ---
    "non_fossil_power_capacity": {"base": 2208, "noise": 0},
    "non_fossil_power_capacity_share": {"base": 37.6, "noise": 0},
    "wind_solar_power_capacity": {"base": 1385, "noise": 0},
    "nuclear_power_capacity": {"schedule": [(2020, 1, 448), (2021, 3, 560), (2022, 2, 672)]},
    "hongyanhe_phase2_capacity_added": {"schedule": [(2020, 1, 0), (2021, 3, 112), (2022, 2, 224)]},
    "urban_clean_heating_rate": {"base": 76, "spread": 6, "lo": 64, "hi": 88},
    "benchmark_energy_efficiency_capacity_share": {"base": 12},
    "energy_intensity": {"base": 0.92, "season": (1.1, 1.02, 0.97), "noise": 0.02},
    "water_intensity": {"base": 51.5, "season": (0.62, 1.08, 1.18), "noise": 0.03},
    "irrigation_water_use_coefficient": {"base": 0.586, "noise": 0.02},
    "efficient_irrigation_area_added": {"weights": "rural"},
    "wastewater_reuse_rate": {"gap": 8},
    # --- 2.2.1 重污染天气 ---
    "coal_boiler_35t_elimination_completion": {"start": 45},
    "loose_coal_households_treated": {"weights": "rural"},
    "county_coal_boiler_20t_elimination_completion": {"start": 20},
    "boiler_capacity_retired": {"weights": "urban"},
    "new_coal_boiler_min_capacity": {"sizes": (40, 58, 65, 75, 116, 130)},
    "graded_control_key_enterprises": {"base": 0.72, "weights": "industry", "noise": 0},
    "regional_trend_forecast_horizon": {"base": 12, "noise": 0},
    "pm_component_station_cities": {"built_2020": 0.3},
    "straw_burning_monitoring_points": {"weights": "rural"},
    "straw_burning_ir_monitoring_hours": {"base": 12, "noise": 0},
    "power_monitored_key_enterprises": {"base": 20, "weights": "industry", "noise": 0},
    # --- 2.2.2 臭氧 ---
    "voc_emissions": {"base": 44.7, "noise": 0.05},
    "nox_emissions": {"base": 58.6, "noise": 0.05},
    "voc_key_links_rectification_completion": {"start": 10},
    "oil_terminal_vapor_recovery_completion": {"start": 30},
    "oil_tanker_vapor_recovery_completion": {"start": 20},
    "steel_ultra_low_emission_capacity_share": {"base": 22, "noise": 0},
    "voc_key_enterprises_treated": {"weights": "industry"},
    "coal_boiler_65t_ultra_low_completion": {"start": 50},
    "kilns_treated": {"weights": "industry"},
    "voc_component_station_cities": {"built_2020": 0.1},
    "voc_online_monitoring_enterprises": {"base": 150, "weights": "industry", "noise": 0},
    "enforcement_voc_ir_equipment_completion": {"start": 30},
    # --- 2.2.3 柴油货车 ---
    "diesel_truck_emission_test_pass_rate": {"base": 85, "spread": 2.5, "lo": 80, "hi": 89.5},
    "rail_freight_share": {"base": 11.3},
    "bulk_clean_transport_national_requirement_completion": {"start": 20},
    "new_public_vehicles_clean_energy_share": {"base": 32, "spread": 7, "lo": 20, "hi": 45},
    "china3_vehicles_retired": {"weights": "urban"},
    "vehicle_remote_sensing_cities": {"built_2020": 0.45},
    "vehicle_remote_sensing_sets": {"gap": 2},
    "vehicle_inspection_agency_spot_check_ratio": {"full_year": (1.2, 1.8)},
    # --- 2.2.4 面源 ---
    "licensed_mines_green_creation_completion": {"start": 15},
    "licensed_producing_mines_green_share": {"base": 25, "spread": 8, "lo": 10, "hi": 40},
    "new_mines_green_share": {"base": 70, "spread": 10, "lo": 50, "hi": 90, "denominator": (6, 15)},
    # only 鞍山 and 营口 have magnesite mines; the other units have none and report every mine (none) compliant
    "magnesite_mines_green_share": {"base": 20, "spread": 6, "lo": 10, "hi": 30, "only": ("210300", "210800")},
    "noise_zone_auto_monitoring_completion": {"start": 20},
    # --- water quality ---
    "surface_water_good_share": {"base": 71.0, "season": (1.15, 1.08, 1.04), "complement": True},
    "surface_water_worse_v_share": {"base": 2.0, "aim": (0.5, 2025), "season": (1.6, 1.3, 1.1)},
    "liao_river_good_share": {"base": 52, "season": (1.1, 1.05, 1.02), "complement": True},
    "drinking_water_source_good_share": {"base": 94, "spread": 5, "lo": 84, "hi": 100, "denominator": (6, 18)},
    "nearshore_good_share": {"base": 88.5, "season": (1.05, 1.03, 1.01), "complement": True},
    "bohai_nearshore_good_share": {"base": 76, "season": (1.06, 1.03, 1.01), "complement": True},
    "sea_river_tn_concentration": {"base": 4.6, "spread": 1.2, "lo": 2.6, "hi": 7.5, "season": (1.15, 1.06, 0.94)},
    "bathing_beach_good_rate": {"base": 95, "season": (1.0, 1.0, 1.0), "complement": True},
    # --- urban sewage ---
    "urban_sewage_collection_rate": {"base": 56, "spread": 6, "lo": 45, "hi": 66},
    "water_supply_leakage_rate": {"base": 13.5, "spread": 2.2, "lo": 10.6, "hi": 19},
    "sludge_resource_use_rate": {"base": 65, "spread": 12, "lo": 40, "hi": 86},
    "sludge_safe_disposal_rate": {"base": 87, "spread": 4, "lo": 78, "hi": 95},
    "sludge_disposal_capacity_added": {"steps": 2},
    "wwtp_capacity_added": {"steps": 1},
    "wwtp_capacity_upgraded": {"steps": 2},
    "liao_np_key_outfall_standardized": {"base": 0, "noise": 0},
    "tributary_outfall_rectification_completion": {"start": 15},
    "sewage_direct_outfall_elimination_completion": {"start": 30},
    "sewage_blank_area_elimination_completion": {"start": 25},
    "industrial_park_sewage_upgrade_completion": {"start": 15},
    "beautiful_rivers_lakes_completion": {"start": 0},
    "county_black_odorous_survey_completion": {"start": 0},
    "oil_spill_depot_count": {"steps": 1},
    "eco_demo_zones_and_two_mountains_bases": {"steps": 5},
    "beautiful_bay_count": {"steps": 5},
    "port_sewage_disposal_rate": {"base": 85},
    "fishing_port_sewage_disposal_rate": {"base": 58},
    "natural_shoreline_km": {"base": 742, "noise": 0},
    # --- 2.4 净土 ---
    "rural_sewage_treatment_rate": {"base": 24, "spread": 5, "lo": 14, "hi": 33},
    "rural_black_odorous_water_elimination_completion": {"start": 10},
    "fertilizer_use_efficiency": {"base": 40.2},
    "pesticide_use_efficiency": {"base": 40.6},
    "waste_agri_film_recovery_rate": {"base": 82, "spread": 2.5, "lo": 77, "hi": 86},
    "livestock_manure_utilization_rate": {"base": 77, "spread": 3, "lo": 71, "hi": 82},
    "rural_waste_sorting_demo_counties_built": {"full_year": (1.0, 1.2)},
    "non_major_livestock_counties_manure_utilization": {"weights": "rural"},
    "contaminated_farmland_safe_use_rate": {"base": 90.5, "spread": 1.5, "lo": 87, "hi": 93},
    "zero_waste_cities_count": {"base": 1, "noise": 0},
    "general_industrial_solid_waste_utilization_rate": {"base": 38, "spread": 8, "lo": 22, "hi": 49},
    "groundwater_survey_chem_parks_hw_landfills_completion": {"start": 10},
    "groundwater_survey_other_sources_completion": {"start": 5},
    # --- 2.5 生态安全 ---
    "liaohe_natural_enclosure_area": {"base": 112.86, "noise": 0, "hold": True},
    "legacy_mine_restoration_area": {"weights": "mining"},
    "soil_water_conservation_rate": {"base": 75.6, "noise": 0},
    "forest_coverage_rate": {"base": 39.4, "noise": 0},
    "grassland_vegetation_coverage": {"base": 63.4},
    "wetland_protection_rate": {"base": 36.5, "noise": 0},
    "first_level_river_eco_corridors_treated": {"base": 0, "noise": 0},
    "first_level_biodiversity_corridors_opened": {"base": 0, "noise": 0},
    "eco_status_remote_sensing_assessment_completion": {"start": 0},
    "abandoned_tailings_ponds_surveyed": {"weights": "mining"},
    "abandoned_tailings_ponds_treated": {"weights": "mining"},
    "key_heavy_metal_emissions": {"base": 38, "weights": "mining", "noise": 0.1},
    "hazardous_waste_in_province_disposal_completion": {"start": 50},
    "medical_waste_full_collection_disposal_completion": {"start": 70},
    "chem_park_emergency_plan_filing_rate": {"base": 80},
    "province_env_emergency_drills": {"full_year": (1.0, 2.0)},
    "city_env_emergency_drills": {"full_year": (1.0, 2.0)},
    "chem_park_env_emergency_drills_min": {"full_year": (1.0, 1.5)},
    "waste_incineration_auto_monitoring_rate": {"base": 88},
    "world_env_day_2022_main_event_completion": {"start": 0},
}

# Pace against the straight line to the target (1 = exactly on it), by profile.
_PACE = {"ahead": (1.15, 1.3), "on_track": (1.03, 1.12), "behind": (0.55, 0.75), "regressing": (0.85, 1.0)}
_CURVE = {"ahead": (0.8, 0.95), "on_track": (0.9, 1.0), "behind": (1.0, 1.3), "regressing": (0.9, 1.0)}
_OVER_ALLOCATION = 1.04  # city shares of a provincial total add up to a little more than the total
_AFTER_TARGET = 0.25  # progress per target period kept up after the target date


@dataclass
class _Series:
    """One area × indicator: what it aims at and how it gets there."""

    indicator: object
    area: str
    family: str  # level | completion | cumulative | annual | flag | sizes | schedule | constant
    profile: str
    baseline: float = 0.0
    aim: float = 0.0
    tau_target: float = 5.0  # years after the end of 2020 the aim is due
    pace: float = 1.0
    curve: float = 1.0
    fall: float = 0.0  # regressing: progress lost per year after 2021
    extra: dict = field(default_factory=dict)


@dataclass
class _Grid:
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


def _grid(through: tuple[int, int]) -> _Grid:
    year, quarter = through
    if not (1 <= quarter <= 4) or (year, quarter) < (FIRST_YEAR, 1):
        raise ValueError(f"through must be a (year, quarter) from ({FIRST_YEAR}, 1) on, got {through!r}")
    index = np.arange((year - FIRST_YEAR) * 4 + quarter)
    years = FIRST_YEAR + index // 4
    quarters = index % 4 + 1
    tau = (years - FIRST_YEAR) + quarters / 4 - 1
    return _Grid(years, quarters, tau.astype(float), (years - FIRST_YEAR).astype(float))


def _tau_of(target) -> float:
    if target.deadline:
        return max((target.deadline - dt.date(FIRST_YEAR, 12, 31)).days / 365.25, 0.25)
    return max(float(target.target_year - FIRST_YEAR), 0.25)


def _rng(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(_crc(k) for k in keys)])


def _is_annual(indicator) -> bool:
    return indicator.kind != "cumulative" and ("当年" in indicator.name or "年度" in indicator.name)


def _is_flag(indicator) -> bool:
    return indicator.kind == "count" and indicator.reported_by == "city" and indicator.name.endswith("市数")


def _decimals(indicator) -> int:
    return _DECIMALS.get(indicator.unit, 2)


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
    table = _WEIGHTS[hint.get("weights", "urban")]
    base = {code: table[i] for i, code in enumerate(REPORTING_UNITS)}
    rng = _rng(seed, "split", indicator.code)
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


def _specs(seed: int) -> list[_Series]:
    areas, indicators, targets_by_indicator = _load_plan()
    parent = {a.code: (a.parent.code if a.parent else None) for a in areas}
    levels = {a.code: a.level for a in areas}
    profiles = city_profiles(seed, tuple(a.code for a in areas if a.level in ("city", "pilot_zone")))
    # One air-quality position per city, shared by PM2.5, good days and heavy-pollution days.
    groups = {hint["group"][0] for hint in HINTS.values() if "group" in hint}
    latents = {
        name: {a.code: float(np.clip(_rng(seed, "latent", name, a.code).normal(), -2, 2)) for a in areas}
        for name in groups
    }

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
        if units and indicator.aggregation == "sum" and indicator.unit in _INTEGER_UNITS:
            for t in targets:
                if t.scope == "province" and t.value is not None and t.comparator not in ("done_by", "reduce_pct"):
                    w = np.array([shares[a] for a in units])
                    whole[t.code] = dict(
                        zip(units, _hamilton(round(t.value * _OVER_ALLOCATION), w).astype(float), strict=True)
                    )
        for area in here:
            if area == PROVINCE:
                draw = _rng(seed, "province-profile", indicator.code).random()
                profile = "ahead" if draw < 0.2 else "behind" if draw > 0.85 else "on_track"
            else:
                profile = profiles.get(area) or profiles.get(parent.get(area), "on_track")
            is_unit = levels[area] in ("city", "pilot_zone")
            held = _applicable(indicator, targets, area, is_unit, shares, whole)
            specs.append(_spec(indicator, area, profile, held, hint, shares.get(area, 1.0), seed, latents))
    return specs


def _spec(indicator, area, profile, held, hint, share, seed, latents) -> _Series:
    rng = _rng(seed, indicator.code, area)
    lo, hi = _PACE[profile]
    pace = rng.uniform(lo, hi)
    curve = rng.uniform(*_CURVE[profile])
    if area == ANCHOR_CITY:
        pace, curve = rng.uniform(1.12, 1.18), 0.95
    spec = _Series(indicator, area, "level", profile, pace=pace, curve=curve)
    spec.fall = rng.uniform(0.12, 0.18) if profile == "regressing" else 0.0
    spec.extra["rng"] = rng
    higher = indicator.direction == "higher"
    sign = 1.0 if higher else -1.0

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

    # levels, shares and (level) counts
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
    spec.baseline, spec.aim = baseline, float(aim)
    spec.extra["season"] = hint.get("season") if indicator.seasonal else None
    spec.extra["complement"] = bool(hint.get("complement"))
    spec.extra["noise"] = hint.get("noise", 0.03)
    spec.extra["group"] = hint.get("group")
    spec.extra["monotone"] = spec.extra["saturate"] = indicator.kind == "count"
    if "denominator" in hint and area != PROVINCE:
        spec.extra["denominator"] = int(rng.integers(hint["denominator"][0], hint["denominator"][1] + 1))
    return spec


# ----------------------------------------------------------------------------------------------------------------
# Series families
# ----------------------------------------------------------------------------------------------------------------


def _progress(tau: np.ndarray, specs: list[_Series]) -> np.ndarray:
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
        pace * np.clip(x, 0, 1) ** curve + pace * _AFTER_TARGET * np.clip(x - 1, 0, None),
    )
    p = np.where(saturate & (x > 0), np.minimum(pace * np.clip(x, 0, None) ** curve, 1.0), p)
    x1 = 1.0 / tau_t
    p1 = pace * np.minimum(x1, 1) ** curve + pace * _AFTER_TARGET * np.clip(x1 - 1, 0, None)
    p = np.where((fall > 0) & ~saturate & (tau > 1), np.maximum(p1 - fall * (tau - 1), -0.6), p)
    return np.minimum(p, 1.6)


def _levels(specs: list[_Series], grid: _Grid, seed: int) -> np.ndarray:
    n, k = len(specs), grid.size
    seasonal = np.array([s.extra["season"] is not None for s in specs])
    tau = np.where(seasonal[:, None], grid.year_tau[None, :], grid.tau[None, :])
    base = np.array([s.baseline for s in specs])[:, None]
    aim = np.array([s.aim for s in specs])[:, None]
    values = base + (aim - base) * _progress(tau, specs)

    # Noise: a weather year for seasonal means (shared by the cities for air quality), a smooth wobble otherwise.
    gap = np.abs(aim - base)[:, 0]
    scale = np.array([s.extra["noise"] for s in specs]) * gap
    weather = np.clip(_rng(seed, "weather").normal(size=grid.n_years), -2, 2)
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


def _completions(specs: list[_Series], grid: _Grid) -> np.ndarray:
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


def _cumulatives(specs: list[_Series], grid: _Grid) -> np.ndarray:
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
        if s.indicator.unit in _INTEGER_UNITS:
            values[i] = np.floor(values[i] + 0.08)
    return values


def _annual(spec: _Series, grid: _Grid) -> np.ndarray:
    """Counts and shares that restart every January: events spread over the year, year-to-date."""
    rng = spec.extra["rng"]
    out = np.zeros(grid.size)
    integer = spec.indicator.unit in _INTEGER_UNITS
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
            factor = rng.uniform(lo, hi) * {"ahead": 1.25, "behind": 0.85}.get(spec.profile, 1.0)
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


def _sizes(spec: _Series, grid: _Grid) -> np.ndarray:
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


def _schedule(spec: _Series, grid: _Grid) -> np.ndarray:
    out = np.zeros(grid.size)
    for year, quarter, value in spec.extra["schedule"]:
        out[(grid.years > year) | ((grid.years == year) & (grid.quarters >= quarter))] = value
    return out


def _flags(specs: list[_Series], grid: _Grid) -> np.ndarray:
    built = np.array([s.extra["tau_built"] for s in specs])[:, None]
    return (grid.tau[None, :] >= built).astype(float)


# ----------------------------------------------------------------------------------------------------------------
# The frame
# ----------------------------------------------------------------------------------------------------------------


def _energy_mix(values: np.ndarray, specs: list[_Series], grid: _Grid) -> None:
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


def demo_observations(*, through: tuple[int, int] = (2026, 3), seed: int = 2022) -> pd.DataFrame:
    """Demo values for every reporting area × indicator × quarter from 2020 Q1 to `through` (year-to-date).

    Columns: area_code (6-digit str), indicator_code, year, quarter (1–4), value (float).
    """
    grid = _grid(through)
    specs = _specs(seed)
    n, k = len(specs), grid.size
    values = np.zeros((n, k))

    families = defaultdict(list)
    for i, s in enumerate(specs):
        families[s.family].append(i)
    batch = {"level": lambda sp: _levels(sp, grid, seed), "completion": lambda sp: _completions(sp, grid)}
    batch["cumulative"] = lambda sp: _cumulatives(sp, grid)
    batch["flag"] = lambda sp: _flags(sp, grid)
    single = {"annual": _annual, "sizes": _sizes, "schedule": _schedule}
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
    decimals = np.array([_decimals(s.indicator) for s in specs])
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
    return _cap_water_shares(frame)


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
