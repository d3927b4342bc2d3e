"""The Content-Security-Policy in a real Chromium: every kind of page (the plan, uploads, dashboards with their
Plotly charts, the API's Swagger UI, the admin, the sign-in page) draws with nothing refused, while a script slipped
into a page is refused."""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase

pytestmark = pytest.mark.browser
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
# Every violation the page reports, whatever the browser writes to its console about it.
WATCH = """window.__refused = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__refused.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""
CSP_WORDS = ("Content Security Policy", "Refused to", "strict CSP")


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.context = browser.new_context(locale="zh-CN")
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda m: any(w in m.text for w in CSP_WORDS) and self.console.append(m.text))

    def open(self, path: str, drawn: str | None = None) -> list[str]:
        """Load the page, let its scripts run (until `drawn` shows), and return what was refused."""
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        if drawn:
            self.page.wait_for_selector(drawn, timeout=20_000)
        refused = self.page.evaluate("window.__refused") + self.console
        self.console = []
        return refused


@pytest.fixture
def site(live_server, transactional_db, admin_user, api_data, shenyang):
    from dashboards.cache import forget_memo
    from uploads.services import receive_upload

    api_data(cities=3)
    forget_memo()  # pages an earlier test drew in this process, before these rows, under the same cache version
    with TestCase.captureOnCommitCallbacks(execute=True):
        upload = receive_upload(
            file=ContentFile(b"indicator_code,value\npm25,38.5\n", name="sy.csv"),
            user=admin_user,
            area=shenyang,
            year=2024,
            quarter=2,
        )
    return live_server.url, upload


def test_every_kind_of_page_draws_with_nothing_refused(chromium, site):
    base_url, upload = site
    browser = Page(chromium, base_url)
    assert browser.open("/accounts/login/") == []
    browser.page.fill("#id_username", "admin")
    browser.page.fill("#id_password", "pw-for-tests-1")
    with browser.page.expect_navigation():
        browser.page.click("button[type=submit]")
    drawn = {"/api/docs/": ".swagger-ui .opblock"}  # dashboards: their Plotly charts
    refused = {}
    for path in [
        "/",
        "/uploads/",
        "/uploads/new/",
        "/uploads/template/",
        f"/uploads/{upload.pk}/",
        "/uploads/completeness/?year=2024",
        "/dashboard/?quarter=2025Q1",
        "/dashboard/city/210100/?quarter=2025Q1",
        "/dashboard/league/?quarter=2025Q1",
        "/dashboard/departments/?quarter=2025Q1",
        "/dashboard/map/?quarter=2025Q1",
        "/dashboard/help/progress/",
        "/api/docs/",
        "/admin/",
        "/admin/targets/target/",
        "/admin/targets/target/1/change/",
    ]:
        chart = ".js-plotly-plot .main-svg" if path.startswith("/dashboard/") and "help" not in path else None
        refused[path] = browser.open(path, drawn=drawn.get(path, chart))
    assert {path: r for path, r in refused.items() if r} == {}
    browser.open("/")
    with browser.page.expect_navigation():  # the language switch works without an inline handler
        browser.page.select_option("select[name=language]", "en")
    assert browser.page.evaluate("document.documentElement.lang") == "en"
    browser.context.close()


def test_a_script_slipped_into_a_page_is_refused(chromium, site):
    base_url, _ = site
    browser = Page(chromium, base_url)
    browser.open("/accounts/login/")
    browser.page.evaluate(
        """() => {
        document.body.insertAdjacentHTML("beforeend", '<img src="data:," onload="window.__ran = 1">');
        const script = document.createElement("script");
        script.textContent = "window.__ran = 2";
        document.body.appendChild(script);
    }"""
    )
    browser.page.wait_for_timeout(300)
    assert browser.page.evaluate("window.__ran") is None
    refused = browser.page.evaluate("window.__refused")
    assert len([r for r in refused if r.startswith("script-src")]) == 2
    browser.context.close()
