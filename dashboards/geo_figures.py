"""The map's Plotly spec: Liaoning's cities (or county-level areas) as a choropleth on their real boundaries, with no
base map and nothing fetched from the internet.

The boundaries are not inside the spec: each choropleth trace names the GeoJSON by URL (a static file of this site,
dashboards.staticfiles), which plotly.js fetches once and the browser caches, so a page's figure stays a few KB.
A geo subplot also makes plotly.js fetch ``{topojsonURL}world_110m.json`` even with ``geo.visible`` false: the
config points topojsonURL at this site's static folder, which holds an empty topology
(static/vendor/topojson/world_110m.json).

A region: code (GB/T 2260, the features' ``properties.code``), label (written on the map), value (a number or None),
status (a progress.choices.Status code or None), hover, link (where a click leads) and lon/lat (where its label
sits). A point (沈抚示范区, which has no boundary of its own) is a region drawn as a marker at its lon/lat.
"""

from __future__ import annotations

from .figures import DARK_STATUSES, STATUS_COLOURS, STATUS_ORDER, STATUS_SYMBOLS, _figure, _layout, clean

VALUE_SCALE = "YlGnBu"  # light to dark; reversed where lower is better, so that the darker end is always the worse
# Gap: blue where the target is met (gap ≤ 0), vermilion where a gap remains: the registry's achieved and off-track.
GAP_SCALE = [[0, "#0072B2"], [0.5, "#F7F7F7"], [1, "#D55E00"]]
NO_VALUE = "#E4E4E4"  # the grey of Status.NO_DATA
BASE_FILL = "#F2F4F7"
HEIGHT = 640


def choropleth_map(
    *,
    geojson_url: str,
    topojson_url: str,
    regions: list[dict],
    mode: str,
    colour_title: str = "",
    reverse_scale: bool = False,
    status_labels: dict[str, str] | None = None,
    points: list[dict] | None = None,
    base: list[dict] | None = None,
    selected: str = "",
) -> dict:
    """Regions coloured by value ("value"), by status ("status") or by gap to the target ("gap"); the points coloured
    on the same scale; `base` (the cities under county-level regions) drawn light grey beneath them."""
    points = points or []
    scale = _Scale(mode, regions + points, reverse_scale, status_labels or {}, colour_title)
    data = []
    if base:
        data.append(_base_trace(geojson_url, base))
    coloured = [r for r in regions if scale.z(r) is not None]
    blank = [r for r in regions if scale.z(r) is None]
    if blank:
        data.append(_shapes(geojson_url, blank, selected, z=[0] * len(blank), colorscale=_flat(NO_VALUE)))
    if coloured:
        data.append(
            _shapes(geojson_url, coloured, selected, z=[scale.z(r) for r in coloured], **scale.trace_colours(True))
        )
    if points:
        data += _points(points, scale)
    data.append(_labels(regions, scale))
    layout = _layout(
        height=HEIGHT,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        dragmode=False,
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
    )
    return _figure(data, layout, topojsonURL=topojson_url, scrollZoom=False)


class _Scale:
    """How a region's value or status becomes a number on one colour scale, shared by the shapes and the points."""

    def __init__(self, mode: str, regions: list[dict], reverse_scale: bool, labels: dict[str, str], title: str):
        self.mode, self.reverse, self.labels, self.title = mode, reverse_scale, labels, title
        numbers = [float(v) for v in (self.z(r) for r in regions) if v is not None]
        self.low, self.high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
        if mode == "gap":  # symmetric about zero, so that "met" and "still to go" read as two sides
            reach = max(abs(self.low), abs(self.high)) or 1.0
            self.low, self.high = -reach, reach
        elif mode == "status":
            self.low, self.high = -0.5, len(STATUS_ORDER) - 0.5
        elif self.low == self.high:
            self.low, self.high = self.low - 1, self.high + 1

    def z(self, region: dict):
        if self.mode == "status":
            status = region.get("status")
            return None if status is None else STATUS_ORDER.index(status)
        return clean(region.get("value"))

    def trace_colours(self, show_scale: bool) -> dict:
        """zmin/zmax, the colour scale and its bar (named statuses with their symbols in status mode)."""
        colours = {"zmin": self.low, "zmax": self.high, "showscale": show_scale}
        bar = {"thickness": 12, "len": 0.6, "x": 0.98, "y": 0.5, "title": {"text": self.title}}
        if self.mode == "status":
            n = len(STATUS_ORDER)
            scale = []
            for i, status in enumerate(STATUS_ORDER):
                scale += [[i / n, STATUS_COLOURS[status]], [(i + 1) / n, STATUS_COLOURS[status]]]
            bar.update(
                tickvals=list(range(n)),
                ticktext=[f"{STATUS_SYMBOLS[s]} {self.labels.get(s, s)}" for s in STATUS_ORDER],
                title={"text": ""},
                len=0.9,
            )
            return {**colours, "colorscale": scale, "colorbar": bar}
        if self.mode == "gap":
            return {**colours, "colorscale": GAP_SCALE, "colorbar": bar}
        return {**colours, "colorscale": VALUE_SCALE, "reversescale": self.reverse, "colorbar": bar}

    def dark(self, region: dict) -> bool:
        """Whether the region's fill is dark enough to take white text."""
        if self.mode == "status":
            return region.get("status") in DARK_STATUSES
        z = self.z(region)
        if z is None:
            return False
        p = (z - self.low) / (self.high - self.low)
        if self.mode == "gap":
            return abs(p - 0.5) > 0.38
        return (p if self.reverse else 1 - p) > 0.6  # YlGnBu runs dark to light in Plotly


def _flat(colour: str) -> list:
    return [[0, colour], [1, colour]]


def _shapes(geojson_url: str, regions: list[dict], selected: str, **colours) -> dict:
    """One choropleth trace: the regions' shapes, outlined white (the selected one black and thicker)."""
    chosen = [r["code"] == selected for r in regions]
    return {
        "type": "choropleth",
        "geojson": geojson_url,
        "featureidkey": "properties.code",
        "locations": [r["code"] for r in regions],
        "hovertext": [r["hover"] for r in regions],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [r["link"] for r in regions],
        "marker": {
            "line": {"color": ["#111111" if c else "#ffffff" for c in chosen], "width": [3 if c else 1 for c in chosen]}
        },
        "showscale": False,
        "showlegend": False,
        **colours,
    }


def _base_trace(geojson_url: str, base: list[dict]) -> dict:
    """The cities beneath county-level regions: light grey, named on hover, a click leads to the city."""
    trace = _shapes(geojson_url, base, "", z=[0] * len(base), colorscale=_flat(BASE_FILL))
    trace["marker"] = {"line": {"color": "#8C959F", "width": 1}}
    return trace


def _points(points: list[dict], scale: _Scale) -> list[dict]:
    """Areas without a boundary, as diamonds coloured on the regions' scale, set off from the shape beneath by a
    black-edged white halo (a point the colour of its surroundings would otherwise vanish), named beside them."""
    z = [scale.z(p) for p in points]
    marker = {"symbol": "diamond", "size": 15, "line": {"color": "#ffffff", "width": 2}}
    if all(v is None for v in z):
        marker["color"] = NO_VALUE
    else:
        colours = scale.trace_colours(False)
        marker.update(
            color=[v if v is not None else scale.low for v in z],
            cmin=colours["zmin"],
            cmax=colours["zmax"],
            colorscale=colours["colorscale"],
            reversescale=colours.get("reversescale", False),
            showscale=False,
        )
    where = {"type": "scattergeo", "lon": [p["lon"] for p in points], "lat": [p["lat"] for p in points]}
    halo = {
        **where,
        "mode": "markers",
        "marker": {"symbol": "diamond", "size": 23, "color": "#ffffff", "line": {"color": "#111111", "width": 1.5}},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    point = {
        **where,
        "mode": "markers+text",
        "text": [p["label"] for p in points],
        "textposition": "bottom center",
        "textfont": {"size": 12, "color": "#111111", "shadow": "auto"},
        "marker": marker,
        "hovertext": [p["hover"] for p in points],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [p["link"] for p in points],
        "showlegend": False,
    }
    return [halo, point]


def _labels(regions: list[dict], scale: _Scale) -> dict:
    """The regions' names (and value, gap or status symbol) written inside them; they take no hover, so the shape
    under them answers it."""
    dark = [scale.dark(r) for r in regions]
    return {
        "type": "scattergeo",
        "mode": "text",
        "lon": [r["lon"] for r in regions],
        "lat": [r["lat"] for r in regions],
        "text": [r["label"] for r in regions],
        "textfont": {
            "size": 11,
            "color": ["#ffffff" if d else "#111111" for d in dark],
            "shadow": "auto",
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }
