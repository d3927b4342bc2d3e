"""The figure specs and the JSON they travel in: plain functions, no database."""

import json
import math

from dashboards import figures
from dashboards.templatetags.dashboard_tags import dumps, figure_json

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


def test_clean_turns_what_json_lacks_into_none():
    assert figures.clean(math.nan) is None
    assert figures.clean(float("inf")) is None
    assert figures.clean(None) is None
    assert figures.clean(2) == 2.0


def test_the_tile_map_is_a_grid_of_squares_without_any_base_map():
    tiles = [
        {"col": 3, "row": 1, "label": "沈阳", "value": 30.0, "hover": "", "link": "/c/210100", "status": "achieved"},
        {"col": 2, "row": 4, "label": "大连", "value": 50.0, "hover": "", "link": "/c/210200", "status": "at_risk"},
        {"col": 5, "row": 3, "label": "丹东", "value": None, "hover": "", "link": "/c/210600", "status": "no_data"},
    ]
    by_value = figures.tile_map(tiles=tiles, mode="value", reverse_scale=True)
    assert all(trace["type"] == "scatter" and trace["marker"]["symbol"] == "square" for trace in by_value["data"])
    assert "mapbox" not in json.dumps(by_value) and "geo" not in by_value["layout"]
    coloured = by_value["data"][0]
    assert coloured["textfont"]["color"] == ["#111111", "#ffffff"]  # lower is better: the high value is dark
    by_status = figures.tile_map(tiles=tiles, mode="status", status_labels=LABELS)
    assert [trace["name"] for trace in by_status["data"]] == ["√ ACHIEVED", "△ AT_RISK", "– NO_DATA"]
