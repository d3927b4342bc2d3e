import csv
import io
import json
import re

import pytest
from django.urls import reverse

from dashboards.figures import STATUS_SYMBOLS

FIGURE = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)

# The most SQL queries each page may make with an empty cache, whatever the number of cities, targets or quarters
# (two are the session and the user; the overview and the city page read two more, live, for uploads; one reads the
# years of the yearly duties; one the approved quarters, for the ※ beside figures not yet approved;
# the city page one more for the cities' notes beside its values; one finds the latest quarter a value comes from,
# which pages open on).
MAX_QUERIES = {
    "overview": 19,
    "city": 20,
    "league": 15,
    "league_target": 15,
    "departments": 15,
    "department": 15,
    "target": 14,
    "target_yearly": 15,
    "map": 16,
    "map_gap": 16,
    "map_county": 16,
    "indicator_index": 11,
    "indicator": 16,
    "indicator_city": 16,
    "plan": 15,
    "plan_narrowed": 15,
}
PAGES = {
    "overview": (reverse("dash_overview"), {}),
    "city": (reverse("dash_city", args=["210100"]), {}),
    "league": (reverse("dash_league"), {}),
    "league_target": (reverse("dash_league"), {"target": "1-02"}),
    "departments": (reverse("dash_departments"), {}),
    "department": (reverse("dash_department", args=["eco"]), {}),
    "target": (reverse("dash_target", args=["1-02"]), {}),
    "target_yearly": (reverse("dash_target", args=["2.5.6-08"]), {}),
    "map": (reverse("dash_map"), {}),
    "map_gap": (reverse("dash_map"), {"colour": "gap", "target": "1-02"}),
    "map_county": (reverse("dash_map"), {"indicator": "sewage_pipe_built_km", "level": "county", "colour": "status"}),
    "indicator_index": (reverse("indicator_index"), {}),
    "indicator": (reverse("indicator_detail", args=["pm25"]), {}),
    "indicator_city": (reverse("indicator_detail", args=["pm25"]), {"city": "210200"}),
    "plan": (reverse("home"), {}),
    "plan_narrowed": (reverse("home"), {"area": "210200", "department": "eco", "target_year": "2025"}),
}
TEXT_PAGES = {"indicator_index", "plan", "plan_narrowed"}  # tables and text, no chart


def figures_of(html: str) -> dict:
    """Every figure spec on a page, parsed as strict JSON (a NaN would fail here, as it would in the browser)."""

    def refuse(constant):
        raise AssertionError(f"{constant} in a figure: not JSON")

    return {name: json.loads(body, parse_constant=refuse) for name, body in FIGURE.findall(html)}


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


@pytest.mark.parametrize("name", [name for name in PAGES if name not in TEXT_PAGES])
def test_every_page_renders_its_charts_from_the_progress_table(province_client, synthetic_progress, name):
    synthetic_progress(cities=15)
    url, params = PAGES[name]
    response = province_client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    specs = figures_of(html)
    assert specs, "no figure on the page"
    for spec in specs.values():
        assert {"data", "layout", "config"} <= set(spec)
    assert "/static/vendor/plotly.min.js" in html
    assert not re.search(r'<script[^>]+src="https?://', html), "scripts must be served by the application"
    assert "下载 CSV" in html and "表格视图" in html


@pytest.mark.parametrize("cities", [2, 15])
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_makes_a_bounded_number_of_queries(
    province_client, synthetic_progress, synthetic_values, django_assert_max_num_queries, name, cities
):
    """The same bound holds with 2 and with 15 cities of data (their counties' progress and their uploads included;
    and the second request reads the cache)."""
    quarters = [(2024, q) for q in (1, 2, 3, 4)] + [(2025, 1), (2025, 2)]
    synthetic_progress(cities=cities, quarters=quarters, counties=True)
    synthetic_values(cities=cities, quarters=quarters)
    url, params = PAGES[name]
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        assert province_client.get(url, params).status_code == 200
    with django_assert_max_num_queries(4):
        assert province_client.get(url, params).status_code == 200


def test_the_quarter_defaults_to_the_latest_with_data_and_every_other_is_one_click_away(
    province_client, synthetic_progress
):
    synthetic_progress(quarters=[(2024, 4), (2025, 1), (2025, 2)])
    html = province_client.get(reverse("dash_overview")).content.decode()
    assert "2025年第2季度" in html
    assert 'value="2024Q4"' in html and 'rel="prev"' in html
    earlier = province_client.get(reverse("dash_overview"), {"quarter": "2025Q1"}).content.decode()
    assert '<option value="2025Q1" selected>' in earlier
    assert 'rel="next"' in earlier
    nonsense = province_client.get(reverse("dash_overview"), {"quarter": "2031Q9", "section": "9.9"})
    assert nonsense.status_code == 200
    assert '<option value="2025Q2" selected>' in nonsense.content.decode()


def test_filters_live_in_the_url_and_narrow_the_heat_map(province_client, synthetic_progress):
    from targets.models import Target

    synthetic_progress()
    everything = figures_of(province_client.get(reverse("dash_overview")).content.decode())
    blue_sky = figures_of(province_client.get(reverse("dash_overview"), {"section": "2.2"}).content.decode())
    all_codes = everything["chart-heatmap-data"]["data"][0]["x"]
    codes = blue_sky["chart-heatmap-data"]["data"][0]["x"]
    assert 0 < len(codes) < len(all_codes)
    assert set(codes) <= set(Target.objects.filter(section__code__startswith="2.2.").values_list("code", flat=True))
    # The heat map's cells lead to the city page for that target, keeping the filters.
    links = blue_sky["chart-heatmap-data"]["data"][0]["customdata"]
    city_link = next(link for link in links[1] if link)
    assert city_link.startswith(reverse("dash_city", args=["210100"]))
    assert "section=2.2" in city_link and "target=" in city_link
    province_link = next(link for link in links[0] if link)
    assert province_link.startswith("/dashboard/targets/")


def test_a_heat_map_cell_opens_the_city_page_for_that_target(province_client, synthetic_progress):
    synthetic_progress()
    html = province_client.get(reverse("dash_city", args=["210200"]), {"target": "1-02"}).content.decode()
    specs = figures_of(html)
    assert "chart-series-data" in specs and "chart-yoy-data" in specs  # PM2.5 is seasonal: 同比 shown
    assert "1-02 地级及以上城市PM2.5平均浓度：走势" in html
    names = [trace["name"] for trace in specs["chart-series-data"]["data"]]
    assert names[0] == "实际值（评估值）" and "序时进度值" in names and "目标值" in names
    assert "趋势预测（目标年末）" in names


def test_csv_download_is_exactly_the_table_view_in_utf8_with_bom(province_client, synthetic_progress):
    synthetic_progress()
    html = province_client.get(reverse("dash_league")).content.decode()
    table = re.search(r'<section class="dash-chart[^"]*" id="league">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    shown_rows = table.count("<tr>")
    response = province_client.get(reverse("dash_league"), {"export": "league"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["名次", "城市", "得分"]
    assert len(rows) - 1 == shown_rows == 15
    assert rows[1][1] in html
    assert province_client.get(reverse("dash_league"), {"export": "nothing"}).status_code == 404


def test_the_completeness_chart_exports_too(province_client, demo_progress):
    response = province_client.get(reverse("dash_overview"), {"export": "completeness"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    statuses = {row[0]: row[1] for row in rows[1:]}
    assert statuses["沈阳市"] == "按时"
    assert statuses["锦州市"] == "逾期提交"
    assert statuses["阜新市"] == "未提交"


def test_a_status_shows_its_inputs_and_the_override_beside_the_computed_one(province_client, demo_progress):
    html = province_client.get(reverse("dash_city", args=["210100"]), {"target": "1-02"}).content.decode()
    assert "人工认定：按序时推进" in html
    assert "认定理由：监测站点搬迁，经核定按序时推进。" in html
    assert "计算状态：" in html
    for label in ("实际值：", "基准值：", "目标值：", "时间进度：", "序时进度值：", "完成进度："):
        assert label in html
    # On the overview the heat-map cell of 沈阳 × 1-02 carries the same, marked * as an override.
    overview = figures_of(province_client.get(reverse("dash_overview")).content.decode())
    heatmap = overview["chart-heatmap-data"]["data"][0]
    column = heatmap["x"].index("1-02")
    row = heatmap["y"].index("沈阳市")
    assert "人工认定：按序时推进" in heatmap["hovertext"][row][column]
    assert heatmap["text"][row][column] == STATUS_SYMBOLS["on_track"]


def test_real_progress_shows_on_every_page(province_client, demo_progress):
    """On the real engine's output: the target page quotes the plan's sentence; the city page warns of what it
    carries forward; the map draws the 14 cities and marks 沈抚示范区 as a point."""
    target = province_client.get(reverse("dash_target", args=["1-02"])).content.decode()
    assert "<mark>地级及以上城市细颗粒物（PM2.5）平均浓度下降到34微克/立方米</mark>" in target
    assert "省生态环境厅" in target
    specs = figures_of(target)
    assert {"chart-province-series-data", "chart-gaps-data", "chart-trends-data"} <= set(specs)
    assert len(specs["chart-trends-data"]["data"]) == 16  # 15 reporting areas and the province's target line
    city = province_client.get(reverse("dash_city", args=["210100"])).content.decode()
    assert "最近上传与数据质量" in city and "较上季度变化较大，请核实。" in city
    the_map = province_client.get(reverse("dash_map"), {"indicator": "pm25", "colour": "status"}).content.decode()
    assert "沈抚示范区没有独立的行政边界" in the_map
    traces = figures_of(the_map)["chart-map-data"]["data"]
    assert sum(len(t["locations"]) for t in traces if t["type"] == "choropleth") == 14
    assert any(
        t["type"] == "scattergeo" and t.get("customdata") == ["/dashboard/city/219900/?target=1-02"] for t in traces
    )
    department = province_client.get(reverse("dash_department", args=["eco"])).content.decode()
    assert "在本部门目标上最落后的城市" in department


def test_a_recompute_invalidates_the_cached_figures(province_client, synthetic_progress):
    from progress.models import Progress
    from progress.services import bump_version

    synthetic_progress(quarters=[(2025, 2)])
    url = reverse("dash_league")
    before = province_client.get(url, {"export": "league"}).content
    Progress.objects.filter(area__code="211400").update(status="achieved", schedule_ratio=1.0)
    assert province_client.get(url, {"export": "league"}).content == before  # cached: nothing recomputed yet
    bump_version()  # what every recompute does on commit
    after = province_client.get(url, {"export": "league"}).content.decode("utf-8-sig")
    assert after.splitlines()[1].split(",")[1] == "葫芦岛市"  # all achieved: first


def test_a_city_officer_sees_only_their_own_city(client, city_officer, dalian, synthetic_progress):
    synthetic_progress(cities=3)
    client.force_login(city_officer)
    own = reverse("dash_city", args=["210100"])
    page = client.get(own)
    assert page.status_code == 200
    assert "在城市排名中查看" not in page.content.decode()  # no link to pages that would send them back
    assert client.get(reverse("dash_city", args=["210200"])).status_code == 403
    for name in ("dash_overview", "dash_league", "dash_departments", "dash_map", "dash_city_index"):
        response = client.get(reverse(name), {"quarter": "2025Q1"})
        assert response.status_code == 302 and response.url.startswith(own), name
        assert "quarter=2025Q1" in response.url
    response = client.get(reverse("dash_target", args=["1-02"]))
    assert response.url == own + "?target=1-02"
    assert client.get(own, {"export": "progress"}).status_code == 200


def test_the_pages_need_an_account(client, synthetic_progress):
    synthetic_progress(cities=2)
    response = client.get(reverse("dash_overview"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_cities_departments_and_targets_are_not_found(province_client, synthetic_progress):
    synthetic_progress(cities=2)
    assert province_client.get(reverse("dash_city", args=["999999"])).status_code == 404
    assert province_client.get(reverse("dash_city", args=["210000"])).status_code == 404  # the province is no city
    assert province_client.get(reverse("dash_department", args=["nobody"])).status_code == 404
    assert province_client.get(reverse("dash_target", args=["9-99"])).status_code == 404


def test_without_progress_the_pages_say_so(province_client, plan):
    response = province_client.get(reverse("dash_overview"))
    assert response.status_code == 200
    assert "尚无进度数据" in response.content.decode()


def test_english_pages_use_english_area_and_department_names(province_client, synthetic_progress):
    synthetic_progress(cities=3)
    province_client.cookies["django_language"] = "en"
    html = province_client.get(reverse("dash_league")).content.decode()
    assert "Shenyang" in html and '<html lang="en">' in html
    departments = province_client.get(reverse("dash_departments")).content.decode()
    assert "Department of Ecology and Environment" in departments


def test_the_methodology_page_explains_in_plain_words_with_a_worked_example(province_client, plan):
    from progress.choices import Status

    html = province_client.get(reverse("dash_help")).content.decode()
    assert "方法说明" in html and "序时进度值 = 基准值 + 时间进度" in html
    assert "44 + 0.6 ×（34 − 44）= 38" in html and 'id="chart-example"' in html
    assert "每年都要完成的任务" in html and "2022 ✓ · 2023 ✗" in html  # yearly duties, judged year by year
    for status in Status:
        assert f"st-{status.value}" in html and str(status.label) in html
    for code_word in ("schedule_ratio", "engine.py", "test_", "docs/progress.md", "pytest"):
        assert code_word not in html  # written for provincial staff, not developers
    export = province_client.get(reverse("dash_help"), {"export": "example"})
    assert export.content.decode("utf-8-sig").splitlines()[1] == "基准值（2020年）,44"


def test_the_methodology_page_in_english_has_no_chinese_outside_quotations(province_client, plan):
    import re

    province_client.cookies["django_language"] = "en"
    html = province_client.get(reverse("dash_help")).content.decode()
    main = re.search(r'<div class="dash methodology">(.*?)</div>\s*</main>', html, re.S).group(1)
    main = re.sub(r'<span lang="zh">.*?</span>', "", main)
    assert "Methodology" in main and "schedule ratio" in main
    assert re.findall(r"[\u4e00-\u9fff]+", main) == []


def test_a_target_name_that_looks_like_a_formula_is_text_in_the_csv(province_client, synthetic_progress):
    from targets.models import Target

    synthetic_progress()
    hostile = '=HYPERLINK("http://evil.example","点此查看")'
    Target.objects.filter(code="1-02").update(name=hostile)
    response = province_client.get(reverse("dash_city", args=["210100"]), {"export": "progress"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [cell for row in rows[1:] for cell in row]
    assert "'" + hostile in names
    assert hostile not in names
