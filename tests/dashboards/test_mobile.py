"""The first hour in a real Chromium: the pages open on the plan period's last quarter with data and say when a later
quarter is the final assessment (1366 px), and every main page is usable on a phone (390 px): no sideways scrolling,
a menu button that opens the navigation, tables that scroll inside themselves. With TEST_SCREENSHOTS=1, screenshots
go to tests/screenshots/ (first-hour-*.png, mobile-*.png)."""

import pytest

from tests.dashboards.conftest import store_demo_progress
from tests.dashboards.test_browser import Watched, chromium, screenshot  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.browser

PHONE = 390
MAIN_PAGES = [
    ("overview", "/dashboard/", True),
    ("city", "/dashboard/city/210100/?target=1-02", True),
    ("target", "/dashboard/targets/1-02/", True),
    ("league", "/dashboard/league/", True),
    ("map", "/dashboard/map/", True),
    ("indicator", "/indicators/pm25/", True),
    ("plan", "/", False),
    ("uploads", "/uploads/", False),
    ("reports", "/reports/", False),
]
WIDTH = "() => [document.documentElement.scrollWidth, document.body.scrollWidth]"
# What sticks out past the screen's right edge (outside boxes that scroll by themselves), to say why a page is wide.
STICKING_OUT = """(limit) => [...document.querySelectorAll('body *')].filter(e => {
  for (let p = e.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
  }
  return e.getBoundingClientRect().right > limit + 1;
}).slice(0, 6).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
NAV_VISIBLE = """() => [...document.querySelectorAll('nav.mainnav a')].map(a => {
  const r = a.getBoundingClientRect(), s = getComputedStyle(a);
  return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth && s.visibility !== 'hidden'
    && s.color !== getComputedStyle(a.closest('nav')).backgroundColor;
})"""


def shot(browser: Watched, name: str) -> None:
    screenshot(browser.page, name)


def test_the_pages_open_in_the_plan_period_and_say_when_it_has_ended(
    live_server,
    transactional_db,
    make_user,
    uploader,
    chromium,  # noqa: F811
):
    # Values up to 2025, the grid on to 2026 Q3 (as a recompute late in 2026 leaves it).
    store_demo_progress(uploader=uploader, through=(2026, 3))
    make_user("first-hour", "province")
    browser = Watched(chromium, live_server.url, width=1366)
    browser.login("first-hour", "pw-for-tests-1")
    browser.open("/dashboard/")
    assert "2025年第4季度" in browser.page.inner_text("h1")
    assert browser.page.locator(".plan-ended").count() == 0
    assert browser.page.locator("select[name=quarter] option[value='2026Q3']").count() == 1
    with browser.page.expect_navigation():
        browser.page.select_option("form.dash-filters select[name=quarter]", "2026Q3")
    browser.check_charts()
    assert "2026年第3季度" in browser.page.inner_text("h1")
    banner = browser.page.inner_text(".plan-ended")
    assert "规划期已结束 · 终期评估" in banner and "2025年第4季度" in banner
    shot(browser, "first-hour-plan-ended")
    with browser.page.expect_navigation():
        browser.page.click(".plan-ended a")
    assert "2025年第4季度" in browser.page.inner_text("h1")
    assert browser.problems == []
    browser.close()


def test_every_main_page_is_usable_on_a_phone(live_server, transactional_db, make_user, uploader, chromium):  # noqa: F811
    store_demo_progress(uploader=uploader)
    make_user("phone-province", "province")
    browser = Watched(chromium, live_server.url, width=PHONE)
    browser.login("phone-province", "pw-for-tests-1")
    widths = {}
    for name, path, charts in MAIN_PAGES:
        browser.open(path) if charts else browser.open_text(path)
        widths[name] = max(browser.page.evaluate(WIDTH))
        assert widths[name] <= PHONE, (name, widths[name], browser.page.evaluate(STICKING_OUT, PHONE))
        assert not any(browser.page.evaluate(NAV_VISIBLE)), name  # the navigation folded away behind its button
        shot(browser, f"mobile-{name}")
    print("page widths at 390 px:", widths)

    # The title on one line or two, never a column of single characters.
    brand = browser.page.locator(".brand").bounding_box()
    assert brand["height"] < 60
    # The menu button opens the navigation: every link on screen and readable; again closes it.
    browser.open("/dashboard/league/")
    toggle = browser.page.locator("button.menu-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert all(browser.page.evaluate(NAV_VISIBLE))
    assert max(browser.page.evaluate(WIDTH)) <= PHONE
    shot(browser, "mobile-menu-open")
    with browser.page.expect_navigation():
        browser.page.click("nav.mainnav a[href='/dashboard/map/']")
    browser.check_charts()
    assert browser.page.locator("button.menu-toggle").get_attribute("aria-expanded") == "false"

    # A wide table scrolls inside its own box, not the page.
    browser.open("/dashboard/league/")
    browser.page.click("#league summary")
    box = browser.page.evaluate(
        "() => { const b = document.querySelector('#league .table-scroll'); return [b.scrollWidth, b.clientWidth]; }"
    )
    assert box[0] > box[1] and box[1] <= PHONE
    assert max(browser.page.evaluate(WIDTH)) <= PHONE
    assert browser.problems == []
    browser.close()
