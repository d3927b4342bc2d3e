"""What every page sends: an enforced Content-Security-Policy with no inline script allowed, HSTS over HTTPS, and
pages that carry no inline script or event handler for the policy to refuse."""

import re

import pytest
from django.urls import reverse

from liaoning_eco.content_policy import BUNDLE, plotly_style_hashes, style_hash

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_the_policy_is_enforced_and_forbids_inline_script(client, province_user):
    client.force_login(province_user)
    response = client.get(reverse("home"))
    assert "Content-Security-Policy-Report-Only" not in response.headers
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src-elem"]
    assert directives["style-src-elem"][1:] == plotly_style_hashes()


def test_the_sign_in_page_and_the_api_carry_the_policy_too(client):
    assert policy(client.get(reverse("login")))["script-src"] == ["'self'"]
    assert policy(client.get("/api/areas/"))["script-src"] == ["'self'"]


def test_the_style_hashes_cover_what_plotly_writes():
    """plotly.js writes an empty <style> (filled through the CSSOM) and the maplibre-gl stylesheet: if a new plotly
    changes how, the hash of its stylesheet is no longer found and this fails before a browser refuses the styles."""
    hashes = plotly_style_hashes()
    assert hashes[0] == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='" == style_hash("")
    assert len(hashes) == 2
    assert ".maplibregl-map{" in BUNDLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/uploads/",
        "/uploads/new/",
        "/uploads/template/",
        "/uploads/completeness/",
        "/dashboard/help/progress/",
        "/api/docs/",
        "/admin/",
        "/admin/targets/target/",
        "/accounts/login/",
    ],
)
def test_no_page_carries_an_inline_script_or_handler(client, admin_user, url):
    client.force_login(admin_user)
    html = client.get(url).content.decode()
    assert not INLINE_SCRIPT.findall(html)
    assert not EVENT_HANDLER.findall(html)


def test_hsts_on_https(client, province_user):
    client.force_login(province_user)
    response = client.get(reverse("home"), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_answers_without_a_session(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
