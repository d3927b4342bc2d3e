"""Mistakes a city officer makes in a first attempt, each one the real checks catch (uploads.reading and
uploads.validation, unchanged), and the notes (备注) officers write beside a value that lags.

A mistake changes the values written into the template: {(area code, indicator code): value}, where a value may be
text as typed, or None for a cell left empty. `wrong_quarter` is not a change of values: the loader sends last
quarter's file instead.
"""

import itertools

import numpy as np

Cells = dict[tuple[str, str], object]


def _own(rows, values: Cells, area_code: str) -> list:
    return [r for r in rows if r.area_code == area_code and values.get((r.area_code, r.indicator_code)) is not None]


def unit_in_cell(rows, values: Cells, indicators: dict, area_code: str, rng: np.random.Generator) -> Cells:
    """ "38.2微克": text in a number cell, rejected as not a number (PM2.5 when the city reports it)."""
    candidates = [r for r in _own(rows, values, area_code) if indicators[r.indicator_code].unit != "%"]
    pm25 = [r for r in candidates if r.indicator_code == "pm25"]
    row = pm25[0] if pm25 and rng.random() < 0.5 else candidates[rng.integers(len(candidates))]
    key = (row.area_code, row.indicator_code)
    return {**values, key: f"{values[key]:g}{indicators[row.indicator_code].unit.split('/')[0]}"}


def share_as_fraction(rows, values: Cells, indicators: dict, area_code: str, rng) -> Cells:
    """85.3 % typed as 0.853 (copied from a sheet formatted as percent): in range, but far from last quarter's value,
    so the upload is taken with an implausible-change warning and sent again."""
    candidates = [
        r
        for r in _own(rows, values, area_code)
        if indicators[r.indicator_code].unit == "%"
        and not indicators[r.indicator_code].seasonal
        and indicators[r.indicator_code].max_change is not None
        and values[(r.area_code, r.indicator_code)] > 2 * indicators[r.indicator_code].max_change
    ]
    row = candidates[rng.integers(len(candidates))]
    key = (row.area_code, row.indicator_code)
    return {**values, key: round(values[key] / 100, 4)}


def missing_row(rows, values: Cells, indicators: dict, area_code: str, rng) -> Cells:
    """A value left empty: the upload is taken with a missing-indicator warning, and the full sheet follows."""
    candidates = _own(rows, values, area_code)
    row = candidates[rng.integers(len(candidates))]
    return {**values, (row.area_code, row.indicator_code): None}


def wrong_row(rows, values: Cells, indicators: dict, area_code: str, rng) -> Cells:
    """Two neighbouring values typed into each other's rows: both jump implausibly from last quarter (warnings)."""
    own = _own(rows, values, area_code)
    pairs = []
    for first, second in itertools.pairwise(own):
        a, b = indicators[first.indicator_code], indicators[second.indicator_code]
        if a.seasonal or b.seasonal or a.max_change is None or b.max_change is None:
            continue
        value_a, value_b = values[(area_code, first.indicator_code)], values[(area_code, second.indicator_code)]
        if (a.whole_numbers and value_b % 1) or (b.whole_numbers and value_a % 1):
            continue  # a fraction in a count's row is refused outright: this mistake is meant to pass with warnings
        if abs(value_a - value_b) > 2 * max(a.max_change, b.max_change):
            pairs.append((first.indicator_code, second.indicator_code))
    first, second = pairs[rng.integers(len(pairs))]
    swapped = {(area_code, first): values[(area_code, second)], (area_code, second): values[(area_code, first)]}
    return {**values, **swapped}


EDITS = {
    "unit_in_cell": unit_in_cell,
    "share_as_fraction": share_as_fraction,
    "missing_row": missing_row,
    "wrong_row": wrong_row,
}

# What an officer writes in 备注 beside a value that lags, by indicator: one text, or texts by quarter (0: any other
# quarter); {ytd} is 1—3月, 1—6月 …
NOTES = {
    "pm25": {
        1: "受春季沙尘和采暖季燃煤排放叠加影响，{ytd}PM2.5浓度同比偏高；已启动重污染天气应急减排，加强扬尘和散煤管控。",
        0: "{ytd}不利气象条件多发，PM2.5浓度高于序时进度要求；钢铁企业超低排放改造正在推进，预计年底前完成。",
    },
    "good_air_days_ratio": "受沙尘天气和夏季臭氧污染影响，{ytd}优良天数比率偏低；已对涉VOCs重点企业实施错峰生产。",
    "heavy_pollution_days_ratio": "{ytd}出现重污染天气，主要受区域传输和静稳天气影响，已按预案及时启动预警。",
    "urban_clean_heating_rate": "清洁取暖改造资金到位较晚，部分老旧小区改造项目顺延至下一采暖季前完成。",
    "wastewater_reuse_rate": "再生水厂配套管网尚未建成，再生水利用量未达预期，预计年底前通水。",
    "diesel_truck_emission_test_pass_rate": "过境重型柴油货车抽检不合格较多，已联合公安交管开展路检路查。",
    "urban_sewage_collection_rate": "老城区雨污分流改造受征收进度影响滞后，已完工管网正在调试，其余正在施工。",
    "water_supply_leakage_rate": "老旧供水管网改造尚在实施，漏损率暂未降到目标值，已完成分区计量改造。",
    "drinking_water_source_good_share": "个别水源地受上游面源污染影响总磷超标，已开展保护区内排查整治。",
    "rural_sewage_treatment_rate": "部分村屯冬季不具备施工条件，农村生活污水治理设施建设顺延至开春后开工。",
    "livestock_manure_utilization_rate": "部分散养户粪污收集设施尚未配齐，已列入年度整改清单，逐户督促落实。",
    "general_industrial_solid_waste_utilization_rate": "尾矿综合利用项目仍在建设，利用率暂未达到序时要求。",
    "waste_agri_film_recovery_rate": "废旧地膜回收网点覆盖不足，已在主要产粮乡镇增设回收站点。",
    "medical_waste_full_collection_disposal_completion": "乡镇卫生院医疗废物收运尚有缺口，已协调处置企业扩大收运范围。",
    "city_env_emergency_drills": {
        3: "原定应急演练因防汛工作推迟，已调整至下季度开展。",
        0: "原定应急演练因涉事企业停产检修推迟，已调整至下季度开展。",
    },
    "sea_river_tn_concentration": "入海河流上游来水总氮偏高，已开展沿河排污口排查整治和农业面源治理。",
}


def pick_notes(series, quarters: list[tuple[int, int]], seed: int) -> dict[tuple[str, str, int, int], str]:
    """(area code, indicator code, year, quarter) → 备注: up to two lagging indicators per city, explained in one or
    two of the last four quarters."""
    from indicators.periods import YTD_LABELS

    from .profiles import REPORTING_UNITS, rng_for

    lagging = series[
        series["profile"].isin(["behind", "regressing"])
        & series["indicator_code"].isin(list(NOTES))
        & series["area_code"].isin(REPORTING_UNITS)
    ]
    notes = {}
    recent = quarters[-4:]
    for area, group in lagging.groupby("area_code", sort=True):
        rng = rng_for(seed, "notes", area)
        codes = sorted(group["indicator_code"])
        for code in rng.choice(codes, size=min(2, len(codes)), replace=False):
            for index in sorted(rng.choice(len(recent), size=min(int(rng.integers(1, 3)), len(recent)), replace=False)):
                year, quarter = recent[index]
                text = NOTES[code] if isinstance(NOTES[code], str) else NOTES[code].get(quarter, NOTES[code][0])
                notes[(area, str(code), year, quarter)] = text.format(ytd=YTD_LABELS[quarter])
    return notes
