"""5. The map: Liaoning's 14 cities on their real boundaries (or the county-level areas a target names), coloured by an
indicator's value, by the status of a target on it, or by the gap to that target; 沈抚示范区, which has no boundary
of its own, as a marked point. A click on a city opens its page."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pandas as pd
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.geo import SHENFU_POINT, load_boundaries
from indicators.models import Area, Indicator
from progress.choices import Status

from .. import geo_figures
from ..filters import Filters
from ..selectors import PlanMeta, indicator_values
from ..staticfiles import BOUNDARIES_STATIC_PATH
from .cells import Chart, Page, cell
from .filter_bar import filter_bar, target_options
from .formatting import hover, missing, num, num_marked
from .frames import approved_set, quarter_rows
from .labels import Labels, area_name, indicator_text, status_cell, status_tip, target_name, unapproved_legend

MODES = ("value", "status", "gap")
COUNTY = "county"


def map_indicators(meta: PlanMeta) -> list[int]:
    """Indicators that areas report (every city, or the areas the plan names): the ones the map can colour."""
    reported = meta.indicators["reported_by"].isin([Indicator.ReportedBy.CITY, Indicator.ReportedBy.AREAS])
    return [int(i) for i in meta.indicators.index[reported]]


@cache
def label_points() -> dict[str, tuple[float, float]]:
    """Where each boundary's label sits (a point inside it), by code."""
    return {
        f["properties"]["code"]: (f["properties"]["label_lon"], f["properties"]["label_lat"])
        for f in load_boundaries()["features"]
    }


@dataclass
class MapChoice:
    """What the map shows: the indicator, the target judged on it, the level (cities or counties), the colouring."""

    indicator_id: int
    target_id: int | None
    level: str
    mode: str
    targets: list[int] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)


def map_choice(meta: PlanMeta, filters: Filters, rows: pd.DataFrame) -> MapChoice | None:
    choices = map_indicators(meta)
    if not choices:
        return None
    codes = meta.indicators["code"]
    asked = meta.target_by_code(filters.get("target"))
    wanted = filters.get("indicator") or ("pm25" if "pm25" in set(codes) else "")
    if not filters.get("indicator") and asked is not None:  # a link to a target's map: its indicator
        wanted = meta.targets.loc[asked, "indicator_code"]
    indicator_id = next((i for i in choices if codes[i] == wanted), choices[0])
    on_indicator = [int(t) for t in meta.targets.index[meta.targets["indicator_id"] == indicator_id]]
    level_of = rows["area_id"].map(_level_by_area(meta))
    judged = rows[rows["target_id"].isin(on_indicator) & level_of.isin(["city", COUNTY])]
    targets = [int(t) for t in dict.fromkeys(judged["target_id"])]
    target_id = asked
    if target_id not in targets:
        target_id = targets[0] if targets else None
    levels = []
    if target_id is not None:
        present = set(level_of[judged.index[judged["target_id"] == target_id]])
        levels = [level for level in ("city", COUNTY) if level in present]
    level = COUNTY if COUNTY in levels and (filters.get("level") == COUNTY or "city" not in levels) else "city"
    mode = filters.get("colour") if filters.get("colour") in MODES else "value"
    if target_id is None:
        mode = "value"
    return MapChoice(indicator_id, target_id, level, mode, targets, levels)


def _level_by_area(meta: PlanMeta) -> dict[int, str]:
    """city for the 14 cities and 沈抚示范区, county for the county-level areas."""
    reporting = set(meta.reporting_area_ids)
    return {
        int(a): ("city" if a in reporting else COUNTY if level == Area.Level.COUNTY else "")
        for a, level in meta.areas["level"].items()
    }


def map_page(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    page = Page(_("城市地图"))
    rows = quarter_rows(meta, filters)
    choice = map_choice(meta, filters, rows)
    if choice is None:
        return page
    target = meta.targets.loc[choice.target_id] if choice.target_id is not None else None
    regions, points, table = _regions(meta, filters, choice, rows, labels)
    chart = _map_chart(meta, filters, choice, regions, points, table, labels)
    if any(not r["approved"] for r in regions + points):
        chart.legend = unapproved_legend()
    page.charts.append(chart)
    page.context.update(
        indicator_code=meta.indicators.loc[choice.indicator_id, "code"],
        indicator_name=indicator_text(meta, choice.indicator_id, labels)[0],
        target_code=target["code"] if target is not None else "",
        target_name=f"{target['code']} {target_name(meta, choice.target_id, labels)}" if target is not None else "",
        county=choice.level == COUNTY,
    )
    page.context["filters"] = filter_bar(meta, filters, labels, _fields(choice), _options(meta, choice, labels))
    return page


def _fields(choice: MapChoice) -> list[str]:
    fields = ["quarter", "indicator"]
    if choice.targets:
        fields.append("target")
    if len(choice.levels) > 1:
        fields.append("level")
    fields.append("colour")
    if choice.level == "city":
        fields.append("city")
    return fields


def _options(meta: PlanMeta, choice: MapChoice, labels: Labels) -> dict:
    indicators = []
    for i in map_indicators(meta):
        name, unit = indicator_text(meta, i, labels)
        indicators.append((meta.indicators.loc[i, "code"], f"{name}（{unit}）", i == choice.indicator_id))
    selected = meta.targets.loc[choice.target_id, "code"] if choice.target_id is not None else ""
    colours = [("", _("按数值"), choice.mode == "value")]
    if choice.target_id is not None:
        colours += [
            ("status", _("按目标状态"), choice.mode == "status"),
            ("gap", _("按距目标差距"), choice.mode == "gap"),
        ]
    levels = [("", _("地级市"), choice.level == "city"), (COUNTY, _("县（市、区）"), choice.level == COUNTY)]
    return {
        "indicator": (_("指标"), indicators),
        "target": (_("目标"), target_options(meta, choice.targets, selected)),
        "level": (_("地区层级"), levels),
        "colour": (_("着色"), colours),
    }


def _areas_shown(meta: PlanMeta, choice: MapChoice, rows: pd.DataFrame, values: dict) -> list[int]:
    """Every reporting area at city level; at county level the counties assessed for the target or reporting it."""
    if choice.level == "city":
        return meta.reporting_area_ids
    counties = meta.areas.index[meta.areas["level"] == Area.Level.COUNTY]
    assessed = set(rows.loc[rows["target_id"] == choice.target_id, "area_id"])
    return [int(a) for a in counties if a in assessed or a in values]


def _regions(meta: PlanMeta, filters: Filters, choice: MapChoice, rows: pd.DataFrame, labels: Labels):
    """A region (or, without a boundary, a point) and a table row per area shown."""
    values = indicator_values(indicator_id=choice.indicator_id, year=filters.year, quarter=filters.quarter)
    value_of = dict(zip(values["area_id"].astype(int), values["value"].astype(float), strict=True))
    judged = rows[rows["target_id"] == choice.target_id] if choice.target_id is not None else rows.iloc[:0]
    status_of = {int(r.area_id): r for r in judged.itertuples(index=False)}
    name, unit = indicator_text(meta, choice.indicator_id, labels)
    target_unit = meta.targets.loc[choice.target_id, "unit"] if choice.target_id is not None else unit
    where, approved = label_points(), approved_set(meta)
    regions, points, table = [], [], []
    for area_id in _areas_shown(meta, choice, rows, value_of):
        code = meta.areas.loc[area_id, "code"]
        area_label = area_name(meta, area_id, labels)
        value, progress = value_of.get(area_id), status_of.get(area_id)
        link = _link(meta, filters, area_id, choice)
        # The value shown is the quarter's own report; the status beside it may rest on an earlier quarter.
        value_approved = value is None or (area_id, filters.year, filters.quarter) in approved
        shown = num_marked(value, value_approved) or "—"
        lines = [area_label, _("%(name)s：%(value)s %(unit)s") % {"name": name, "value": shown, "unit": unit}]
        if not value_approved:
            lines.append(unapproved_legend())
        if progress is not None:
            lines.append(status_tip(progress, target_unit, labels))
        region = {
            "code": code,
            "value": value if choice.mode != "gap" else (None if progress is None else progress.gap),
            "status": None if progress is None else progress.shown,
            "hover": hover("\n".join(lines)),
            "link": link,
            "approved": value_approved and (progress is None or bool(progress.approved)),
        }
        region["label"] = _label(area_label, region, choice.mode, labels, filters.city == code)
        if code in where:
            region["lon"], region["lat"] = where[code]
            regions.append(region)
        elif code == SHENFU_POINT.code:
            points.append({**region, "lon": SHENFU_POINT.lon, "lat": SHENFU_POINT.lat})
        table.append(_row(area_label, link, num_marked(value, value_approved), unit, progress, target_unit, labels))
    return regions, points, table


def _link(meta: PlanMeta, filters: Filters, area_id: int, choice: MapChoice) -> str:
    """The city's page for the target (a county's leads to its city's)."""
    city_id = area_id
    if area_id not in meta.reporting_area_ids:
        parent = meta.areas.loc[area_id, "parent_id"]
        city_id = None if missing(parent) else int(parent)
    if city_id is None or city_id not in meta.reporting_area_ids:
        return ""
    target_code = meta.targets.loc[choice.target_id, "code"] if choice.target_id is not None else None
    query = filters.query(indicator=None, colour=None, city=None, level=None, target=target_code)
    return reverse("dash_city", args=[meta.areas.loc[city_id, "code"]]) + query


def _label(area_label: str, region: dict, mode: str, labels: Labels, selected: bool) -> str:
    short = area_label if labels.english else area_label.removesuffix("市")
    short = f"▶{short}" if selected else short
    if mode == "status":
        return f"{short} {Status(region['status']).symbol}" if region["status"] else short
    mark = "" if region["approved"] else "※"
    return f"{short}<br>{num(region['value']) or '—'}{mark}"


def _row(area_label, link, value: str, unit, progress, target_unit, labels: Labels) -> list:
    status = status_cell(progress, target_unit, labels) if progress is not None else cell("")
    gap = cell(num(progress.gap), "num") if progress is not None else cell("")
    return [cell(area_label, href=link), cell(value, "num"), cell(unit), status, gap]


def _map_chart(meta: PlanMeta, filters: Filters, choice: MapChoice, regions, points, table, labels: Labels) -> Chart:
    name, unit = indicator_text(meta, choice.indicator_id, labels)
    target_label = ""
    if choice.target_id is not None:
        target_label = f"{meta.targets.loc[choice.target_id, 'code']} {target_name(meta, choice.target_id, labels)}"
    base = None
    if choice.level == COUNTY:
        where = label_points()
        base = [
            {
                "code": meta.areas.loc[a, "code"],
                "hover": hover(area_name(meta, a, labels)),
                "link": reverse("dash_city", args=[meta.areas.loc[a, "code"]]),
            }
            for a in meta.reporting_area_ids
            if meta.areas.loc[a, "code"] in where
        ]
    figure = None
    if regions or points:
        figure = geo_figures.choropleth_map(
            geojson_url=static(BOUNDARIES_STATIC_PATH),
            topojson_url=f"{settings.STATIC_URL}vendor/topojson/",
            regions=regions,
            points=points,
            base=base,
            mode=choice.mode,
            colour_title=unit if choice.mode == "value" else meta.targets.loc[choice.target_id, "unit"],
            reverse_scale=meta.indicators.loc[choice.indicator_id, "direction"] == Indicator.Direction.LOWER,
            status_labels=labels.status,
            selected=filters.city,
        )
    titles = {
        "value": f"{name}（{unit}）· " + _("%(quarter)s，年内累计值") % {"quarter": filters.quarter_label},
        "status": _("%(target)s：各地区状态") % {"target": target_label},
        "gap": _("%(target)s：各地区距目标差距") % {"target": target_label},
    }
    columns = [_("地区"), _("数值（年内累计）"), _("单位"), _("状态（%(target)s）") % {"target": target_label or "—"}]
    return Chart(
        "map",
        titles[choice.mode],
        figure,
        [*columns, _("距目标差距")],
        table,
        note=_(
            "按数值着色时颜色越深表示按指标方向越差；按状态着色时颜色和符号表示状态；按差距着色时蓝色为已达到目标、"
            "橙红色为尚有差距。悬停查看数值和计算依据，点击一个地区进入该市页面。"
        ),
    )
