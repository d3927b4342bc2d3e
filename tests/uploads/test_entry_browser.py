"""Web data entry in a real headless Chromium: an officer opens the quarter from the uploads page, types a value the
as-you-type check flags, fixes it, sends it, confirms the preview and lands on the upload's page."""

import os

import pytest

from tests.dashboards.test_browser import Watched, chromium, screenshot  # noqa: F401 (the fixture)
from uploads.models import Observation, Upload

pytestmark = pytest.mark.browser
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

PM25 = "#value-210100-pm25"
CHECK = "#check-210100-pm25"


def test_an_officer_enters_a_value_in_the_browser(
    live_server,
    transactional_db,
    make_user,
    shenyang,
    filled_template,
    submit,
    chromium,  # noqa: F811
):
    officer = make_user("entry-officer", "city", shenyang)
    for quarter, pm25 in ((1, 41), (2, 38)):  # sent as files; the officer corrects Q2 on the web
        data = filled_template(shenyang, 2024, quarter, {"pm25": pm25})
        submit(data, f"q{quarter}.xlsx", user=officer, area=shenyang, year=2024, quarter=quarter)
    earlier = Upload.objects.get(original_name="q2.xlsx")
    browser = Watched(chromium, live_server.url)
    page = browser.page
    browser.login("entry-officer", "pw-for-tests-1")

    browser.open_text("/uploads/")
    with page.expect_navigation():
        page.click("#entry-start")
    page.select_option("#id_year", "2024")
    page.select_option("#id_quarter", "2")
    with page.expect_navigation():
        page.click("#open-entry")
    assert page.url.endswith("/uploads/entry/210100/2024/2/")
    row = page.locator("tr.entry-row", has=page.locator(PM25))
    assert row.locator("td.previous").inner_text() == "41"  # last quarter's value beside the field
    assert row.locator("td.target").inner_text().strip()  # and the target
    assert page.input_value(PM25) == "38"  # this quarter's value, ready to correct

    # The check as the officer types: out of range, then not a number, then a good value.
    page.fill(PM25, "")
    page.locator(PM25).press_sequentially("600")
    assert "超出有效范围 0—500" in page.inner_text(CHECK)
    assert page.get_attribute(PM25, "aria-invalid") == "true"
    assert "error" in page.get_attribute(CHECK, "class")
    page.fill(PM25, "")
    page.locator(PM25).press_sequentially("3６.5微克")
    assert "不是有效数字" in page.inner_text(CHECK)
    screenshot(page, "entry-form", full_page=False)
    page.fill(PM25, "")
    page.locator(PM25).press_sequentially("３６.5")  # full-width digits, as an input method may type them
    assert page.inner_text(CHECK).strip() == ""
    assert page.get_attribute(PM25, "aria-invalid") is None
    page.fill("#note-210100-pm25", "秋冬季管控提前启动")

    with page.expect_navigation():
        page.click("#entry-submit")
    page.wait_for_selector("#confirm-import", timeout=20_000)  # processed as a dry run: the preview
    upload = Upload.objects.get(source=Upload.Source.WEB)
    assert page.url.endswith(f"/uploads/{upload.pk}/")
    assert page.inner_text("#upload-source") == "网页填报"
    changes = page.inner_text("#changes")
    assert "38" in changes and "→ 36.5" in changes
    assert page.inner_text("#warning-count") == "0"
    screenshot(page, "entry-preview")
    with page.expect_navigation():
        page.click("#confirm-import")
    page.wait_for_function("document.getElementById('upload-status').textContent.trim() === '已接受'", timeout=20_000)
    assert page.url.endswith(f"/uploads/{upload.pk}/")
    value = Observation.objects.get(upload=upload, is_current=True)
    assert (value.value, value.note) == (36.5, "秋冬季管控提前启动")
    assert Observation.objects.get(upload=earlier, indicator__code="pm25").superseded_by_id == upload.pk
    assert browser.problems == []
    browser.close()
