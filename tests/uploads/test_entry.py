"""Web data entry: the form, its checks, and its way through the upload service to an upload like any other."""

import hashlib
import io
from html import escape

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse

from uploads.approval import take_action
from uploads.entry import entry_fields
from uploads.models import Observation, Upload

Q = dict(year=2024, quarter=2)
PM25 = "value-210100-pm25"


def entry_url(area_code="210100", year=2024, quarter=2):
    return reverse("data_entry", args=[area_code, year, quarter])


@pytest.fixture
def reported(city_officer, shenyang, filled_template, submit):
    """沈阳 sent 2024 Q1 (PM2.5 41) and Q2 (PM2.5 38) as files."""
    first = submit(
        filled_template(shenyang, 2024, 1, {"pm25": 41}), "q1.xlsx", user=city_officer, area=shenyang, year=2024,
        quarter=1,
    )  # fmt: skip
    second = submit(
        filled_template(shenyang, **Q, values={"pm25": 38}), "q2.xlsx", user=city_officer, area=shenyang, **Q
    )
    assert first.status == second.status == Upload.Status.ACCEPTED
    return second


def post(client, data):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the upload is processed as after a committed request
        return client.post(entry_url(), data)


def test_the_form_shows_last_quarters_value_and_the_target_beside_each_field(client, city_officer, shenyang, reported):
    client.force_login(city_officer)
    response = client.get(entry_url())
    assert response.status_code == 200
    page = response.content.decode()
    fields = {f.row.indicator_code: f for f in response.context["fields"]}
    pm25 = fields["pm25"]
    assert pm25.row.previous_value == 41 and pm25.current == 38
    assert pm25.row.target_text and escape(pm25.row.target_text) in page
    row = page[page.index('for="value-210100-pm25"') :].split("</tr>")[0]
    assert '<td class="num previous">41</td>' in row and escape(pm25.row.target_text) in row
    assert f'name="{PM25}"' in row and 'value="38"' in row  # this quarter's value, ready to correct
    assert len(fields) == len(entry_fields(shenyang, **Q))
    assert 'src="/static/js/entry.js"' in page


def test_a_bad_value_is_refused_with_the_chinese_error_naming_the_field(client, city_officer, reported):
    client.force_login(city_officer)
    response = post(client, {PM25: "600"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "数值 600 超出“细颗粒物（PM2.5）平均浓度”的有效范围 0—500（微克/立方米）" in page
    response = post(client, {PM25: "38微克"})
    page = response.content.decode()
    assert "细颗粒物（PM2.5）平均浓度（沈阳市）</a>：“38微克”不是有效数字。" in page
    assert 'aria-invalid="true"' in page and 'value="38微克"' in page  # what was typed stays to be fixed
    assert Upload.objects.filter(source=Upload.Source.WEB).count() == 0  # nothing stored until it passes


def test_clearing_a_reported_value_or_changing_nothing_sends_nothing(client, city_officer, reported):
    client.force_login(city_officer)
    page = post(client, {PM25: ""}).content.decode()
    assert "已上报的数值不能在此清空" in page
    page = post(client, {PM25: "38"}).content.decode()
    assert "没有填写或修改任何数值，未提交。" in page
    assert not Upload.objects.filter(source=Upload.Source.WEB).exists()


def test_good_values_go_through_preview_and_confirm_to_an_upload_from_the_web(client, city_officer, shenyang, reported):
    client.force_login(city_officer)
    response = post(client, {PM25: "36.5", "note-210100-pm25": "秋冬季管控提前启动"})
    upload = Upload.objects.get(source=Upload.Source.WEB)
    assert response.status_code == 302 and response.url == reverse("upload_detail", args=[upload.pk])
    assert upload.status == Upload.Status.PREVIEWED and upload.dry_run
    assert (upload.rows_total, upload.rows_changed, upload.rows_new) == (1, 1, 0)
    assert upload.original_name == "沈阳市2024年第2季度网页填报.xlsx"

    page = client.get(response.url).content.decode()
    assert "网页填报" in page and 'id="confirm-import"' in page
    preview = page[page.index('id="changes"') :].split("</table>")[0]
    assert "细颗粒物（PM2.5）平均浓度" in preview and ">38<" in preview and "→ 36.5" in preview
    assert Observation.objects.get(is_current=True, indicator__code="pm25", **Q).value == 38  # not yet

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("upload_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.ACCEPTED and upload.source == "web"
    stored = upload.file.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == upload.sha256 and len(stored) == upload.size
    sheet = openpyxl.load_workbook(io.BytesIO(stored))["填报表"]
    assert [[c.value for c in r] for r in sheet.iter_rows(min_row=4, min_col=3, max_col=9, values_only=False)] == [
        ["pm25", "细颗粒物（PM2.5）平均浓度", "微克/立方米", sheet["F4"].value, 41, 36.5, "秋冬季管控提前启动"]
    ]
    new = Observation.objects.get(upload=upload)
    assert (new.value, new.note, new.is_current) == (36.5, "秋冬季管控提前启动", True)
    old = Observation.objects.get(upload=reported, indicator__code="pm25")
    assert not old.is_current and old.superseded_by_id == upload.pk
    # Only the value sent was replaced: the rest of the quarter stands as the file gave it.
    assert Observation.objects.filter(upload=reported, is_current=True).count() == reported.rows_total - 1
    assert not any(w["rule"] == "missing_indicator" for w in upload.warnings)
    api = client.get(reverse("upload-detail", args=[upload.pk])).json()
    assert api["source"] == "web"


def test_a_value_typed_in_an_empty_quarter_is_new(client, city_officer, shenyang):
    client.force_login(city_officer)
    page = client.get(entry_url(year=2023, quarter=4)).content.decode()
    assert 'id="entry-form"' in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(entry_url(year=2023, quarter=4), {PM25: "４２．５"})  # full-width, as IMEs type
    upload = Upload.objects.get(source=Upload.Source.WEB)
    assert response.url == reverse("upload_detail", args=[upload.pk])
    assert (upload.status, upload.rows_new) == (Upload.Status.PREVIEWED, 1)


def test_a_locked_quarter_refuses_the_form_as_it_refuses_an_upload(
    client, city_officer, province_user, shenyang, reported
):
    take_action("submit", area=shenyang, **Q, user=city_officer)
    take_action("approve", area=shenyang, **Q, user=province_user)
    client.force_login(city_officer)
    response = client.get(entry_url())
    page = response.content.decode()
    assert response.status_code == 403 and 'id="entry-form"' not in page
    assert (
        "沈阳市2024年第2季度的数据已于" in page
        and "审核通过并锁定，不能再上传。如需更正，请联系系统管理员说明理由后解锁。" in page
    )
    response = post(client, {PM25: "36"})
    assert response.status_code == 403 and not Upload.objects.filter(source=Upload.Source.WEB).exists()


def test_only_the_citys_own_officer_and_administrators_may_enter(
    client, make_user, dalian, province_user, auditor, admin_user, reported
):
    for user, status in [
        (make_user("officer-dl", "city", dalian), 403),
        (province_user, 403),
        (auditor, 403),
        (admin_user, 200),
    ]:
        client.force_login(user)
        assert client.get(entry_url()).status_code == status, user.username
        if status == 403:
            assert client.post(entry_url(), {PM25: "30"}).status_code == 403
    assert not Upload.objects.filter(source=Upload.Source.WEB).exists()


def test_a_quarter_not_yet_ended_or_before_the_baseline_is_not_found(client, city_officer):
    client.force_login(city_officer)
    assert client.get(entry_url(year=2099, quarter=1)).status_code == 404
    assert client.get(entry_url(year=2019, quarter=4)).status_code == 404
    assert client.get(entry_url(area_code="999999")).status_code == 404


def test_the_start_page_opens_the_chosen_quarter_and_the_uploads_page_links_to_it(client, city_officer):
    client.force_login(city_officer)
    assert 'id="entry-start"' in client.get(reverse("upload_list")).content.decode()
    response = client.get(reverse("entry_start"), {"area": "210100", "year": 2024, "quarter": 3})
    assert response.url == entry_url(quarter=3)
    response = client.get(reverse("entry_start"), {"area": "210200", "year": 2024, "quarter": 3})
    assert response.status_code == 200 and response.context["form"].errors  # another city is not a choice


def test_the_upload_page_links_to_the_form_for_corrections(client, city_officer, reported):
    client.force_login(city_officer)
    page = client.get(reverse("upload_detail", args=[reported.pk])).content.decode()
    assert f'href="{entry_url()}"' in page and "上传文件" in page


def test_the_form_speaks_english_on_request(client, city_officer, reported):
    client.force_login(city_officer)
    client.cookies["django_language"] = "en"
    page = client.get(entry_url()).content.decode()
    assert "Web data entry: 沈阳市" in page or "Web data entry: Shenyang" in page
    assert "Last quarter" in page and 'data-msg-range="Outside the valid range"' in page
    detail = client.get(reverse("upload_detail", args=[reported.pk])).content.decode()
    assert '<td id="upload-source">Upload</td>' in detail and "Enter or correct this quarter" in detail


def test_the_completeness_grid_links_an_administrator_to_each_citys_form(client, admin_user, province_user):
    client.force_login(admin_user)
    page = client.get(reverse("completeness"), {"year": 2024}).content.decode()
    link = f"{reverse('entry_start')}?area=210200&amp;year=2024"
    assert f'href="{link}"' in page
    response = client.get(reverse("entry_start"), {"area": "210200", "year": "2024"})  # the choice starts from them
    assert response.status_code == 200 and not response.context["form"].errors
    assert 'value="210200" selected' in response.content.decode()
    client.force_login(province_user)  # provincial staff read the grid but do not enter values
    assert "entry-link" not in client.get(reverse("completeness"), {"year": 2024}).content.decode()


def test_the_report_tells_a_value_entered_on_the_web_from_one_uploaded(
    client, city_officer, shenyang, reported, submit
):
    from progress.services import recompute_progress
    from reports.build import assemble
    from reports.scope import ReportScope

    code = "rural_sewage_treatment_rate"  # judged on the quarter's own value (not a seasonal mean)
    baseline = f"indicator_code,value\n{code},20\n".encode()
    submit(baseline, "2020.csv", user=city_officer, area=shenyang, year=2020, quarter=4)
    client.force_login(city_officer)
    post(client, {f"value-210100-{code}": "31.5"})
    web = Upload.objects.get(source=Upload.Source.WEB)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("upload_confirm", args=[web.pk]))
    recompute_progress(through=(2024, 2))
    provenance = next(t for t in assemble(ReportScope(year=2024, quarter=2)).tables if t.name == "数据来源").frame
    shenyang = provenance[(provenance["area_code"] == "210100") & (provenance["figure"] == "实际值")]
    by_upload = dict(zip(shenyang["upload_id"], shenyang["upload_source"], strict=True))
    assert by_upload[web.pk] == "网页填报" and by_upload[reported.pk] == "上传文件"


def test_a_fraction_of_a_counted_thing_is_refused_for_a_file_as_for_the_form(
    city_officer, shenyang, filled_template, submit
):
    data = filled_template(shenyang, **Q, values={"city_env_emergency_drills": 2.5})
    upload = submit(data, "drills.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    error = next(e for e in upload.errors if e["rule"] == "not_whole")
    assert "2.5 不是整数" in error["message"] and "以“次”计数" in error["message"]


def test_an_indicator_a_reupload_leaves_out_keeps_its_value_and_draws_no_warning(
    city_officer, shenyang, reported, submit
):
    upload = submit(b"indicator_code,value\npm25,37\n", "one.csv", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.ACCEPTED
    assert not [w for w in upload.warnings if w["rule"] == "missing_indicator"]
    other = submit(
        b"indicator_code,value\npm25,37\n", "one.csv", user=city_officer, area=shenyang, year=2023, quarter=3
    )
    assert any(w["rule"] == "missing_indicator" and w["value"] == "good_air_days_ratio" for w in other.warnings)


def test_a_control_character_is_refused_before_a_workbook_is_built(client, city_officer, reported):
    client.force_login(city_officer)
    response = post(client, {PM25: "36", "note-210100-pm25": "见\x07附件"})
    assert response.status_code == 400 and "含有不可见的控制字符" in response.content.decode()
    assert not Upload.objects.filter(source=Upload.Source.WEB).exists()


def test_the_form_takes_a_fixed_number_of_queries(client, city_officer, reported, django_assert_max_num_queries):
    client.force_login(city_officer)
    client.get(entry_url())  # the session and the user cached
    with django_assert_max_num_queries(15) as queries:  # about 100 fields: nothing per field
        assert client.get(entry_url()).status_code == 200
    print(f"entry form: {len(queries)} queries")
