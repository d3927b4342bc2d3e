"""Every URL of the site × every role: who gets in, who is sent to sign in, who is refused.

The routes are read from the URLconf itself, so a route added without a line in EXPECTED fails this test until
someone decides who may open it. A city officer must never see another city's data: the upload, observation and city
page below belong to 沈阳, and 大连's officer gets 403 or 404 for each of them."""

import re

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "officer", "other_officer", "province", "auditor", "admin")

LOGIN = "sign-in"  # anonymous, redirected to a sign-in page (/accounts/login/, or the admin's for an admin page)
ADMIN_LOGIN = "admin sign-in"  # a signed-in person who is not an administrator, sent to the admin's sign-in page
OWN_CITY = "own city"  # a city officer redirected to their own city's page
PAST_GATE = "past the admin's gate"  # an administrator gets the page, or the admin's own answer for a read-only
# model (403) or an object the test did not make (404, or a redirect within the admin)
NONE = 401  # the API: credentials required (with WWW-Authenticate)

# route (as the URLconf spells it): (method, anonymous, 沈阳 officer, 大连 officer, province, auditor, admin)
EXPECTED = {
    "": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "healthz": ("GET", 200, 200, 200, 200, 200, 200),
    "accounts/login/": ("GET", 200, 200, 200, 200, 200, 200),
    "accounts/logout/": ("POST", LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "i18n/setlang/": ("POST", 302, 302, 302, 302, 302, 302),
    # uploads: the 沈阳 officer's own upload
    "uploads/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "uploads/new/": ("GET", LOGIN, 200, 200, 403, 403, 200),
    "uploads/template/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "uploads/completeness/": ("GET", LOGIN, 403, 403, 200, 200, 200),
    # web data entry: whoever may upload the area's template (its city officer, administrators); 沈阳's 2024 Q2 is
    # submitted, not locked, so its form opens for 沈阳's officer
    "uploads/entry/": ("GET", LOGIN, 200, 200, 403, 403, 200),
    "uploads/entry/<str:area_code>/<int:year>/<int:quarter>/": ("GET", LOGIN, 200, 403, 403, 403, 200),
    "uploads/<int:pk>/": ("GET", LOGIN, 200, 404, 200, 200, 200),
    "uploads/<int:pk>/confirm/": ("POST", LOGIN, 302, 404, 302, 302, 302),
    "uploads/<int:pk>/file/": ("GET", LOGIN, 200, 404, 200, 200, 200),
    "uploads/<int:pk>/marked.xlsx": ("GET", LOGIN, 200, 404, 200, 200, 200),
    # dashboards: a city officer is taken to their own city; 沈阳's page is refused to 大连's officer
    "dashboard/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 200, 200, 200),
    "dashboard/city/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 302, 302, 302),
    "dashboard/city/<str:code>/": ("GET", LOGIN, 200, 403, 200, 200, 200),
    "dashboard/league/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 200, 200, 200),
    "dashboard/departments/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 200, 200, 200),
    "dashboard/departments/<str:code>/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 200, 200, 200),
    "dashboard/targets/": ("GET", LOGIN, 302, 302, 302, 302, 302),  # to the first target's page
    "dashboard/targets/<str:code>/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 200, 200, 200),
    "dashboard/map/": ("GET", LOGIN, OWN_CITY, OWN_CITY, 200, 200, 200),
    "dashboard/help/progress/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    # the plan's outline and the indicator pages: every signed-in role (an officer's rows are their own city's)
    "plan/outline/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "indicators/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "indicators/<str:code>/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    # the API: 401 without credentials; reported data of 沈阳 hidden from 大连's officer
    "api/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/schema/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/docs/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "api/uploads/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/uploads/<int:pk>/": ("GET", NONE, 200, 404, 200, 200, 200),
    "api/uploads/<int:pk>/confirm/": ("POST", NONE, 409, 404, 409, 409, 409),
    "api/sections/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/sections/<str:code>/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/departments/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/departments/<str:code>/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/targets/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/targets/<str:code>/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/areas/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/areas/<str:code>/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/indicators/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/indicators/<str:code>/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/observations/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/observations/<int:pk>/": ("GET", NONE, 200, 404, 200, 200, 200),
    "api/progress/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/completeness/": ("GET", NONE, 403, 403, 200, 200, 200),
    "api/approvals/": ("GET", NONE, 200, 200, 200, 200, 200),  # an officer's list holds their own city alone
    "api/approvals/<int:pk>/": ("GET", NONE, 200, 404, 200, 200, 200),
    # reports: 沈阳's officer made the report below; an officer sees the reports they made
    "api/reports/": ("GET", NONE, 200, 200, 200, 200, 200),
    "api/reports/<int:pk>/": ("GET", NONE, 200, 404, 200, 200, 200),
    "api/reports/<int:pk>/download/": ("GET", NONE, 200, 404, 200, 200, 200),
    "reports/": ("GET", LOGIN, 200, 200, 200, 200, 200),
    "reports/<int:pk>/": ("GET", LOGIN, 200, 404, 200, 200, 200),
    "reports/<int:pk>/status/": ("GET", LOGIN, 200, 404, 200, 200, 200),
    "reports/<int:pk>/download/": ("GET", LOGIN, 200, 404, 200, 200, 200),
    # the audit trail: provincial staff, auditors and administrators
    "audit/": ("GET", LOGIN, 403, 403, 200, 200, 200),
    "audit/export.<str:fmt>": ("GET", LOGIN, 403, 403, 200, 200, 200),
    # an approval step with no action named: refused with a message, back to the page (roles: tests/uploads)
    "uploads/approval/<str:area_code>/<int:year>/<int:quarter>/": ("POST", LOGIN, 302, 302, 302, 302, 302),
    # the admin site: its own sign-in page, then administrators alone
    "admin/login/": ("GET", 200, 200, 200, 200, 200, 302),
    "admin/logout/": ("POST", LOGIN, 302, 302, 302, 302, LOGIN),  # others: to the admin index, still signed in
}
# Every other admin/ route (each model's list, add, change, delete and history pages, whatever models are added).
ADMIN_ONLY = ("GET", LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, PAST_GATE)
# Query strings some pages need to show what they are for.
QUERIES = {"uploads/completeness/": "?year=2024", "api/completeness/": "?year=2024", "admin/(?P<url>.*)$": ""}


def routes(patterns=None, prefix=""):
    """(route, pattern) for every URL the site answers, nested includes flattened."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern


@pytest.fixture
def people(make_user, shenyang, dalian, admin_user, province_user, auditor):
    return {
        "anonymous": None,
        "officer": make_user("officer-sy", "city", shenyang),
        "other_officer": make_user("officer-dl", "city", dalian),
        "province": province_user,
        "auditor": auditor,
        "admin": admin_user,
    }


@pytest.fixture
def shenyang_upload(people, shenyang):
    """沈阳's upload through the real service (so its file is on disk), accepted with its observations."""
    from uploads.services import receive_upload

    with TestCase.captureOnCommitCallbacks(execute=True):
        upload = receive_upload(
            file=ContentFile(b"indicator_code,value\npm25,38.5\n", name="sy.csv"),
            user=people["officer"],
            area=shenyang,
            year=2024,
            quarter=2,
        )
    upload.refresh_from_db()
    assert upload.status == "accepted" and upload.observations.exists()
    return upload


@pytest.fixture
def shenyang_records(people, shenyang, shenyang_upload):
    """A report 沈阳's officer made, and 沈阳's 2024 Q2 submitted for approval: {route prefix: pk}."""
    from reports.models import GeneratedReport
    from reports.scope import parse_scope
    from reports.services import request_report
    from uploads.approval import take_action

    officer = people["officer"]
    scope = parse_scope(year=2024, quarter=2, area="210100", user=officer)
    report = request_report(scope=scope, fmt="csv", user=officer, door=GeneratedReport.Door.WEB, queue=False)
    assert report.is_ready
    approval = take_action("submit", area=shenyang, year=2024, quarter=2, user=officer)
    return {"reports/": report.pk, "api/reports/": report.pk, "api/approvals/": approval.pk}


def admin_object_id(route: str) -> str:
    """The pk of an object of the admin page's model, or 0 where there is none."""
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            first = model.objects.first()
            return str(first.pk) if first else "0"
    return "0"


def url_of(route: str, upload, records: dict) -> str:
    values = {
        "<int:pk>": str(upload.pk),
        "<str:code>": {
            "dashboard/city/": "210100",
            "dashboard/departments/": "eco",
            "dashboard/targets/": "1-02",
            "indicators/": "pm25",
            "api/sections/": "2.2",
            "api/departments/": "eco",
            "api/targets/": "1-02",
            "api/areas/": "210100",
            "api/indicators/": "pm25",
        },
    }
    url = route
    for prefix, pk in records.items():
        if route.startswith(prefix):
            url = url.replace("<int:pk>", str(pk))
    url = url.replace("<str:area_code>/<int:year>/<int:quarter>", "210100/2024/2").replace("<str:fmt>", "csv")
    if route.startswith("api/observations/"):
        url = url.replace("<int:pk>", str(upload.observations.first().pk))
    url = url.replace("<int:pk>", values["<int:pk>"])
    for prefix, code in values["<str:code>"].items():
        if route.startswith(prefix):
            url = url.replace("<str:code>", code)
    if route.startswith("admin/"):
        url = admin_url(route)
    return "/" + url + QUERIES.get(route, "")


def admin_url(route: str) -> str:
    object_id = admin_object_id(route)
    url = route.replace("<path:object_id>", object_id).replace("<id>", object_id)
    url = url.replace("<path:content_type_id>", "1")
    if url.startswith("admin/^(?P<app_label>"):
        return "admin/targets/"
    if "^([^/]+)/history/([^/]+)/$" in url:
        return url.replace("^([^/]+)/history/([^/]+)/$", f"{object_id}/history/1/")
    if url == "admin/(?P<url>.*)$":
        return "admin/no-such-page/"
    return url


def outcome(response, role: str, people) -> object:
    """What a person got, in the table's words."""
    status = response.status_code
    if status in (301, 302):
        location = response.url
        if location.startswith("/accounts/login/") or (role == "anonymous" and location.startswith("/admin/login/")):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        officer = people[role]
        if officer is not None and officer.area and location.startswith(f"/dashboard/city/{officer.area.code}/"):
            return OWN_CITY
    return status


@pytest.mark.slow
def test_every_url_for_every_role(people, shenyang_upload, shenyang_records):
    found = dict(routes())
    unknown = sorted(r for r in found if r not in EXPECTED and not r.startswith("admin/"))
    gone = sorted(r for r in EXPECTED if r not in found)
    assert not unknown, f"routes with no line in EXPECTED (decide who may open them): {unknown}"
    assert not gone, f"lines in EXPECTED for routes that no longer exist: {gone}"

    clients = {role: signed_in(people[role]) for role in ROLES}
    wrong = []
    for route in found:
        method, *expected = EXPECTED.get(route, ADMIN_ONLY)
        url = url_of(route, shenyang_upload, shenyang_records)
        for role, want in zip(ROLES, expected, strict=True):
            response = getattr(clients[role], method.lower())(url)
            got = outcome(response, role, people)
            if want == PAST_GATE:
                ok = got in (200, 403, 404) or (got == 302 and response.url.startswith("/admin/"))
            else:
                ok = got == want
            if not ok:
                wrong.append(f"{method} {url} as {role}: expected {want}, got {got}")
            if route.endswith("logout/"):
                clients[role] = signed_in(people[role])
    assert not wrong, "\n".join(wrong)


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_api_refusal_names_the_scheme(client):
    response = client.get("/api/progress/")
    assert response.status_code == 401 and re.fullmatch(r"Token", response.headers["WWW-Authenticate"])
