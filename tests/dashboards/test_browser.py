"""The dashboards in a real headless Chromium (Debian's, driven by Playwright): log in, open every page, change a
filter, click a heat-map cell to drill down; every Plotly chart must render, with no console error and no failed
request. With TEST_SCREENSHOTS=1 (`make screenshots`) a full-page screenshot of every page goes to
tests/screenshots/."""

import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.dashboards.conftest import store_demo_progress

pytestmark = pytest.mark.browser
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
# Screenshots are for people reviewing the pages, not checks: they cost a third of a browser walk, so they are taken
# only when asked for.
TAKE_SCREENSHOTS = os.environ.get("TEST_SCREENSHOTS", "") not in ("", "0")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RENDERED = """() => [...document.querySelectorAll('.plot[data-figure]')].every(e => e.dataset.rendered === 'true')"""


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """tests/screenshots/<name>.png, when TEST_SCREENSHOTS is set."""
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


class Watched:
    """A page whose console errors, uncaught exceptions and failed requests are collected."""

    def __init__(self, browser, base_url: str, width: int = 1440):
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.page.on("request", self.stay_home)

    def stay_home(self, request) -> None:
        """No request may leave the site (the intranet has no internet): only the live server and inline data."""
        if not request.url.startswith((self.base_url + "/", "data:", "blob:")):
            self.problems.append(f"elsewhere: {request.url}")

    def login(self, username: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check_charts()

    def open_text(self, path: str) -> None:
        """A page without charts."""
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")

    def check_charts(self) -> int:
        """Wait until every figure on the page is drawn; each must be a Plotly plot holding an SVG."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_function(RENDERED, timeout=20_000)
        expected = self.page.locator(".plot[data-figure]").count()
        plots = self.page.locator(".js-plotly-plot")
        assert expected > 0 and plots.count() == expected
        for i in range(expected):
            assert plots.nth(i).locator("svg.main-svg").count() > 0
        return expected

    def shot(self, name: str) -> None:
        screenshot(self.page, f"dashboard-{name}")

    def close(self) -> None:
        self.context.close()


def test_every_dashboard_page_in_a_browser(live_server, transactional_db, make_user, uploader, chromium):
    store_demo_progress(uploader=uploader)
    make_user("dash-province", "province")
    browser = Watched(chromium, live_server.url)
    browser.login("dash-province", "pw-for-tests-1")

    # The overview: cards, status per section, heat map, completeness.
    browser.open("/dashboard/")
    assert "2025年第4季度" in browser.page.inner_text("h1")
    assert browser.page.locator(".kpi").count() == 7
    browser.shot("overview")

    # Change a filter: the quarter goes into the URL, and the page shows it.
    with browser.page.expect_navigation():
        browser.page.select_option("form.dash-filters select[name=quarter]", "2024Q4")
    assert parse_qs(urlparse(browser.page.url).query) == {"quarter": ["2024Q4"]}  # empty filters left out
    browser.check_charts()
    assert "2024年第4季度" in browser.page.inner_text("h1")
    with browser.page.expect_navigation():
        browser.page.select_option("form.dash-filters select[name=section]", "2.2")
    assert parse_qs(urlparse(browser.page.url).query) == {"quarter": ["2024Q4"], "section": ["2.2"]}
    browser.check_charts()
    browser.shot("overview-filtered")

    # Click a heat-map cell (大连 on its first target): the city page for that target opens.
    spec = json.loads(browser.page.inner_text("#chart-heatmap-data"))["data"][0]
    row = spec["y"].index("大连市")
    column = next(i for i, link in enumerate(spec["customdata"][row]) if link)
    area = browser.page.locator("#chart-heatmap .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    x = box["x"] + (column + 0.5) * box["width"] / len(spec["x"])
    y = box["y"] + (row + 0.5) * box["height"] / len(spec["y"])
    browser.page.mouse.move(x, y)
    browser.page.wait_for_timeout(300)
    with browser.page.expect_navigation():
        browser.page.mouse.click(x, y)
    landed = urlparse(browser.page.url)
    assert landed.path == "/dashboard/city/210200/"
    assert parse_qs(landed.query)["target"] == [spec["x"][column]]
    assert parse_qs(landed.query)["quarter"] == ["2024Q4"] and parse_qs(landed.query)["section"] == ["2.2"]
    browser.check_charts()
    assert browser.page.locator("#series").count() == 1
    assert spec["x"][column] in browser.page.inner_text("#series h2")
    browser.shot("city-drilldown")

    # The other pages, each with its charts; hovering a status shows its inputs.
    browser.open("/dashboard/city/210100/?target=1-02")
    title = browser.page.locator("#progress .status-cell .st").first.get_attribute("title")
    assert "实际值：" in title and "基准值：" in title and "序时进度值：" in title
    assert browser.check_charts() == 4  # progress bars, the yearly duties year by year, series, 同比
    browser.shot("city")
    for name, path in [
        ("league", "/dashboard/league/"),
        ("league-target", "/dashboard/league/?target=1-03"),
        ("departments", "/dashboard/departments/"),
        ("department", "/dashboard/departments/eco/"),
        ("target", "/dashboard/targets/1-02/"),
        ("target-yearly", "/dashboard/targets/2.5.6-08/"),
        ("map", "/dashboard/map/"),
        ("map-status", "/dashboard/map/?colour=status&indicator=pm25"),
    ]:
        browser.open(path)
        browser.shot(name)

    # A table view opens on request and a CSV download is the same rows.
    browser.open("/dashboard/league/")
    browser.page.click("#league summary")
    assert browser.page.locator("#league table.dash-table tbody tr").count() == 15
    with browser.page.expect_download() as download:
        browser.page.click("#league a.csv")
    assert download.value.suggested_filename == "league-league-2025Q4.csv"

    # The English switch.
    with browser.page.expect_navigation():
        browser.page.select_option("select[name=language]", "en")
    browser.check_charts()
    assert "Shenyang" in browser.page.content()
    browser.shot("league-english")
    assert browser.problems == []
    browser.close()


def test_a_city_officer_in_a_browser(live_server, transactional_db, make_user, uploader, shenyang, chromium):
    store_demo_progress(uploader=uploader, years=(2020, 2025))
    make_user("dash-officer", "city", shenyang)
    browser = Watched(chromium, live_server.url)
    browser.login("dash-officer", "pw-for-tests-1")
    browser.open("/dashboard/")  # redirected to their own city
    assert browser.page.url.startswith(f"{live_server.url}/dashboard/city/210100/")
    assert "本市进度" in browser.page.inner_text("nav.mainnav")
    assert "城市排名" not in browser.page.inner_text("nav.mainnav")
    browser.shot("city-officer")
    response = browser.page.goto(f"{live_server.url}/dashboard/city/210200/")
    assert response.status == 403
    assert "无权访问" in browser.page.inner_text("h1")
    assert "市级填报员只能查看和填报本市的数据" in browser.page.content()
    browser.shot("error-403")
    response = browser.page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404 and "页面不存在" in browser.page.inner_text("h1")
    assert "URLconf" not in browser.page.content()  # never Django's debug page with the list of every URL
    browser.shot("error-404")
    browser.problems = [p for p in browser.problems if not re.search(r"(HTTP 40[34]|status of 40[34])", p)]
    assert browser.problems == []
    browser.close()


def test_the_map_the_indicator_and_the_plan_in_a_browser(live_server, transactional_db, make_user, uploader, chromium):
    """The map is drawn on the 14 cities' shapes from the site's own files and a click on a city opens its page; the
    indicator page and the plan page show without an error or a request elsewhere. Screenshots at 1366 px."""
    store_demo_progress(uploader=uploader)
    make_user("map-province", "province")
    browser = Watched(chromium, live_server.url, width=1366)
    browser.login("map-province", "pw-for-tests-1")

    browser.open("/dashboard/map/?colour=status")
    assert browser.page.locator("#chart-map .choroplethlocation").count() == 14
    assert browser.page.locator("#chart-map .scattergeo .point").count() == 2  # 沈抚示范区: its halo and its diamond
    browser.shot("map-choropleth")
    label = browser.page.locator("#chart-map .scattergeo text", has_text="大连").first
    box = label.bounding_box()
    browser.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    browser.page.wait_for_timeout(300)
    assert "大连市" in browser.page.locator("#chart-map .hoverlayer").text_content()
    with browser.page.expect_navigation():
        browser.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert urlparse(browser.page.url).path == "/dashboard/city/210200/"
    assert parse_qs(urlparse(browser.page.url).query)["target"] == ["1-02"]
    browser.check_charts()

    browser.open("/dashboard/map/?indicator=sewage_pipe_built_km&level=county&colour=gap")
    counties = browser.page.locator("#chart-map .choroplethlocation").count() - 14  # the cities lie beneath
    assert counties > 0
    browser.shot("map-counties")

    browser.open("/indicators/pm25/")
    assert browser.page.locator("#uses a", has_text="1-02").count() == 1
    assert browser.page.locator("#values tbody tr").count() > 15
    browser.shot("indicator")
    with browser.page.expect_download() as download:
        browser.page.click("#values a.xlsx")
    assert download.value.suggested_filename == "indicator-pm25-values-2025Q4.xlsx"

    browser.open_text("/")
    marks = browser.page.locator(".plan-text a.commit")
    assert marks.count() > 100
    assert browser.page.locator(".plan-text [lang=zh]").count() > 100
    browser.shot("plan")
    first = browser.page.locator('.plan-text a.commit[href="/dashboard/targets/1-02/"]')
    with browser.page.expect_navigation():
        first.click()
    assert urlparse(browser.page.url).path == "/dashboard/targets/1-02/"
    browser.check_charts()
    assert browser.problems == []
    browser.close()
