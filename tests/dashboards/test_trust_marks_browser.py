"""The trust marks in a real headless Chromium: 沈阳's quarter approved, 大连's not; 大连's page shows its figure with ※
and the legend line, 沈阳's without; while a recompute is pending a page is headed 数据更新中. Screenshots go to
tests/screenshots/."""

import pandas as pd
import pytest

from tests.dashboards.test_browser import Watched, chromium  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.browser
PAGE = "/dashboard/city/{code}/?quarter=2024Q4&target=1-02"


@pytest.fixture
def two_cities_one_approved(transactional_db, make_user, uploader, shenyang, dalian):
    from progress.services import recompute_progress
    from tests.factories import store_frame
    from uploads.approval import approve_quarter, submit_quarter

    for area, base, now in ((shenyang, 50.0, 40.0), (dalian, 45.0, 30.0)):
        rows = [(area.code, "pm25", 2020, 4, base), (area.code, "pm25", 2024, 4, now)]
        frame = pd.DataFrame(rows, columns=["area_code", "indicator_code", "year", "quarter", "value"])
        store_frame(frame, area=area, uploaded_by=uploader, year=2024, quarter=4)
    recompute_progress(through=(2024, 4))
    province = make_user("marks-province", "province")
    submit_quarter(area=shenyang, year=2024, quarter=4, user=uploader)
    approve_quarter(area=shenyang, year=2024, quarter=4, user=province)


def test_unapproved_figures_and_pending_recomputes_in_a_browser(
    live_server,
    two_cities_one_approved,
    chromium,  # noqa: F811  (the fixture imported above)
):
    from progress import pending

    browser = Watched(chromium, live_server.url)
    browser.login("marks-province", "pw-for-tests-1")
    browser.open(PAGE.format(code="210200"))
    table = browser.page.locator("#progress table.dash-table")
    row = table.locator("tr", has_text="1-02").first
    assert "30※" in row.text_content()
    assert browser.page.locator("#progress .chart-legend").inner_text() == "※ 数据尚未经省级审核"
    browser.page.locator("#progress details.table-view summary").click()
    browser.shot("unapproved-marks")

    browser.open(PAGE.format(code="210100"))
    assert browser.page.locator("#progress .chart-legend").count() == 0
    assert browser.page.locator(".updating").count() == 0

    pending.mark_waiting()  # an accepted upload waits for its recompute
    browser.open(PAGE.format(code="210100"))
    assert "数据更新中" in browser.page.locator(".updating").inner_text()
    browser.shot("updating")
    assert browser.problems == []
    browser.close()
