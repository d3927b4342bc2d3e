"""Plotly figure specs as plain dicts (no plotly.graph_objects: its validation is slow), for
static/js/dashboards.js to hand to Plotly.newPlot. Every function takes plain lists of already translated text and
numbers (None for a gap) and returns {"data": [...], "layout": {...}, "config": {...}}.

A point's customdata, where it is a path on this site, is where a click on it leads, and the lines of a hover text
are separated by "\n", which dashboards.js turns into <br> before drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from progress.choices import Status

FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'

# Statuses as progress/choices.py shows them (colour, symbol, worst to best), keyed by their codes.
STATUS_COLOURS = {status.value: status.colour for status in Status}
STATUS_SYMBOLS = {status.value: status.symbol for status in Status}
STATUS_ORDER = [status.value for status in Status.worst_first()]  # the heat map's ordinal scale; stacking
DARK_STATUSES = {status.value for status in Status if status.dark}  # white text on these
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CITY_COLOURS = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#882255",
    "#44AA99", "#332288", "#AA4499", "#117733", "#88CCEE", "#661100", "#6699CC", "#888888",
]  # fmt: skip


def clean(value):
    """A JSON-safe number: NaN and infinities become None (JSON has no NaN)."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return number if math.isfinite(number) else None


def _layout(**extra) -> dict:
    layout = {
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left", "font": {"family": FONT, "size": 12}},
        "legend": {"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"},
    }
    layout.update(extra)
    return layout


def _figure(data: list, layout: dict, **config) -> dict:
    return {"data": data, "layout": layout, "config": config}


def status_heatmap(
    *,
    x: list[str],
    y: list[str],
    statuses: list[list[str | None]],
    hover: list[list[str]],
    links: list[list[str]],
    status_labels: dict[str, str],
    x_hover: list[str] | None = None,
    vocabulary=Status,
    text: list[list[str]] | None = None,
) -> dict:
    """Rows × columns coloured by status (worst to best), each cell with the status symbol (never colour alone), or
    with `text` that starts with it. `vocabulary`: the registry the statuses come from (progress.choices: Status, or
    YearState for the years of yearly duties)."""
    order = [member.value for member in vocabulary.worst_first()]
    colours = {member.value: member.colour for member in vocabulary}
    symbols = {member.value: member.symbol for member in vocabulary}
    index = {status: i for i, status in enumerate(order)}
    z = [[None if s is None else index[s] for s in row] for row in statuses]
    text = text or [["" if s is None else symbols[s] for s in row] for row in statuses]
    n = len(order)
    scale = []
    for i, status in enumerate(order):
        scale += [[i / n, colours[status]], [(i + 1) / n, colours[status]]]
    trace = {
        "type": "heatmap",
        "x": x,
        "y": y,
        "z": z,
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 11},
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": links,
        "zmin": -0.5,
        "zmax": n - 0.5,
        "colorscale": scale,
        "xgap": 1,
        "ygap": 1,
        "colorbar": {
            "tickvals": list(range(n)),
            "ticktext": [f"{symbols[s]} {status_labels[s]}" for s in order],
            "thickness": 12,
            "len": 1,
            "y": 0.5,
        },
    }
    layout = _layout(
        height=max(260, 90 + 24 * len(y)),
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        xaxis={"side": "top", "type": "category", "tickangle": -60, "tickfont": {"size": 10}, "automargin": True},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
    )
    return _figure([trace], layout)


def status_stack(
    *,
    categories: list[str],
    counts: dict[str, list[int]],
    status_labels: dict[str, str],
    links: list[str] | None = None,
    value_title: str = "",
) -> dict:
    """Horizontal stacked bars of status counts per category (best first, left to right), counts written on bars."""
    data = []
    for status in reversed(STATUS_ORDER):
        values = counts.get(status)
        if not values or not any(values):
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": f"{STATUS_SYMBOLS[status]} {status_labels[status]}",
                "y": categories,
                "x": values,
                "text": [str(v) if v else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "marker": {"color": STATUS_COLOURS[status], "line": {"color": "#ffffff", "width": 1}},
                "customdata": links or [],
                "hovertemplate": f"%{{y}}<br>{status_labels[status]}：%{{x}}<extra></extra>",
            }
        )
    layout = _layout(
        barmode="stack",
        height=max(220, 80 + 34 * len(categories)),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": {"text": value_title}, "automargin": True, "gridcolor": "#eef2f6"},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top", "traceorder": "normal"},
    )
    return _figure(data, layout)


def progress_bars(
    *,
    labels: list[str],
    ratios: list[float | None],
    time_shares: list[float | None],
    statuses: list[str],
    hover: list[str],
    links: list[str],
    status_labels: dict[str, str],
    marker_name: str,
    axis_title: str,
) -> dict:
    """One bar per target: the share of the distance covered (completion), coloured and labelled by status, with a
    black tick at the time-elapsed share (序时进度: where a target on the straight line would be)."""
    low, high = -0.3, 1.3
    data = []
    for status in reversed(STATUS_ORDER):
        rows = [i for i, s in enumerate(statuses) if s == status]
        if not rows:
            continue
        shown = [None if ratios[i] is None else min(max(ratios[i], low), high) for i in rows]
        name = f"{STATUS_SYMBOLS[status]} {status_labels[status]}"
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [labels[i] for i in rows],
                "x": [0 if v is None else v for v in shown],
                "text": [name for _ in rows],
                "textposition": "auto",
                "cliponaxis": False,
                "textfont": {"size": 11},
                "marker": {"color": STATUS_COLOURS[status]},
                "hovertext": [hover[i] for i in rows],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "customdata": [links[i] for i in rows],
            }
        )
    data.append(_time_share_marks(labels, time_shares, marker_name))
    return _figure(data, _progress_layout(labels, (low, high), axis_title))


def _time_share_marks(labels: list[str], time_shares: list[float | None], name: str) -> dict:
    """The black tick at each bar's time-elapsed share."""
    marks = [i for i, s in enumerate(time_shares) if s is not None]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "y": [labels[i] for i in marks],
        "x": [time_shares[i] for i in marks],
        "marker": {"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": "#000000"}, "color": "#000000"},
        "hovertemplate": f"{name}：%{{x:.0%}}<extra></extra>",
    }


def _progress_layout(labels: list[str], x_range: tuple[float, float], axis_title: str) -> dict:
    return _layout(
        barmode="overlay",
        height=max(220, 90 + 24 * len(labels)),
        margin={"l": 10, "r": 20, "t": 10, "b": 10},
        xaxis={
            "range": list(x_range),
            "tickformat": ".0%",
            "title": {"text": axis_title},
            "zeroline": True,
            "zerolinecolor": "#8c959f",
            "gridcolor": "#eef2f6",
            "automargin": True,
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "autorange": "reversed",
            "automargin": True,
            "tickfont": {"size": 11},
        },
        shapes=[
            {
                "type": "line",
                "x0": 1,
                "x1": 1,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": "#0072B2", "width": 1, "dash": "dot"},
            }
        ],
        legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},
    )


def line_chart(
    *,
    x: list[str],
    traces: list[dict],
    y_title: str = "",
    height: int = 360,
    x_title: str = "",
) -> dict:
    """Lines over quarters. Each trace: name, y, and optionally colour, dash, mode, width, hover (list of text)."""
    data = []
    for i, trace in enumerate(traces):
        spec = {
            "type": "scatter",
            "mode": trace.get("mode", "lines+markers"),
            "name": trace["name"],
            "x": trace.get("x", x),
            "y": [clean(v) for v in trace["y"]],
            "connectgaps": trace.get("connectgaps", False),
            "line": {
                "color": trace.get("colour", LINE_COLOURS[i % len(LINE_COLOURS)]),
                "dash": trace.get("dash", "solid"),
                "width": trace.get("width", 2),
                "shape": trace.get("shape", "linear"),
            },
            "marker": {"size": trace.get("marker_size", 6), "symbol": trace.get("symbol", "circle")},
        }
        if "hover" in trace:
            spec["hovertext"] = trace["hover"]
            spec["hovertemplate"] = "%{hovertext}<extra></extra>"
        else:
            spec["hovertemplate"] = f"{trace['name']}：%{{y}}<extra>%{{x}}</extra>"
        if "links" in trace:
            spec["customdata"] = trace["links"]
        data.append(spec)
    layout = _layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        hovermode="closest",
        xaxis={"type": "category", "title": {"text": x_title}, "tickangle": -45, "automargin": True},
        yaxis={"title": {"text": y_title}, "automargin": True, "gridcolor": "#eef2f6", "zeroline": False},
        legend={"orientation": "h", "y": -0.25, "x": 0, "yanchor": "top"},
    )
    return _figure(data, layout)


def ranking_bars(
    *,
    labels: list[str],
    values: list[float | None],
    colours: list[str],
    text: list[str],
    hover: list[str],
    links: list[str] | None = None,
    axis_title: str = "",
    tickformat: str = "",
    axis_range: list[float] | None = None,
) -> dict:
    """Horizontal bars, first label on top (a ranking), each with its own colour and a text label."""
    xs = [clean(v) if v is not None else 0 for v in values]
    biggest = max([abs(v) for v in xs if v is not None] or [1]) or 1
    if axis_range is None:
        low = min([0, *[v for v in xs if v is not None]])
        high = max([0, *[v for v in xs if v is not None]])
        span = (high - low) or 1
        axis_range = [low - (0.3 * span if low < 0 else 0), high + 0.2 * span]
    # Text inside a long bar, beside a short one (so a zero-length bar still shows its label).
    positions = ["inside" if v is not None and abs(v) >= 0.25 * biggest else "outside" for v in xs]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": xs,
        "text": text,
        "textposition": positions,
        "cliponaxis": False,
        "marker": {"color": colours},
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": links or [],
        "showlegend": False,
    }
    xaxis = {"title": {"text": axis_title}, "automargin": True, "gridcolor": "#eef2f6", "zerolinecolor": "#8c959f"}
    if tickformat:
        xaxis["tickformat"] = tickformat
    xaxis["range"] = axis_range
    layout = _layout(
        height=max(200, 60 + 24 * len(labels)),
        margin={"l": 10, "r": 30, "t": 10, "b": 10},
        xaxis=xaxis,
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "autorange": "reversed",
            "automargin": True,
        },
    )
    return _figure([trace], layout)


def column_chart(
    *, x: list[str], y: list[float | None], colours: list[str], text: list[str], hover: list[str], y_title: str
) -> dict:
    """Vertical bars over quarters (同比 changes), each labelled."""
    trace = {
        "type": "bar",
        "x": x,
        "y": [clean(v) for v in y],
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": colours},
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
    }
    layout = _layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        xaxis={"type": "category", "tickangle": -45, "automargin": True},
        yaxis={"title": {"text": y_title}, "automargin": True, "gridcolor": "#eef2f6", "zerolinecolor": "#3d3d3d"},
    )
    return _figure([trace], layout)


def sparkline(*, x: list[str], actual: list, expected: list, target: float | None, names: tuple[str, str, str]) -> dict:
    """A card's small trend: the judged value, the 序时进度 line and the target level."""
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": names[1],
            "x": x,
            "y": [clean(v) for v in expected],
            "line": {"color": "#8c959f", "dash": "dot", "width": 1.5},
            "hovertemplate": f"{names[1]}：%{{y}}<extra>%{{x}}</extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": names[0],
            "x": x,
            "y": [clean(v) for v in actual],
            "line": {"color": "#0b6e4f", "width": 2},
            "hovertemplate": f"{names[0]}：%{{y}}<extra>%{{x}}</extra>",
        },
    ]
    shapes = []
    if target is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": target,
                "y1": target,
                "line": {"color": "#c0392b", "width": 1, "dash": "dash"},
            }
        )
    layout = _layout(
        height=70,
        margin={"l": 2, "r": 2, "t": 4, "b": 4},
        showlegend=False,
        xaxis={"visible": False, "type": "category", "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
        shapes=shapes,
        hovermode="x",
    )
    return _figure(data, layout, displayModeBar=False)


@dataclass
class RankingBars:
    """The bars of a ranking, added one row at a time and handed to ranking_bars(**bars.series())."""

    labels: list[str] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def add(self, *, label: str, value: float | None, colour: str, text: str, hover: str, link: str) -> None:
        self.labels.append(label)
        self.values.append(value)
        self.colours.append(colour)
        self.text.append(text)
        self.hover.append(hover)
        self.links.append(link)

    def series(self) -> dict:
        return {
            "labels": self.labels,
            "values": self.values,
            "colours": self.colours,
            "text": self.text,
            "hover": self.hover,
            "links": self.links,
        }

    def __bool__(self) -> bool:
        return bool(self.labels)
