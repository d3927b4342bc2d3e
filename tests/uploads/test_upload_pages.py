"""The upload pages and the REST API, as the people who use them see them."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.uploads.conftest import row_of
from uploads.models import Observation, Upload

Q = dict(year=2024, quarter=2)


def test_an_officer_may_choose_only_their_own_city(client, city_officer):
    client.force_login(city_officer)
    page = client.get(reverse("upload_new"))
    areas = page.context["form"].fields["area"].queryset
    assert list(areas.values_list("code", flat=True)) == ["210100"]
    assert "先试导入" in page.content.decode()


def test_upload_preview_confirm_in_the_browser_forms(client, city_officer, shenyang, filled_template):
    client.force_login(city_officer)
    data = filled_template(shenyang, **Q)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("upload_new"),
            {
                "area": "210100",
                "year": 2024,
                "quarter": 2,
                "dry_run": "on",
                "file": SimpleUploadedFile("沈阳.xlsx", data),
            },
        )
    upload = Upload.objects.get()
    assert response.url == reverse("upload_detail", args=[upload.pk])
    page = client.get(response.url).content.decode()
    assert "试导入完成，待确认" in page and 'id="confirm-import"' in page
    assert not Observation.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("upload_confirm", args=[upload.pk]))
    page = client.get(reverse("upload_detail", args=[upload.pk])).content.decode()
    assert "已接受" in page
    assert Observation.objects.filter(upload=upload, is_current=True).count() == upload.rows_total
    raw = client.get(reverse("upload_file", args=[upload.pk]))
    assert b"".join(raw.streaming_content) == data


def test_a_rejected_upload_shows_each_problem_and_hands_back_the_file_marked(
    client, city_officer, shenyang, filled_template, submit
):
    data = filled_template(shenyang, **Q, values={"pm25": "abc"})
    upload = submit(data, "bad.xlsx", user=city_officer, area=shenyang, **Q)
    client.force_login(city_officer)
    page = client.get(reverse("upload_detail", args=[upload.pk])).content.decode()
    bad_row = row_of(openpyxl.load_workbook(io.BytesIO(data))["填报表"], "pm25")
    assert "已退回" in page and "“abc”不是有效数字" in page and f"<td>{bad_row}</td>" in page
    marked = openpyxl.load_workbook(io.BytesIO(client.get(reverse("upload_marked", args=[upload.pk])).content))
    cell = marked["填报表"].cell(row=bad_row, column=8)
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "“abc”不是有效数字" in cell.comment.text
    listing = [[c.value for c in r] for r in marked["校验结果"].iter_rows(min_row=2)]
    assert listing[0][:3] == ["错误", "填报表", bad_row]


def test_a_damaged_file_is_never_reopened_to_mark_it(client, city_officer, shenyang, submit):
    upload = submit(b"PK\x03\x04 broken", "x.xlsx", user=city_officer, area=shenyang, **Q)
    client.force_login(city_officer)
    marked = openpyxl.load_workbook(io.BytesIO(client.get(reverse("upload_marked", args=[upload.pk])).content))
    assert marked.sheetnames == ["校验结果"]


def test_an_officer_sees_only_their_own_citys_uploads(
    client, city_officer, make_user, dalian, submit, django_assert_max_num_queries
):
    other = make_user("officer-dl", "city", dalian)
    theirs = submit(
        b"area_code,indicator_code,year,quarter,value\n210200,pm25,2024,2,35\n", "dl.csv", user=other, area=dalian, **Q
    )
    client.force_login(city_officer)
    assert client.get(reverse("upload_detail", args=[theirs.pk])).status_code == 404
    with django_assert_max_num_queries(8):
        page = client.get(reverse("upload_list")).content.decode()
    assert "dl.csv" not in page
    assert client.get(reverse("completeness")).status_code == 403


def test_completeness_grid_says_on_time_late_missing_and_rejected(
    client, province_user, admin_user, plan, submit, django_assert_max_num_queries
):
    from indicators.models import Area

    shenyang, dalian, anshan = (Area.objects.get(code=c) for c in ("210100", "210200", "210300"))
    on_time = submit(b"indicator_code,value\npm25,40\n", "a.csv", user=admin_user, area=shenyang, **Q)
    late = submit(b"indicator_code,value\npm25,40\n", "b.csv", user=admin_user, area=dalian, **Q)
    rejected = submit(b"indicator_code,value\npm25,abc\n", "c.csv", user=admin_user, area=anshan, **Q)
    Upload.objects.filter(pk=on_time.pk).update(created_at=timezone.make_aware(datetime.datetime(2024, 7, 10)))
    Upload.objects.filter(pk=late.pk).update(created_at=timezone.make_aware(datetime.datetime(2024, 8, 1)))
    assert rejected.status == Upload.Status.REJECTED
    client.force_login(province_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("completeness"), {"year": 2024})
    rows = {area.code: cells for area, cells in response.context["rows"]}
    assert [c.status for c in rows["210100"]][:3] == ["missing", "on_time", "missing"]
    assert rows["210200"][1].status == "late"
    assert rows["210300"][1].status == "rejected"
    assert "逾期提交" in response.content.decode()


def test_api_upload_preview_and_confirm(client, city_officer, shenyang, filled_template):
    client.force_login(city_officer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/uploads/",
            {
                "file": SimpleUploadedFile("api.xlsx", filled_template(shenyang, **Q)),
                "area": "210100",
                "year": 2024,
                "quarter": 2,
                "dry_run": True,
            },
        )
    assert response.status_code == 202
    assert response.json()["status"] == "received"  # the answer comes before the worker has read the file
    body = client.get(f"/api/uploads/{response.json()['id']}/")
    body = body.json()
    assert body["status"] == "previewed" and body["rows_new"] > 0 and body["uploaded_by"] == "officer-sy"
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirmed = client.post(f"/api/uploads/{body['id']}/confirm/")
    assert confirmed.status_code == 202
    assert client.get(f"/api/uploads/{body['id']}/").json()["status"] == "accepted"
    again = client.post(f"/api/uploads/{body['id']}/confirm/")
    assert again.status_code == 409


def test_api_refuses_another_citys_upload_and_anonymous_callers(client, city_officer, dalian):
    anonymous = client.get("/api/uploads/")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Token"
    client.force_login(city_officer)
    response = client.post(
        "/api/uploads/",
        {"file": SimpleUploadedFile("x.csv", b"indicator_code,value\n"), "area": "210200", "year": 2024, "quarter": 2},
    )
    assert response.status_code == 403
    assert "您只能为沈阳市填报数据" in response.json()["detail"]
    assert not Upload.objects.exists()


def test_openapi_schema_describes_the_upload_endpoint(client, province_user):
    client.force_login(province_user)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/uploads/" in schema and "multipart/form-data" in schema
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()  # Swagger UI is served by the application itself


def test_an_uploads_page_lists_its_values_and_what_replaced_them(
    client, city_officer, shenyang, filled_template, submit, django_assert_max_num_queries
):
    first = submit(filled_template(shenyang, **Q, values={"pm25": 41}), "a.xlsx", user=city_officer, area=shenyang, **Q)
    second = submit(
        filled_template(shenyang, **Q, values={"pm25": 39}), "b.xlsx", user=city_officer, area=shenyang, **Q
    )
    client.force_login(city_officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("upload_detail", args=[first.pk])).content.decode()
    assert f"已被第 {second.pk} 号上传替代" in page
    assert "细颗粒物（PM2.5）平均浓度" in page and ">41 微克/立方米<" in page
