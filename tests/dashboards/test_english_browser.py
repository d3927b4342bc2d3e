"""The whole site in English, in a real headless Chromium: switch the language with the site's own switcher, then walk
every page a provincial user, an auditor and a city officer can open, and find no Chinese character in what a reader
sees (text, titles, tooltips, placeholders, option texts, Plotly's SVG text and the hovers in each figure's spec)
outside elements marked lang="zh" (the plan's own sentences, names people typed). One walk per role, so the three run
side by side. With TEST_SCREENSHOTS=1, one screenshot per page goes to tests/screenshots/en-<page>.png."""

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase

from tests.dashboards.conftest import store_demo_progress
from tests.dashboards.test_browser import Watched, chromium, screenshot  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

HAN = re.compile(r"[\u4e00-\u9fff]")

# Every piece of text a reader can meet that lies outside an element marked lang="zh": text nodes (SVG text included),
# the page's title, and the attributes that show as tooltips, labels and placeholders.
CHINESE_OUTSIDE_ZH = r"""() => {
  const han = /[\u4e00-\u9fff]/;
  const found = [];
  const note = (where, text) => { if (han.test(text)) found.push(`${where}: ${text.trim().slice(0, 80)}`); };
  note("title", document.title);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, template, [lang="zh"]')) continue;
    note("text", node.textContent);
  }
  for (const el of document.body.querySelectorAll("[title], [aria-label], [placeholder], [alt], input[value]")) {
    if (el.closest('[lang="zh"]')) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      if (el.hasAttribute(name)) note(name, el.getAttribute(name));
    }
    if (el.matches("input[type=submit], input[type=button]")) note("value", el.value);
  }
  return found;
}"""


def figure_strings(page) -> list[str]:
    """Chinese strings inside the figures' specs: hover texts, legends and axis titles Plotly draws only on demand."""
    found = []
    for spec in page.locator("script[type='application/json'][id$='-data']").all_text_contents():
        stack = [json.loads(spec)]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and HAN.search(item):
                found.append(f"figure: {item[:80]}")
    return found


class EnglishWalk:
    def __init__(self, browser, base_url: str, who: str):
        self.browser = Watched(browser, base_url)
        self.who = who
        self.offences: dict[str, list[str]] = {}

    def sign_in_in_english(self, username: str) -> None:
        page = self.browser.page
        page.goto(f"{self.browser.base_url}/accounts/login/")
        # The same walk finds Chinese on the Chinese page: the check can fail.
        assert any("text:" in found for found in page.evaluate(CHINESE_OUTSIDE_ZH))
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")
        assert page.locator("html").get_attribute("lang") == "en"
        self.look("login")
        self.browser.login(username, "pw-for-tests-1")

    def visit(self, name: str, path: str, status: int = 200) -> None:
        response = self.browser.page.goto(self.browser.base_url + path)
        assert response.status == status, f"{self.who} {path}: HTTP {response.status}"
        self.browser.page.wait_for_load_state("load")
        if self.browser.page.locator(".plot[data-figure]").count():
            self.browser.check_charts()
        self.look(name)

    def look(self, name: str) -> None:
        page = self.browser.page
        found = page.evaluate(CHINESE_OUTSIDE_ZH) + figure_strings(page)
        if found:
            self.offences[f"{self.who} {name} ({page.url})"] = list(dict.fromkeys(found))
        screenshot(page, f"en-{name}")

    def problems(self) -> list[str]:
        """Console errors and failed requests, less the refusals the walk asks for on purpose."""
        return [p for p in self.browser.problems if not re.search(r"(HTTP (403|404)|status of (403|404))", p)]


def report(offences: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n    " + "\n    ".join(found[:8]) for page, found in offences.items())


@pytest.fixture
def english_site(transactional_db, make_user, uploader, shenyang):
    """Progress through the real recompute, and for 沈阳: an accepted and a rejected upload from its officer, a
    report and a quarter submitted for approval."""
    from reports.models import GeneratedReport
    from reports.scope import parse_scope
    from reports.services import request_report
    from uploads.approval import take_action
    from uploads.services import receive_upload

    store_demo_progress(uploader=uploader)
    officer = make_user("en-officer", "city", shenyang)
    make_user("en-province", "province")
    make_user("en-auditor", "auditor")
    with TestCase.captureOnCommitCallbacks(execute=True):
        good = receive_upload(
            file=ContentFile(b"indicator_code,value\npm25,38.5\n", name="sy.csv"),
            user=officer,
            area=shenyang,
            year=2024,
            quarter=2,
        )
        bad = receive_upload(
            file=ContentFile(b"indicator_code,value\npm25,abc\nno_such,1\n", name="sy-wrong.csv"),
            user=officer,
            area=shenyang,
            year=2024,
            quarter=3,
        )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "accepted" and bad.status == "rejected"
    scope = parse_scope(year=2024, quarter=2, area="210100", user=officer)
    made = request_report(scope=scope, fmt="csv", user=officer, door=GeneratedReport.Door.WEB, queue=False)
    take_action("submit", area=shenyang, year=2024, quarter=2, user=officer)
    return {"good": good.pk, "bad": bad.pk, "report": made.pk}


EVERYTHING = [
    ("plan", "/"),
    ("plan-outline", "/plan/outline/"),
    ("overview", "/dashboard/"),
    ("overview-filtered", "/dashboard/?quarter=2024Q4&section=2.2"),
    ("city", "/dashboard/city/210100/"),
    ("city-target", "/dashboard/city/210100/?target=1-02"),
    ("league", "/dashboard/league/"),
    ("league-target", "/dashboard/league/?target=1-03"),
    ("departments", "/dashboard/departments/"),
    ("department", "/dashboard/departments/eco/"),
    ("target", "/dashboard/targets/1-02/"),
    ("target-yearly", "/dashboard/targets/2.5.6-08/"),
    ("map", "/dashboard/map/"),
    ("map-status", "/dashboard/map/?colour=status&indicator=pm25"),
    ("map-counties", "/dashboard/map/?indicator=sewage_pipe_built_km&level=county&colour=gap"),
    ("methodology", "/dashboard/help/progress/"),
    ("indicators", "/indicators/"),
    ("indicator", "/indicators/pm25/"),
    ("uploads", "/uploads/"),
    ("upload-template", "/uploads/template/"),
    ("completeness", "/uploads/completeness/"),
    ("completeness-2024", "/uploads/completeness/?year=2024"),
    ("reports", "/reports/"),
    ("audit", "/audit/"),
]


# More states of the same pages, walked by provincial staff: a special column's project, a target per county,
# filters by department and special column, a city's yearly duty, an area's values of a county indicator.
PROVINCE_ALSO = [
    ("target-project", "/dashboard/targets/ZL1-2-01/"),
    ("target-areas", "/dashboard/targets/ZL4-1-01/"),
    ("overview-department", "/dashboard/?department=eco&special_column=1"),
    ("plan-outline-filtered", "/plan/outline/?department=eco&special_column=4"),
    ("plan-city", "/?area=210200"),
    ("city-yearly", "/dashboard/city/210100/?target=2.5.6-08"),
    ("league-yearly", "/dashboard/league/?target=2.5.6-08"),
    ("indicator-county", "/indicators/sewage_pipe_built_km/"),
    ("uploads-rejected", "/uploads/?status=rejected"),
    ("audit-filtered", "/audit/?area=210100"),
]

# The plan's own sentences stay Chinese on these pages, marked as such.
QUOTED = {"plan": ".plan-text [lang=zh]", "plan-outline": "td.source[lang=zh]", "target": "td.source[lang=zh]"}


def walk_in_english(chromium, base_url: str, who: str, username: str, pages, then=None) -> None:  # noqa: F811
    """Sign in as `username` through the English switcher, visit `pages` ((name, path) or (name, path, status)), run
    `then(walk)` for what a role does beyond reading, and find no Chinese outside lang="zh" and no browser problem."""
    walk = EnglishWalk(chromium, base_url, who)
    try:
        walk.sign_in_in_english(username)
        for name, path, *status in pages:
            walk.visit(name, path, *status)
            if name.removeprefix(f"{who}-") in QUOTED:
                assert walk.browser.page.locator(QUOTED[name.removeprefix(f"{who}-")]).count() > 0, name
        if then:
            then(walk)
    finally:
        walk.browser.close()
    assert not walk.offences, 'Chinese outside lang="zh" in English:\n' + report(walk.offences)
    assert walk.problems() == []


def after_reading(site: dict, prefix: str = "") -> list[tuple]:
    return [
        (f"{prefix}upload", f"/uploads/{site['good']}/"),
        (f"{prefix}upload-rejected", f"/uploads/{site['bad']}/"),
        (f"{prefix}report", f"/reports/{site['report']}/"),
        (f"{prefix}error-403", "/uploads/new/", 403),
        (f"{prefix}error-404", "/no-such-page/", 404),
    ]


def test_every_page_in_english_for_provincial_staff(live_server, english_site, chromium):  # noqa: F811
    def approve(walk: EnglishWalk) -> None:  # approve 沈阳's quarter: the page says so
        walk.visit("upload-to-approve", f"/uploads/{english_site['good']}/")
        with walk.browser.page.expect_navigation():
            walk.browser.page.click("#approval-approve")
        assert walk.browser.page.locator(".messages .success").count() == 1
        walk.look("upload-approved")

    pages = EVERYTHING + PROVINCE_ALSO + after_reading(english_site)
    walk_in_english(chromium, live_server.url, "province", "en-province", pages, then=approve)


def test_every_page_in_english_for_an_auditor(live_server, english_site, chromium):  # noqa: F811
    pages = [(f"auditor-{name}", path) for name, path in EVERYTHING] + after_reading(english_site, "auditor-")
    walk_in_english(chromium, live_server.url, "auditor", "en-auditor", pages)


def test_every_page_in_english_for_a_city_officer(live_server, english_site, chromium):  # noqa: F811
    from accounts.models import User
    from indicators.models import Area
    from uploads.approval import take_action

    shenyang = Area.objects.get(code="210100")
    take_action("approve", area=shenyang, year=2024, quarter=2, user=User.objects.get(username="en-province"))

    def refused_for_an_approved_quarter(walk: EnglishWalk) -> None:
        # A file for the quarter provincial staff approved is refused: the refusal is the service's own words.
        walk.visit("officer-upload-locked", "/uploads/new/")
        page = walk.browser.page
        page.select_option("select[name=year]", "2024")
        page.select_option("select[name=quarter]", "2")
        page.set_input_files("input[name=file]", files=[{"name": "sy.csv", "mimeType": "text/csv", "buffer": b"a,b\n"}])
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        assert "Shenyang 2024 Q2 were approved by en-province" in page.inner_text(".errorlist.nonfield li")
        walk.look("officer-upload-locked")
        walk.visit("officer-error-403", "/dashboard/city/210200/", status=403)
        walk.visit("officer-error-403-audit", "/audit/", status=403)

    pages = [
        ("officer-city", "/dashboard/city/210100/"),
        ("officer-city-target", "/dashboard/city/210100/?target=1-02"),
        ("officer-plan", "/"),
        ("officer-plan-outline", "/plan/outline/"),
        ("officer-indicators", "/indicators/"),
        ("officer-indicator", "/indicators/pm25/"),
        ("officer-methodology", "/dashboard/help/progress/"),
        ("officer-uploads", "/uploads/"),
        ("officer-upload-new", "/uploads/new/"),
        ("officer-upload-template", "/uploads/template/"),
        ("officer-upload", f"/uploads/{english_site['good']}/"),
        ("officer-upload-rejected", f"/uploads/{english_site['bad']}/"),
        ("officer-reports", "/reports/"),
        ("officer-report", f"/reports/{english_site['report']}/"),
    ]
    walk_in_english(chromium, live_server.url, "officer", "en-officer", pages, then=refused_for_an_approved_quarter)
