"""Bad input found in the attack probe: each now gets a clear refusal (a 400 naming the field, a 404), never a 500 or
a misleading 403."""

from django.core.files.uploadedfile import SimpleUploadedFile

from uploads.models import Upload


def test_confirming_an_upload_that_is_not_a_number_is_404(client, city_officer):
    client.force_login(city_officer)
    assert client.post("/api/uploads/abc/confirm/").status_code == 404
    assert client.get("/api/uploads/abc/").status_code == 404


def test_a_completeness_year_that_cannot_be_shown_is_400_with_a_chinese_message(client, province_user):
    client.force_login(province_user)
    for year in ("0", "abc", "2019", "2999"):
        response = client.get("/uploads/completeness/", {"year": year})
        assert response.status_code == 400
        assert f"年份“{year}”无效：请选择 2020 至" in response.content.decode()
    assert client.get("/uploads/completeness/", {"year": 2024}).status_code == 200


def test_an_upload_with_a_year_but_no_quarter_is_400_naming_the_fields(client, city_officer, shenyang):
    client.force_login(city_officer)
    for given in ({"area": "210100", "year": 2024}, {"area": "210100"}, {"year": 2024, "quarter": 2}):
        response = client.post(
            "/api/uploads/", {"file": SimpleUploadedFile("x.csv", b"indicator_code,value\n"), **given}
        )
        assert response.status_code == 400
        missing = {"area", "year", "quarter"} - set(given)
        assert set(response.json()) == missing
        assert "须同时填写地区、年份和季度" in response.json()[missing.pop()][0]
    assert not Upload.objects.exists()


def test_a_long_format_upload_has_no_area_and_the_schema_says_so(client, admin_user):
    client.force_login(admin_user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    area = schema["components"]["schemas"]["Upload"]["properties"]["area"]
    assert area["nullable"] is True and area["type"] == "string"


def test_an_unknown_api_route_answers_json_and_a_page_route_html(client, province_user):
    client.force_login(province_user)
    api = client.get("/api/no-such-thing/")
    assert api.status_code == 404 and api.json() == {"detail": "未找到。"}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_nul_character_is_refused_at_the_door(client, city_officer):
    """PostgreSQL cannot hold NUL: a code carrying one used to reach a query and fail there (found by Schemathesis)."""
    client.force_login(city_officer)
    for url in ("/api/progress/?department=eco%00", "/api/targets/1-02%00/", "/dashboard/city/2101%0000/"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "空字符" in response.content.decode()
    posted = client.post("/uploads/new/", {"area": "210100\x00", "year": 2024, "quarter": 2})
    assert posted.status_code == 400 and not Upload.objects.exists()
    assert client.get("/api/progress/?department=eco").status_code == 200
