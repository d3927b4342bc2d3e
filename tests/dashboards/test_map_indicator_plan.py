"""The map on Liaoning's real boundaries, the indicator pages and the plan as a living page: what they show, who sees
what, their downloads (formula-safe) and the links that lead to them. Query ceilings: test_pages.py."""

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.figures import STATUS_ORDER
from indicators.geo import BOUNDARIES_PATH, SHENFU_POINT, load_boundaries
from tests.dashboards.test_pages import figures_of

QUARTERS = [(2024, 4), (2025, 1), (2025, 2)]
# A tag after a marked commitment: <a class="st st-<status>" href="…" title="…"><symbol> <code></a>
TAG = re.compile(r'<a class="st st-(\w+)" href="([^"]*)" title="[^"]*">(\S+) ([\w.\-]+)</a>')
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


@pytest.fixture
def officer_client(client, city_officer):
    client.force_login(city_officer)
    return client


def city_codes() -> set[str]:
    return {f["properties"]["code"] for f in load_boundaries()["features"] if f["properties"]["level"] == "city"}


def map_traces(client, **params) -> list[dict]:
    return figures_of(client.get(reverse("dash_map"), params).content.decode())["chart-map-data"]["data"]


def shown_rows(target: str, area_codes=None, quarter=QUARTERS[-1]) -> dict:
    """{area code: the status shown} for a target in a quarter, read straight from the Progress table."""
    from progress.models import Progress, StatusOverride

    rows = Progress.objects.filter(target__code=target, year=quarter[0], quarter=quarter[1])
    if area_codes is not None:
        rows = rows.filter(area__code__in=area_codes)
    shown = dict(rows.values_list("area__code", "status"))
    overrides = StatusOverride.objects.filter(target__code=target, year=quarter[0], quarter=quarter[1])
    shown.update(dict(overrides.values_list("area__code", "status")))
    return shown


# The map ------------------------------------------------------------------------------------------------------------


def override(target: str, area: str, quarter=QUARTERS[-1]) -> str:
    """An administrator's override of a target's status in an area: a status other than the computed one."""
    from progress.models import Progress, StatusOverride
    from tests.factories import UserFactory

    row = Progress.objects.get(target__code=target, area__code=area, year=quarter[0], quarter=quarter[1])
    status = "regressing" if row.status != "regressing" else "on_track"
    StatusOverride.objects.create(
        target=row.target,
        area=row.area,
        year=quarter[0],
        quarter=quarter[1],
        status=status,
        reason="监测点位调整，按人工核定。",
        created_by=UserFactory(username="overrider", role="admin"),
    )
    return status


def test_the_map_draws_the_fourteen_cities_and_marks_shenfu_as_a_point(province_client, synthetic_progress):
    synthetic_progress(quarters=QUARTERS)
    override("1-02", "210300")  # the map shows the status as the pages do: the override where there is one
    response = province_client.get(reverse("dash_map"), {"colour": "status"})
    html = response.content.decode()
    assert "沈抚示范区没有独立的行政边界" in html and "菱形点位" in html
    spec = figures_of(html)["chart-map-data"]
    shapes = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert sorted(c for t in shapes for c in t["locations"]) == sorted(city_codes())
    links = {c: link for t in shapes for c, link in zip(t["locations"], t["customdata"], strict=True)}
    assert all(link.startswith(f"/dashboard/city/{code}/") for code, link in links.items())
    point = next(t for t in spec["data"] if t["type"] == "scattergeo" and "hovertext" in t)
    assert (point["lon"], point["lat"]) == ([SHENFU_POINT.lon], [SHENFU_POINT.lat])
    assert point["customdata"][0].startswith("/dashboard/city/219900/")
    # Coloured by the status each city shows for the target (1-02, PM2.5), on the registry's ordinal scale.
    statuses = shown_rows("1-02")
    coloured = next(t for t in shapes if "colorbar" in t)
    for code, z in zip(coloured["locations"], coloured["z"], strict=True):
        assert STATUS_ORDER[z] == statuses[code]
    assert point["marker"]["color"] == [STATUS_ORDER.index(statuses["219900"])]


def test_the_boundaries_and_the_empty_world_come_from_this_site(province_client, synthetic_progress):
    synthetic_progress(quarters=QUARTERS)
    spec = figures_of(province_client.get(reverse("dash_map")).content.decode())["chart-map-data"]
    url = next(t["geojson"] for t in spec["data"] if t["type"] == "choropleth")
    assert url == "/static/vendor/geo/liaoning.geojson"
    assert finders.find("vendor/geo/liaoning.geojson") == str(BOUNDARIES_PATH)
    assert spec["config"]["topojsonURL"] == "/static/vendor/topojson/"
    with open(finders.find("vendor/topojson/world_110m.json"), encoding="utf-8") as stub:
        world = json.load(stub)
    assert world == {"type": "Topology", "objects": {}, "arcs": []}
    assert len(json.dumps(spec, ensure_ascii=False).encode()) < 20_000  # the boundaries are not in the figure


def test_the_map_colours_by_gap_and_keeps_its_table(province_client, synthetic_progress):
    from progress.models import Progress

    synthetic_progress(quarters=QUARTERS)
    traces = map_traces(province_client, colour="gap", target="1-03")
    gaps = dict(Progress.objects.filter(target__code="1-03", year=2025, quarter=2).values_list("area__code", "gap"))
    coloured = next(t for t in traces if t["type"] == "choropleth" and "colorbar" in t)
    for code, z in zip(coloured["locations"], coloured["z"], strict=True):
        assert z == pytest.approx(gaps[code])
    assert coloured["zmin"] == -coloured["zmax"]
    export = province_client.get(reverse("dash_map"), {"colour": "gap", "target": "1-03", "export": "map"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "距目标差距" and len(rows) - 1 == 15


def test_a_target_with_county_values_maps_its_counties(province_client, synthetic_progress):
    from indicators.models import Area

    synthetic_progress(quarters=QUARTERS, counties=True)
    html = province_client.get(
        reverse("dash_map"), {"indicator": "sewage_pipe_built_km", "level": "county", "colour": "status"}
    ).content.decode()
    assert 'name="level"' in html and "县级地图只画出方案点名" in html
    traces = figures_of(html)["chart-map-data"]["data"]
    base, *shapes = [t for t in traces if t["type"] == "choropleth"]
    assert sorted(base["locations"]) == sorted(city_codes())  # the cities beneath, grey
    counties = {c for t in shapes for c in t["locations"]}
    statuses = shown_rows("ZL4-1-01")
    assert counties and counties == {c for c in statuses if Area.objects.get(code=c).level == "county"}
    # A county's click leads to its city's page for the target.
    link = next(t for t in shapes if "colorbar" in t)["customdata"][0]
    assert re.match(r"^/dashboard/city/21\d{4}/\?target=ZL4-1-01$", link)
    # PM2.5 is assessed for cities only: asking for counties still draws the cities, with no level to choose.
    pm25 = province_client.get(reverse("dash_map"), {"indicator": "pm25", "level": "county"}).content.decode()
    assert 'name="level"' not in pm25
    assert sum(len(t["locations"]) for t in figures_of(pm25)["chart-map-data"]["data"] if "locations" in t) == 14


# The indicator pages ------------------------------------------------------------------------------------------------


def test_an_indicator_page_defines_it_and_shows_every_value_with_its_upload(
    province_client, synthetic_progress, synthetic_values
):
    from indicators.periods import submission_deadline

    synthetic_progress(quarters=QUARTERS)
    uploads = synthetic_values(cities=3, quarters=QUARTERS)
    html = province_client.get(reverse("indicator_detail", args=["pm25"])).content.decode()
    for fact in (
        "微克/立方米",
        "水平值",
        "越低越好",
        "0 – 500 微克/立方米",
        "± 40 微克/立方米",
        "各市平均",
        "各市填报",
    ):
        assert fact in html, fact
    assert submission_deadline(2025, 2).isoformat() in html
    # The plan's targets on it, with their sentence, link and the province's status for the quarter.
    assert '<a href="/dashboard/targets/1-02/">1-02</a>' in html
    assert "<mark>地级及以上城市细颗粒物（PM2.5）平均浓度下降到34微克/立方米</mark>" in html
    assert f"st-{shown_rows('1-02', ['210000'])['210000']}" in html
    # Every area × quarter value with its upload, file, uploader; the chart has a line per city and the target.
    specs = figures_of(html)
    names = [t["name"] for t in specs["chart-chart-data"]["data"]]
    assert names[:3] == ["沈阳市", "大连市", "鞍山市"] and names[-1].startswith("目标 1-02")
    table = re.search(r'id="values">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert table.count("<tr>") == 3 * len(QUARTERS)
    for upload in uploads:
        assert f'href="/uploads/{upload.pk}/">#{upload.pk}</a>' in table
        assert upload.original_name in table
    assert "沈阳填报员" in table  # family name first, as Chinese names are written


def test_an_indicator_page_narrows_to_one_city_for_provincial_users(
    province_client, synthetic_progress, synthetic_values
):
    synthetic_progress(quarters=QUARTERS)
    synthetic_values(cities=3, quarters=QUARTERS)
    html = province_client.get(reverse("indicator_detail", args=["pm25"]), {"city": "210200"}).content.decode()
    table = re.search(r'id="values">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert "大连市" in table and "沈阳市" not in table and "鞍山市" not in table


def test_a_city_officer_sees_their_own_citys_values_and_statuses_only(
    officer_client, synthetic_progress, synthetic_values
):
    synthetic_progress(quarters=QUARTERS)
    synthetic_values(cities=3, quarters=QUARTERS)
    response = officer_client.get(reverse("indicator_detail", args=["pm25"]), {"city": "210200"})
    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r'id="values">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert table.count("<tr>") == len(QUARTERS) and "大连市" not in table and "沈阳市" in table
    assert 'name="city"' not in html and "各地区状态" not in html
    assert "状态（沈阳市）" in html and f"st-{shown_rows('1-02', ['210100'])['210100']}" in html
    assert figures_of(html)["chart-chart-data"]["data"][0]["name"] == "沈阳市"
    export = officer_client.get(reverse("indicator_detail", args=["pm25"]), {"export": "values"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {"沈阳市"}
    assert officer_client.get(reverse("indicator_index")).status_code == 200


def test_indicator_downloads_are_the_table_in_csv_and_xlsx_and_formula_safe(
    province_client, synthetic_progress, synthetic_values, make_user, shenyang
):
    import pandas as pd

    from tests.factories import store_frame

    synthetic_progress(quarters=QUARTERS)
    synthetic_values(cities=2, quarters=QUARTERS)
    hostile = pd.DataFrame(
        [("210100", "pm25", 2025, 2, -1.5 + 40, '=HYPERLINK("http://x","点我")')],
        columns=["area_code", "indicator_code", "year", "quarter", "value", "note"],
    )
    store_frame(hostile, area=shenyang, original_name="=cmd|' /C calc'!A0.xlsx", uploaded_by=make_user("x", "admin"))
    url = reverse("indicator_detail", args=["pm25"])
    html = province_client.get(url).content.decode()
    shown = re.search(r'id="values">.*?<tbody>(.*?)</tbody>', html, re.S).group(1).count("<tr>")

    response = province_client.get(url, {"export": "values"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "indicator-pm25-values-2025Q2.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["地区", "季度", "数值", "单位", "上传", "文件名", "上传人", "上传时间", "备注"]
    assert len(rows) - 1 == shown
    bad = next(row for row in rows if row[1] == "2025Q2" and row[0] == "沈阳市")
    assert bad[2] == "38.5" and bad[5] == "'=cmd|' /C calc'!A0.xlsx" and bad[8] == '\'=HYPERLINK("http://x","点我")'
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", bad[7])  # Beijing time

    response = province_client.get(url, {"export": "values", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == rows[0] and len(values) == len(rows)
    bad = next(row for row in values if row[1] == "2025Q2" and row[0] == "沈阳市")
    assert bad[2] == 38.5 and isinstance(bad[2], float)  # numbers stay numbers
    assert bad[5].startswith("'=") and bad[8].startswith("'=")


def test_the_indicator_index_lists_every_indicator(province_client, plan):
    from indicators.models import Indicator

    html = province_client.get(reverse("indicator_index")).content.decode()
    for code in Indicator.objects.values_list("code", flat=True):
        assert f'href="/indicators/{code}/"' in html
    assert province_client.get(reverse("indicator_detail", args=["no-such"])).status_code == 404


def test_pages_that_show_an_indicator_link_to_its_page(province_client, synthetic_progress):
    synthetic_progress(quarters=QUARTERS)
    link = 'href="/indicators/pm25/"'
    assert link in province_client.get(reverse("dash_target", args=["1-02"])).content.decode()
    city = province_client.get(reverse("dash_city", args=["210100"])).content.decode()
    progress_table = re.search(r'id="progress">.*?</table>', city, re.S).group(0)
    assert link in progress_table
    overview = province_client.get(reverse("dash_overview")).content.decode()
    assert link in re.search(r'id="cards">.*?</section>', overview, re.S).group(0)
    assert link in re.search(r'id="headline">.*?</table>', overview, re.S).group(0)
    assert link in province_client.get(reverse("dash_league"), {"target": "1-02"}).content.decode()
    assert link in province_client.get(reverse("dash_map")).content.decode()


# The plan as a living page ------------------------------------------------------------------------------------------


def tags(html: str) -> dict[str, tuple[str, str, str]]:
    """{target code: (status class, link, symbol)} of every tagged commitment on a plan page."""
    return {code: (status, unescape(href), symbol) for status, href, symbol, code in TAG.findall(html)}


def test_the_home_page_is_the_plans_text_with_every_commitment_marked_by_its_status(
    province_client, synthetic_progress
):
    from targets.models import Target
    from targets.plan_text import section_starts

    synthetic_progress(quarters=QUARTERS)
    override("1-03", "210000")
    html = province_client.get(reverse("home")).content.decode()
    assert "一、总体目标" in html and "（二）深入打好蓝天保卫战" in html and "三、保障措施" in html
    assert "北极星大气网讯" not in html  # the publisher's lead is not the plan
    for code in ("1", "2.2", "2.2.1", "3.5"):
        assert f'id="s{code}"' in html and f'href="#s{code}"' in html and code in section_starts()
    marked = tags(html)
    assert set(marked) == set(Target.objects.values_list("code", flat=True))  # all 151, none twice
    statuses = shown_rows("1-03", ["210000"])
    assert marked["1-03"] == (statuses["210000"], "/dashboard/targets/1-03/", _symbol(statuses["210000"]))
    # The quotation itself is marked in the worst status of the commitments it carries, and links to the first.
    assert re.search(
        r'<a class="commit st-\w+" href="/dashboard/targets/1-03/" title="[^"]*">空气质量优良天数比率', html
    )
    assert '<span lang="zh">' in html


def _symbol(status: str) -> str:
    from progress.choices import Status

    return Status(status).symbol


def test_the_plan_page_shows_the_chosen_area_and_quarter(province_client, synthetic_progress):
    synthetic_progress(quarters=QUARTERS)
    html = province_client.get(reverse("home"), {"area": "210200", "quarter": "2025Q1"}).content.decode()
    assert "大连市 · 2025年第1季度" in html
    marked = tags(html)
    dalian = shown_rows("1-03", ["210200"], (2025, 1))["210200"]
    assert marked["1-03"] == (dalian, "/dashboard/targets/1-03/?quarter=2025Q1&city=210200", _symbol(dalian))
    # A provincial total no city is assessed for (淘汰锅炉2000蒸吨) is marked as not assessed in Dalian.
    from progress.models import Progress

    province_only = (
        Progress.objects.filter(year=2025, quarter=1, area__code="210000")
        .exclude(target__in=Progress.objects.filter(area__code="210200").values("target"))
        .values_list("target__code", flat=True)
        .first()
    )
    assert marked[province_only][0] == "none"
    assert "本地区不评估" in html


def test_the_filters_narrow_the_text_to_what_they_keep(province_client, synthetic_progress):
    from targets.models import Target

    synthetic_progress(quarters=QUARTERS)
    forestry = set(
        Target.objects.filter(measure__responsibilities__department__code="forestry").values_list("code", flat=True)
    )
    html = province_client.get(reverse("home"), {"department": "forestry"}).content.decode()
    assert forestry and set(tags(html)) == forestry
    blue_sky = province_client.get(reverse("home"), {"section": "2.2"}).content.decode()
    assert set(tags(blue_sky)) == set(
        Target.objects.filter(section__code__startswith="2.2.").values_list("code", flat=True)
    )
    assert "二、重点任务" in blue_sky and "（三）深入打好碧水保卫战" not in blue_sky
    year = province_client.get(reverse("home"), {"target_year": "2022"}).content.decode()
    assert set(tags(year)) == set(Target.objects.filter(target_year=2022).values_list("code", flat=True))
    # The outline, the plan as a table, is the second tab and receives the same filters.
    assert f'href="{reverse("plan_outline")}?department=forestry"' in html
    assert province_client.get(reverse("plan_outline"), {"department": "forestry"}).status_code == 200


def test_a_city_officer_reads_the_plan_with_their_own_citys_statuses(officer_client, synthetic_progress):
    synthetic_progress(quarters=QUARTERS)
    html = officer_client.get(reverse("home"), {"area": "210200"}).content.decode()
    assert "沈阳市 · 2025年第2季度" in html and 'name="area"' not in html
    marked = tags(html)
    shenyang = shown_rows("1-03", ["210100"])["210100"]
    assert marked["1-03"] == (shenyang, "/dashboard/city/210100/?target=1-03#series", _symbol(shenyang))
    assert "/dashboard/targets/" not in html  # no page that would only send them back


def test_the_plan_page_without_progress_still_shows_the_plan(province_client, plan):
    html = province_client.get(reverse("home")).content.decode()
    assert "尚无进度数据" in html and "一、总体目标" in html
    assert {status for status, _link, _symbol in tags(html).values()} == {"none"}


def test_the_plan_page_exports_its_commitments(province_client, synthetic_progress):
    synthetic_progress(quarters=QUARTERS)
    response = province_client.get(reverse("home"), {"section": "1", "export": "commitments"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["编号", "目标", "章节", "状态"]
    assert [row[0] for row in rows[1:]] == ["1-01", "1-02", "1-03", "1-04", "1-05", "1-06", "1-07"]


class _Visible(HTMLParser):
    """The text of <main>, leaving out scripts, styles and every element marked lang="zh" (quotations of the plan)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: whether its text is left out
        self.in_main = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        self.in_main = self.in_main or tag == "main"
        skip = (self.stack and self.stack[-1]) or tag in ("script", "style") or attrs.get("lang") == "zh"
        self.stack.append(bool(skip))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_main and not (self.stack and self.stack[-1]):
            self.text.append(data)


def stray_han(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return [line.strip() for line in "".join(parser.text).splitlines() if HAN.search(line)]


@pytest.mark.parametrize("url", ["home", "indicator", "map"])
def test_english_pages_keep_chinese_to_the_plans_quotations(province_client, synthetic_progress, synthetic_values, url):
    """Outside the plan's quotations (lang="zh") an English page has no Chinese; on the indicator page the table of
    uploads is left out, since file names and people's names are what was typed."""
    synthetic_progress(quarters=QUARTERS)
    synthetic_values(cities=2, quarters=QUARTERS)
    province_client.cookies["django_language"] = "en"
    path = {
        "home": reverse("home"),
        "indicator": reverse("indicator_detail", args=["pm25"]),
        "map": reverse("dash_map"),
    }
    html = province_client.get(path[url]).content.decode()
    assert '<html lang="en">' in html
    if url == "indicator":
        html = html[: html.index('id="values"')]
    assert stray_han(html) == []
    if url == "home":
        assert "Winning the battle for blue skies" in html  # a section's English title beside the Chinese heading
