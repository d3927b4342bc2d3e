"""5. The map: each reporting unit as a tile on a rough grid of Liaoning, coloured by an indicator's value or by the
status of a target on it. No GeoJSON of the cities' boundaries ships with the project, so no real map is drawn."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.models import Indicator
from progress.choices import Status

from .. import figures
from ..filters import Filters
from ..selectors import PlanMeta, indicator_values
from .cells import Chart, Page, cell
from .filter_bar import filter_bar
from .formatting import hover, num
from .frames import quarter_rows
from .labels import Labels, area_name, status_cell, status_tip

# Each reporting unit's place on a rough grid of Liaoning (column west→east, row north→south).
TILE_GRID = {
    "210900": (2, 0),  # 阜新
    "211200": (4, 0),  # 铁岭
    "211300": (0, 1),  # 朝阳
    "210100": (3, 1),  # 沈阳
    "219900": (4, 1),  # 沈抚示范区
    "210400": (5, 1),  # 抚顺
    "210700": (1, 2),  # 锦州
    "211100": (2, 2),  # 盘锦
    "211000": (3, 2),  # 辽阳
    "210500": (4, 2),  # 本溪
    "211400": (0, 3),  # 葫芦岛
    "210800": (2, 3),  # 营口
    "210300": (3, 3),  # 鞍山
    "210600": (5, 3),  # 丹东
    "210200": (2, 4),  # 大连
}


def map_indicators(meta: PlanMeta) -> list[int]:
    """Indicators every city reports: the ones the map can colour."""
    reported = meta.indicators[meta.indicators["reported_by"] == Indicator.ReportedBy.CITY]
    return [int(i) for i in reported.index]


def map_page(meta: PlanMeta, filters: Filters) -> Page:
    labels = Labels()
    choices = map_indicators(meta)
    codes = meta.indicators["code"]
    wanted = filters.get("indicator") or ("pm25" if "pm25" in set(codes) else "")
    indicator_id = next((i for i in choices if codes[i] == wanted), choices[0] if choices else None)
    mode = "status" if filters.get("colour") == "status" else "value"
    page = Page(_("城市地图"))
    if indicator_id is None:
        return page
    indicator = meta.indicators.loc[indicator_id]
    status_target, status_of = _judged_on(meta, filters, indicator_id)
    tiles, table = _tiles(meta, filters, indicator, indicator_id, status_target, status_of, mode, labels)
    if mode == "status" and status_target is None:
        mode = "value"
    status_name = ""
    if status_target is not None:
        status_name = f"{meta.targets.loc[status_target, 'code']} {meta.targets.loc[status_target, 'name']}"
    page.context["status_target"] = status_name
    page.charts.append(_map_chart(filters, indicator, tiles, table, mode, status_name, labels))
    indicator_choices = [
        (codes[i], f"{meta.indicators.loc[i, 'name']}（{meta.indicators.loc[i, 'unit']}）", i == indicator_id)
        for i in choices
    ]
    colours = [("", _("按数值"), mode == "value"), ("status", _("按目标状态"), mode == "status")]
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        ["quarter", "indicator", "colour", "city"],
        {"indicator": (_("指标"), indicator_choices), "colour": (_("着色"), colours)},
    )
    return page


def _judged_on(meta: PlanMeta, filters: Filters, indicator_id: int) -> tuple[int | None, dict]:
    """The first target on the indicator that cities are assessed for, and each city's row of it."""
    rows = quarter_rows(meta, filters)
    on_indicator = [int(t) for t in meta.targets.index[meta.targets["indicator_id"] == indicator_id]]
    judged = rows[rows["target_id"].isin(on_indicator) & rows["area_id"].isin(meta.reporting_area_ids)]
    status_target = int(judged["target_id"].iloc[0]) if len(judged) else None
    status_of = {}
    if status_target is not None:
        status_of = {int(r.area_id): r for r in judged[judged["target_id"] == status_target].itertuples(index=False)}
    return status_target, status_of


def _tiles(meta: PlanMeta, filters: Filters, indicator, indicator_id, status_target, status_of, mode, labels):
    """A tile and a table row per city on the grid: the indicator's year-to-date value and the target's status."""
    values = indicator_values(indicator_id=indicator_id, year=filters.year, quarter=filters.quarter)
    value_of = dict(zip(values["area_id"].astype(int), values["value"].astype(float), strict=True))
    unit = indicator["unit"]
    name = indicator["name_en"] if labels.english and indicator["name_en"] else indicator["name"]
    target_code = meta.targets.loc[status_target, "code"] if status_target else None
    tiles, table = [], []
    for area_id in meta.reporting_area_ids:
        code = meta.areas.loc[area_id, "code"]
        if code not in TILE_GRID:
            continue
        col, row = TILE_GRID[code]
        city_name = area_name(meta, area_id, labels)
        value = value_of.get(area_id)
        progress = status_of.get(area_id)
        link = reverse("dash_city", args=[code]) + filters.query(
            indicator=None, colour=None, city=None, target=target_code
        )
        lines = [
            city_name,
            _("%(name)s：%(value)s %(unit)s") % {"name": name, "value": num(value) or "—", "unit": unit},
        ]
        status = None
        if progress is not None:
            lines.append(status_tip(progress, meta.targets.loc[status_target, "unit"], labels))
            status = status_cell(progress, meta.targets.loc[status_target, "unit"], labels)
        short = city_name.removesuffix("市") if not labels.english else city_name
        if filters.city == code:
            short = f"▶{short}"
        tiles.append(
            {
                "col": col,
                "row": row,
                "label": f"{short}<br>{num(value) or '—'}" if mode == "value" else short,
                "value": value,
                "status": (progress.shown if progress is not None else Status.NO_DATA.value),
                "hover": hover("\n".join(lines)),
                "link": link,
            }
        )
        table.append([cell(city_name, href=link), cell(num(value), "num"), cell(unit), status or cell("")])
    return tiles, table


def _map_chart(filters: Filters, indicator, tiles, table, mode: str, status_name: str, labels: Labels) -> Chart:
    unit = indicator["unit"]
    name = indicator["name_en"] if labels.english and indicator["name_en"] else indicator["name"]
    figure = figures.tile_map(
        tiles=tiles,
        mode=mode,
        colour_title=unit,
        reverse_scale=indicator["direction"] == Indicator.Direction.LOWER,
        status_labels=labels.status,
    )
    ytd = _("%(quarter)s，年内累计值") % {"quarter": filters.quarter_label}
    return Chart(
        "map",
        f"{name}（{unit}）· {ytd}" if mode == "value" else _("%(target)s：各市状态") % {"target": status_name},
        figure,
        [_("城市"), _("数值（年内累计）"), _("单位"), _("状态（%(target)s）") % {"target": status_name or "—"}],
        table,
        note=_(
            "颜色越深表示按指标方向越差。示意图：各市方块按大致地理位置排列（沈阳居中，大连在南，丹东在东，朝阳、葫芦岛在西）。"
            "项目未附辽宁省各市边界的 GeoJSON 文件，因此不画真实边界、不加载任何在线底图。点击方块进入该市页面。"
        ),
    )
