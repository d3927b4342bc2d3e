"""The figure specs and the JSON they travel in: plain functions, no database."""

import json
import math

from dashboards import figures, geo_figures
from dashboards.pages.cells import cell
from dashboards.templatetags.dashboard_tags import dumps, figure_json, table_body

LABELS = {s: s.upper() for s in figures.STATUS_ORDER}


def test_the_heat_map_colours_by_status_and_writes_the_symbol_in_every_cell():
    spec = figures.status_heatmap(
        x=["1-02", "1-03"],
        y=["全省", "沈阳市"],
        statuses=[["achieved", "at_risk"], [None, "regressing"]],
        hover=[["a", "b"], ["c", "d"]],
        links=[["/t/1-02", "/t/1-03"], ["", "/c/210100?target=1-03"]],
        status_labels=LABELS,
    )
    trace = spec["data"][0]
    order = figures.STATUS_ORDER
    assert trace["z"] == [[order.index("achieved"), order.index("at_risk")], [None, order.index("regressing")]]
    assert trace["text"] == [["√", "△"], ["", "×"]]
    assert trace["customdata"][1][1] == "/c/210100?target=1-03"
    # One colour band per status, and the colour bar names every status with its symbol.
    assert len(trace["colorscale"]) == 2 * len(order)
    assert trace["colorbar"]["ticktext"][order.index("at_risk")] == "△ AT_RISK"


def test_status_stacks_and_progress_bars_carry_text_labels_not_colour_alone():
    stack = figures.status_stack(
        categories=["蓝天", "碧水"], counts={"achieved": [2, 0], "at_risk": [1, 3]}, status_labels=LABELS
    )
    assert [trace["name"] for trace in stack["data"]] == ["√ ACHIEVED", "△ AT_RISK"]
    bars = figures.progress_bars(
        labels=["1-02", "1-03"],
        ratios=[0.5, None],
        time_shares=[0.6, 0.6],
        statuses=["at_risk", "no_data"],
        hover=["x", "y"],
        links=["/a", "/b"],
        status_labels=LABELS,
        marker_name="序时进度",
        axis_title="",
    )
    texts = [t for trace in bars["data"] if trace["type"] == "bar" for t in trace["text"]]
    assert texts == ["△ AT_RISK", "– NO_DATA"]
    marker = bars["data"][-1]
    assert marker["name"] == "序时进度" and marker["x"] == [0.6, 0.6]


def test_ranking_bars_put_short_bars_labels_outside_so_a_zero_still_shows():
    spec = figures.ranking_bars(
        labels=["a", "b", "c"], values=[1.0, 0.0, None], colours=["#000"] * 3, text=["1", "0", ""], hover=["", "", ""]
    )
    trace = spec["data"][0]
    assert trace["textposition"] == ["inside", "outside", "outside"]
    assert trace["x"] == [1.0, 0.0, 0]


def test_figure_json_is_strict_json_safe_inside_a_script_element():
    spec = {"text": "</script><b>&", "value": math.nan, "nested": [math.inf, 1.5], "name": "沈阳"}
    text = dumps(spec)
    assert "</" not in text and "&" not in text
    assert "沈阳" in text  # UTF-8, not \\u escapes: half the size
    assert json.loads(text) == {"text": "</script><b>&", "value": None, "nested": [None, 1.5], "name": "沈阳"}
    html = figure_json({"a": 1}, "chart-x-data")
    assert html == '<script id="chart-x-data" type="application/json">{"a":1}</script>'


def test_table_rows_escape_every_text_and_attribute():
    rows = [
        [
            cell("<b>沈阳</b>", href='/c/?a=1&b="2"'),
            cell("√ 1.02", "status-cell", tip='<i>"tip"</i>', href="/t/", badge="achieved"),
            cell("原文", "quote"),
            cell("12.5", "num"),
        ]
    ]
    assert table_body(rows) == (
        '<tr><td><a href="/c/?a=1&amp;b=&quot;2&quot;">&lt;b&gt;沈阳&lt;/b&gt;</a></td>'
        '<td class="status-cell"><span class="st st-achieved" title="&lt;i&gt;&quot;tip&quot;&lt;/i&gt;" tabindex="0">'
        '<a href="/t/">√ 1.02</a></span></td>'
        '<td class="quote" lang="zh">原文</td><td class="num">12.5</td></tr>'
    )


def test_clean_turns_what_json_lacks_into_none():
    assert figures.clean(math.nan) is None
    assert figures.clean(float("inf")) is None
    assert figures.clean(None) is None
    assert figures.clean(2) == 2.0


REGIONS = [
    {"code": "210100", "label": "沈阳", "value": 30.0, "status": "achieved", "hover": "a", "link": "/c/210100"},
    {"code": "210200", "label": "大连", "value": 50.0, "status": "at_risk", "hover": "b", "link": "/c/210200"},
    {"code": "210600", "label": "丹东", "value": None, "status": None, "hover": "c", "link": "/c/210600"},
]
for region, (lon, lat) in zip(REGIONS, [(123.0, 42.1), (121.9, 39.5), (124.3, 40.4)], strict=True):
    region.update(lon=lon, lat=lat)
SHENFU = {"code": "219900", "label": "沈抚", "value": 40.0, "status": "off_track", "hover": "d", "link": "/c/219900"}
SHENFU.update(lon=123.65, lat=41.87)


def choropleth(mode: str, **extra) -> dict:
    return geo_figures.choropleth_map(
        geojson_url="/static/vendor/geo/liaoning.geojson",
        topojson_url="/static/vendor/topojson/",
        regions=REGIONS,
        points=[SHENFU],
        mode=mode,
        status_labels=LABELS,
        **extra,
    )


def test_the_map_is_a_choropleth_on_the_sites_own_boundaries_and_fetches_nothing_from_elsewhere():
    spec = choropleth("value", reverse_scale=True)
    shapes = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert {t["geojson"] for t in shapes} == {"/static/vendor/geo/liaoning.geojson"}  # by URL: sent once, cached
    assert all(t["featureidkey"] == "properties.code" for t in shapes)
    assert sorted(code for t in shapes for code in t["locations"]) == ["210100", "210200", "210600"]
    assert spec["config"]["topojsonURL"] == "/static/vendor/topojson/"
    assert spec["layout"]["geo"]["visible"] is False and spec["layout"]["geo"]["fitbounds"] == "locations"
    assert "http" not in json.dumps(spec)
    coloured = next(t for t in shapes if t["z"] == [30.0, 50.0])
    assert coloured["customdata"] == ["/c/210100", "/c/210200"]
    blank = next(t for t in shapes if t["locations"] == ["210600"])  # no value: the grey of 无数据
    assert blank["colorscale"][0][1] == figures.STATUS_COLOURS["no_data"]
    labels = spec["data"][-1]
    assert labels["type"] == "scattergeo" and labels["hoverinfo"] == "skip"
    assert labels["textfont"]["color"][:2] == ["#111111", "#ffffff"]  # lower is better: the high value is dark


def test_a_place_without_a_boundary_is_a_marked_point_on_the_same_scale():
    spec = choropleth("status")
    halo, point = [t for t in spec["data"] if t["type"] == "scattergeo" and t.get("mode", "").startswith("markers")]
    assert point["lon"] == [123.65] and point["lat"] == [41.87] and point["customdata"] == ["/c/219900"]
    assert halo["hoverinfo"] == "skip" and halo["marker"]["size"] > point["marker"]["size"]
    order = figures.STATUS_ORDER
    assert point["marker"]["color"] == [order.index("off_track")]
    shapes = next(t for t in spec["data"] if t["type"] == "choropleth" and "colorbar" in t)
    assert point["marker"]["colorscale"] == shapes["colorscale"]
    assert (point["marker"]["cmin"], point["marker"]["cmax"]) == (shapes["zmin"], shapes["zmax"])
    assert shapes["colorbar"]["ticktext"][order.index("at_risk")] == "△ AT_RISK"


def test_the_gap_scale_is_symmetric_about_zero_so_met_and_missed_read_apart():
    regions = [{**r, "value": v} for r, v in zip(REGIONS, [-2.0, 5.0, None], strict=True)]
    spec = geo_figures.choropleth_map(
        geojson_url="/g.geojson", topojson_url="/t/", regions=regions, mode="gap", status_labels=LABELS
    )
    shapes = next(t for t in spec["data"] if t["type"] == "choropleth" and "colorbar" in t)
    assert (shapes["zmin"], shapes["zmax"]) == (-5.0, 5.0)
    assert shapes["colorscale"][0][1] == figures.STATUS_COLOURS["achieved"]


def test_the_map_figure_is_valid_for_plotly():
    """Plotly's own schema accepts every trace and the layout (plain dicts skip its validation when pages build)."""
    import plotly.graph_objects as go

    for mode in ("value", "status", "gap"):
        base = [{"code": "210000", "hover": "", "link": ""}]
        go.Figure(choropleth(mode, base=base, selected="210100"))
