"""The read endpoints as a client script sees them: the plan, reference data, observations with their upload,
progress with its filters, completeness; pagination; a city officer confined to their own city."""

import pytest
from rest_framework.authtoken.models import Token

from tests.api.conftest import QUARTERS


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_targets_carry_their_area_values_and_departments(as_user, province_user):
    client = as_user(province_user)
    target = client.get("/api/targets/1-02/").json()
    assert target["indicator"] == "pm25" and target["comparator"] == "le" and target["value"] == 34
    assert target["lead_departments"] == [{"code": "eco", "name": "省生态环境厅"}]
    every = client.get("/api/targets/", {"limit": 1000}).json()["results"]
    assert len(every) == client.get("/api/targets/").json()["count"] > 100
    named = [t for t in every if t["area_values"]]
    assert named and {"area", "area_name", "value"} == set(named[0]["area_values"][0])
    cooperating = [t for t in every if t["cooperating_departments"]]
    assert cooperating and {"code", "name"} == set(cooperating[0]["cooperating_departments"][0])


def test_target_filters_reuse_the_plan_selector(as_user, province_user):
    client = as_user(province_user)
    blue_sky = client.get("/api/targets/", {"section": "2.2", "limit": 1000}).json()["results"]
    assert blue_sky and all(t["section"].startswith("2.2") for t in blue_sky)
    led = client.get("/api/targets/", {"department": "eco", "target_year": 2025, "limit": 1000}).json()["results"]
    assert led and all(t["target_year"] == 2025 for t in led)
    refused = client.get("/api/targets/", {"section": "nope", "target_year": 0})
    assert refused.status_code == 400 and set(refused.json()) == {"section", "target_year"}


def test_plan_and_reference_endpoints(as_user, province_user):
    client = as_user(province_user)
    assert client.get("/api/sections/2.2/").json()["parent"] == "2"
    assert client.get("/api/departments/eco/").json()["name"] == "省生态环境厅"
    shenyang = client.get("/api/areas/210100/").json()
    assert shenyang == {"code": "210100", "name": "沈阳市", "name_en": "Shenyang", "level": "city", "parent": "210000"}
    assert client.get("/api/indicators/pm25/").json()["unit"] == "微克/立方米"
    assert client.get("/api/areas/999999/").status_code == 404


def test_observations_name_their_upload(as_user, province_user, api_data):
    uploads = api_data(cities=2)
    client = as_user(province_user)
    body = client.get("/api/observations/", {"area": "210100", "year": 2024, "quarter": 4}).json()
    assert body["count"] == 2
    row = body["results"][0]
    upload = uploads["210100"]
    assert row["upload"] == {
        "id": upload.pk,
        "original_name": upload.original_name,
        "sha256": upload.sha256,
        "uploaded_by": "admin",
        "created_at": row["upload"]["created_at"],
    }
    assert row["is_current"] is True and row["area"] == "210100" and row["indicator"] in ("pm25", "good_air_days_ratio")
    assert client.get("/api/observations/", {"current": "false"}).json()["count"] == 0
    assert client.get("/api/observations/", {"upload": upload.pk}).json()["count"] == 2 * len(QUARTERS)


def test_progress_filters(as_user, province_user, api_data):
    api_data(cities=3)
    client = as_user(province_user)
    everything = client.get("/api/progress/").json()["count"]
    assert everything == 3 * 5 * len(QUARTERS)
    one_quarter = client.get("/api/progress/", {"year": 2024, "quarter": 4}).json()
    assert one_quarter["count"] == 3 * 5 and {r["status"] for r in one_quarter["results"]} == {"at_risk"}
    assert client.get("/api/progress/", {"status": "on_track"}).json()["count"] == 3 * 5 * 2
    assert client.get("/api/progress/", {"area": "210200", "target": "1-02"}).json()["count"] == len(QUARTERS)
    led_by_eco = client.get("/api/progress/", {"department": "eco"}).json()["results"]
    assert led_by_eco and {r["target"] for r in led_by_eco} <= {"1-01", "1-02", "1-03", "1-04", "1-05"}


def test_progress_shows_an_override_beside_the_computed_status(as_user, province_user, admin_user, api_data):
    from indicators.models import Area
    from progress.models import StatusOverride
    from targets.models import Target

    api_data(cities=1)
    target = Target.objects.order_by("order").first()
    StatusOverride.objects.create(
        target=target,
        area=Area.objects.get(code="210100"),
        year=2024,
        quarter=4,
        status="on_track",
        reason="监测站点搬迁",
        created_by=admin_user,
    )
    client = as_user(province_user)
    rows = client.get("/api/progress/", {"year": 2024, "quarter": 4, "target": target.code}).json()["results"]
    assert rows[0]["status"] == "at_risk"
    assert rows[0]["override"] == {"status": "on_track", "reason": "监测站点搬迁"}


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("/api/progress/", {"year": 0}, "year"),
        ("/api/progress/", {"year": 2024, "quarter": 5}, "quarter"),
        ("/api/progress/", {"quarter": 2}, "year"),
        ("/api/progress/", {"status": "great"}, "status"),
        ("/api/progress/", {"area": "999999"}, "area"),
        ("/api/observations/", {"year": "abc"}, "year"),
        ("/api/observations/", {"quarter": 3}, "year"),
        ("/api/completeness/", {}, "year"),
        ("/api/completeness/", {"year": 0}, "year"),
        ("/api/completeness/", {"year": 2019}, "year"),
    ],
)
def test_bad_parameters_are_400_with_the_field_named(as_user, province_user, url, query, field):
    response = as_user(province_user).get(url, query)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field][0], str)


def test_completeness_of_a_year(as_user, province_user, api_data):
    uploads = api_data(cities=2)
    rows = as_user(province_user).get("/api/completeness/", {"year": 2025}).json()
    assert len(rows) == 15 and rows[0]["area"] == "210100"
    first = rows[0]["cells"][0]
    assert (first["year"], first["quarter"], first["upload"]) == (2025, 1, uploads["210100"].pk)
    assert first["status"] in ("on_time", "late")


def test_pages_are_bounded(as_user, admin_user, api_data):
    api_data(cities=3)
    client = as_user(admin_user)
    first = client.get("/api/progress/", {"limit": 10}).json()
    assert len(first["results"]) == 10 and first["count"] == 45 and "offset=10" in first["next"]
    huge = client.get("/api/progress/", {"limit": 100000}).json()
    assert len(huge["results"]) == 45
    from api.pagination import BoundedLimitOffset

    assert BoundedLimitOffset.max_limit == 1000
    assert (
        len(client.get("/api/targets/", {"limit": 100000}).json()["results"])
        == client.get("/api/targets/").json()["count"]
    )


def test_a_city_officer_sees_their_own_city_alone(client, city_officer, api_data):
    api_data(cities=3)
    client.force_login(city_officer)
    observations = client.get("/api/observations/", {"limit": 1000}).json()
    assert observations["count"] == 2 * len(QUARTERS)
    assert {r["area"] for r in observations["results"]} == {"210100"}
    progress = client.get("/api/progress/", {"limit": 1000}).json()["results"]
    assert progress and {r["area"] for r in progress} == {"210100"}
    uploads = client.get("/api/uploads/").json()["results"]
    assert {u["area"] for u in uploads} == {"210100"}
    for url in ("/api/observations/", "/api/progress/"):
        refused = client.get(url, {"area": "210200"})
        assert refused.status_code == 403 and "沈阳市" in refused.json()["detail"]
    assert client.get("/api/completeness/", {"year": 2025}).status_code == 403
    from uploads.models import Observation

    dalian_value = Observation.objects.filter(area__code="210200").first()
    assert client.get(f"/api/observations/{dalian_value.pk}/").status_code == 404


def test_a_token_signs_in_and_a_missing_or_wrong_one_is_401_with_the_scheme(client, province_user):
    token = Token.objects.create(user=province_user)
    assert client.get("/api/areas/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    for headers in ({}, {"HTTP_AUTHORIZATION": "Token " + "0" * 40}):
        refused = client.get("/api/areas/", **headers)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"] == "Token"


def test_a_wrong_basic_password_is_401_with_the_scheme(client, province_user):
    import base64

    wrong = base64.b64encode(b"province:wrong-password").decode()
    refused = client.get("/api/areas/", HTTP_AUTHORIZATION=f"Basic {wrong}")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Token"
    right = base64.b64encode(b"province:pw-for-tests-1").decode()
    assert client.get("/api/areas/", HTTP_AUTHORIZATION=f"Basic {right}").status_code == 200


def test_drf_create_token_gives_a_user_a_token(province_user):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("drf_create_token", "province", stdout=out)
    assert Token.objects.get(user=province_user).key in out.getvalue()


def test_schema_and_docs_are_for_signed_in_users(client, province_user):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs.url.startswith("/accounts/login/")
    client.force_login(province_user)
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/progress/", "/api/observations/", "/api/targets/{code}/", "/api/completeness/"):
        assert path in schema
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page  # the initialiser is a file of its own (the CSP forbids inline scripts)
    assert client.get("/api/docs/", {"script": ""}).status_code == 200


# The most queries each list makes, whatever the number of cities or quarters: two are the session and the user, two
# the count and the page; progress reads the overrides of the page, targets prefetch their departments and area values.
MAX_QUERIES = {
    "/api/observations/": 4,
    "/api/progress/": 5,
    "/api/uploads/": 4,
    "/api/targets/": 7,
    "/api/areas/": 4,
    "/api/completeness/?year=2025": 4,
}


@pytest.mark.parametrize("cities", [2, 15])
@pytest.mark.parametrize("url", list(MAX_QUERIES))
def test_each_list_makes_a_bounded_number_of_queries(
    as_user, admin_user, api_data, django_assert_max_num_queries, url, cities
):
    """The same ceiling with 2 and with 15 cities of observations, uploads and progress."""
    api_data(cities=cities)
    client = as_user(admin_user)
    with django_assert_max_num_queries(MAX_QUERIES[url]):
        assert client.get(url).status_code == 200
