"""A new city officer's first hour in a real headless Chromium: the warning on a template for a quarter not yet over,
a dry run's list of changes (old → new, the upload replaced), and a note beside its value on the city page.
With TEST_SCREENSHOTS=1, screenshots go to tests/screenshots/."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile

from tests.dashboards.conftest import fresh_cache  # noqa: F401 (autouse: page caches start empty)
from tests.dashboards.test_browser import Watched, chromium, screenshot  # noqa: F401 (the fixture)
from tests.uploads.conftest import row_of
from uploads.models import Upload
from uploads.services import receive_upload
from uploads.workbooks import VALUE_COLUMN

pytestmark = pytest.mark.browser
NOTE = "受沙尘天气影响，PM2.5浓度偏高，已启动应急管控"
Q = dict(year=2024, quarter=2)


def shot(browser: Watched, name: str) -> None:
    screenshot(browser.page, f"uploads-{name}")


def test_first_hour_in_a_browser(
    live_server,
    transactional_db,
    make_user,
    shenyang,
    filled_template,
    chromium,  # noqa: F811 (the fixture imported above)
    monkeypatch,
):
    monkeypatch.setattr("indicators.periods.today", lambda: datetime.date(2024, 8, 1))  # Q2 over, Q3 not
    officer = make_user("first-hour", "city", shenyang)

    def note(sheet):
        sheet.cell(row=row_of(sheet, "pm25"), column=VALUE_COLUMN + 1, value=NOTE)

    def send(data, dry_run):
        upload = receive_upload(
            file=ContentFile(data, name="沈阳.xlsx"), user=officer, area=shenyang, dry_run=dry_run, **Q
        )
        upload.refresh_from_db()
        return upload

    first = send(filled_template(shenyang, **Q, values={"pm25": 41.5}, edit=note), dry_run=False)
    assert first.status == Upload.Status.ACCEPTED
    preview = send(filled_template(shenyang, **Q, values={"pm25": 40, "kilns_treated": 812}), dry_run=True)
    assert preview.status == Upload.Status.PREVIEWED

    browser = Watched(chromium, live_server.url)
    browser.login("first-hour", "pw-for-tests-1")

    browser.open_text("/uploads/template/?area=210100&year=2024&quarter=3")
    assert "2024年第3季度尚未结束" in browser.page.inner_text("#not-over-warning")
    shot(browser, "template-not-over")

    browser.open_text(f"/uploads/{preview.pk}/")
    changes = browser.page.inner_text("#changes")
    assert "41.5" in changes and "→ 40" in changes and f"第 {first.pk} 号上传" in changes
    shot(browser, "dry-run-changes")

    browser.open_text(f"/uploads/{first.pk}/")
    assert NOTE in browser.page.inner_text("table.values")
    shot(browser, "upload-note")

    browser.open("/dashboard/city/210100/?quarter=2024Q2")
    bars = json.loads(browser.page.inner_text("#chart-progress-data"))["data"]
    assert any(NOTE in tip for trace in bars for tip in trace.get("hovertext", []) or [])
    browser.page.click("#progress summary")
    assert NOTE in browser.page.inner_text("#progress table")
    shot(browser, "city-note")
    assert browser.problems == []
    browser.close()
