"""Uploads end to end through the service every door calls: template round trip, every kind of bad input with its
Chinese message and nothing lost, the numbers people type, warnings, and history."""

import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.test import TestCase

from tests.uploads.conftest import row_of
from uploads.models import Observation, Upload
from uploads.services import confirm_upload

pytestmark = pytest.mark.postgres  # also run on PostgreSQL by `make test` (bin/test-postgres-only)

DATA = Path(__file__).parent.parent / "data"
Q = dict(year=2024, quarter=2)


def kept(upload: Upload, data: bytes) -> bool:
    """The raw file is stored, byte for byte, under its hash."""
    with upload.file.open("rb") as handle:
        stored = handle.read()
    return stored == data and upload.sha256 == hashlib.sha256(data).hexdigest()


def messages(upload: Upload) -> str:
    return "\n".join(issue["message"] for issue in upload.errors)


def test_template_round_trips_download_fill_upload_accept(plan, city_officer, shenyang, filled_template, submit):
    data = filled_template(shenyang, **Q, values={"pm25": 38.5})
    preview = submit(data, "沈阳.xlsx", user=city_officer, area=shenyang, dry_run=True, **Q)
    assert preview.status == Upload.Status.PREVIEWED
    assert preview.errors == []
    assert preview.rows_new == preview.rows_total > 60
    assert not Observation.objects.exists()  # a dry run writes nothing

    with TestCase.captureOnCommitCallbacks(execute=True):
        confirm_upload(upload=preview, user=city_officer)
    preview.refresh_from_db()
    assert preview.status == Upload.Status.ACCEPTED
    pm25 = Observation.objects.get(area=shenyang, indicator__code="pm25", is_current=True, **Q)
    assert pm25.value == 38.5
    assert pm25.upload == preview and pm25.upload.uploaded_by == city_officer
    assert pm25.source_row is not None
    assert Observation.objects.filter(upload=preview).count() == preview.rows_total
    assert kept(preview, data)


def test_make_template_writes_the_same_workbook_as_the_web_download(plan, city_officer, shenyang, client, tmp_path):
    client.force_login(city_officer)
    web = client.get("/uploads/template/", {"area": "210100", **Q})
    assert web.status_code == 200
    path = tmp_path / "t.xlsx"
    call_command("make_template", "--area", "210100", "--year", "2024", "--quarter", "2", "-o", str(path))

    def cells(data):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}

    assert cells(web.content) == cells(path.read_bytes())
    assert "填报说明" in cells(web.content)


@pytest.mark.parametrize(
    ("code", "value", "fragment"),
    [
        ("pm25", "abc", "“abc”不是有效数字"),
        ("good_air_days_ratio", 120, "超出“空气质量优良天数比率”的有效范围 0—100"),
        ("pm25", -3, "有效范围"),
    ],
)
def test_bad_values_reject_the_file_naming_row_and_column(
    plan, city_officer, shenyang, filled_template, submit, code, value, fragment
):
    data = filled_template(shenyang, **Q, values={code: value})
    upload = submit(data, "bad.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    error = upload.errors[0]
    assert fragment in error["message"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert error["sheet"] == "填报表"
    assert error["row"] == row_of(book["填报表"], code)
    assert error["column"].startswith("本季度值")
    assert not Observation.objects.exists()
    assert kept(upload, data)


def test_unknown_indicator_and_duplicate_rows(plan, city_officer, shenyang, filled_template, submit):
    def edit(sheet):
        sheet.cell(row=4, column=3, value="no_such_indicator")
        sheet.cell(row=6, column=3, value=sheet.cell(row=5, column=3).value)

    upload = submit(filled_template(shenyang, **Q, edit=edit), "x.xlsx", user=city_officer, area=shenyang, **Q)
    rules = {e["rule"]: e for e in upload.errors}
    assert "指标代码“no_such_indicator”不存在" in rules["unknown_indicator"]["message"]
    assert rules["duplicate"]["row"] == 6
    assert "与第5行重复" in rules["duplicate"]["message"]


def test_a_template_for_another_city_is_refused(plan, city_officer, shenyang, dalian, filled_template, submit):
    data = filled_template(dalian, **Q)  # 大连's template sent by 沈阳's officer as 沈阳's
    upload = submit(data, "dalian.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert "该模板是“大连市 2024年第2季度”的" in messages(upload)
    assert kept(upload, data)


def test_rows_for_another_city_or_quarter_are_refused(plan, city_officer, shenyang, submit):
    csv = (
        b"area_code,indicator_code,year,quarter,value\n210100,pm25,2024,2,40\n210200,pm25,2024,2,41\n"
        b"210100,good_air_days_ratio,2024,1,80\n"
    )
    upload = submit(csv, "mixed.csv", user=city_officer, area=shenyang, **Q)
    by_row = {e["row"]: e for e in upload.errors}
    assert "“大连市”的数据不属于本次上传的地区“沈阳市”" in by_row[3]["message"]
    assert "数据属于2024年第1季度，与本次上传的2024年第2季度不一致" in by_row[4]["message"]
    assert not Observation.objects.exists()


def test_a_future_quarter_and_one_before_the_baseline_are_refused(plan, admin_user, submit):
    csv = b"area_code,indicator_code,year,quarter,value\n210100,pm25,2099,1,40\n210100,pm25,2019,4,40\n"
    upload = submit(csv, "long.csv", user=admin_user)
    by_row = {e["row"]: e["message"] for e in upload.errors}
    assert "2099年第1季度尚未结束" in by_row[2]
    assert "2019年早于基准年2020年" in by_row[3]


def test_a_city_officer_cannot_upload_for_another_city(plan, city_officer, dalian, submit):
    from uploads.services import UploadRefused

    with pytest.raises(UploadRefused, match="您只能为沈阳市填报数据"):
        submit(b"x", "x.csv", user=city_officer, area=dalian, **Q)
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("report.pdf", b"%PDF-1.7 ...", "不支持的文件类型“.pdf”"),
        ("broken.xlsx", (DATA / "broken.xlsx").read_bytes(), "文件已损坏或不是有效的 Excel 工作簿"),
        ("locked.xlsx", (DATA / "password.xlsx").read_bytes(), "工作簿设有密码保护"),
        ("renamed.xlsx", b"area_code,indicator_code\n", "文件已损坏或不是有效的 Excel 工作簿"),
        ("nothing.csv", "地区代码,备注\n210100,无\n".encode(), "找不到表头"),
    ],
)
def test_unreadable_files_are_refused_and_kept(plan, city_officer, shenyang, submit, name, data, fragment):
    upload = submit(data, name, user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert fragment in messages(upload)
    assert kept(upload, data)


def test_an_oversized_file_is_refused_unread_and_kept(plan, city_officer, shenyang, submit, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    data = b"area_code,indicator_code,year,quarter,value\n" + b"210100,pm25,2024,2,40\n" * 100
    upload = submit(data, "big.csv", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert "超过上限" in messages(upload)
    assert kept(upload, data)


def test_more_than_200000_rows_are_refused(plan, admin_user, submit):
    data = b"area_code,indicator_code,year,quarter,value\n" + b"210100,pm25,2024,2,40\n" * 200_001
    upload = submit(data, "rows.csv", user=admin_user)
    assert "200,001 行数据，超过上限 200,000 行" in messages(upload)
    assert not Observation.objects.exists()


def test_a_zip_bomb_is_refused_without_being_inflated(plan, city_officer, shenyang, submit):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))  # 300 MB of zeros, ~300 KB zipped
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    upload = submit(data, "bomb.xlsx", user=city_officer, area=shenyang, **Q)
    assert "疑为恶意文件" in messages(upload)
    assert kept(upload, data)


def test_a_formula_without_a_cached_value_is_refused(plan, city_officer, shenyang, filled_template, submit):
    def edit(sheet):
        sheet.cell(row=row_of(sheet, "pm25"), column=8, value="=30+8")  # openpyxl stores no calculated value

    upload = submit(filled_template(shenyang, **Q, edit=edit), "f.xlsx", user=city_officer, area=shenyang, **Q)
    error = next(e for e in upload.errors if e["rule"] == "formula_without_value")
    assert "是公式但没有计算结果" in error["message"]
    assert error["column"] == "H"


def test_numbers_as_people_type_them_in_a_gb18030_csv(plan, admin_user, shenyang, submit):
    upload = submit((DATA / "long_gb18030.csv").read_bytes(), "长表.csv", user=admin_user)
    assert upload.status == Upload.Status.ACCEPTED, upload.errors
    values = dict(
        Observation.objects.filter(area=shenyang, year=2023, quarter=4).values_list("indicator__code", "value")
    )
    assert values == {
        "boiler_capacity_retired": 1234.0,
        "good_air_days_ratio": 85.3,
        "rural_sewage_treatment_rate": 31.5,
    }
    note = Observation.objects.get(indicator__code="good_air_days_ratio").note
    assert note == "全角数字"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings_chinese_excel_writes(plan, admin_user, submit, encoding):
    text = "地区代码,指标代码,年份,季度,数值,备注\n210200,pm25,2023,4,36.2,大连全年\n"
    upload = submit(text.encode(encoding), "e.csv", user=admin_user)
    assert upload.status == Upload.Status.ACCEPTED, upload.errors
    assert Observation.objects.get(area__code="210200").note == "大连全年"


def test_warnings_do_not_reject(plan, admin_user, shenyang, submit):
    rows = [
        # beyond the plausible change on the previous quarter (±10)
        "210100,rural_sewage_treatment_rate,2024,1,30",
        "210100,rural_sewage_treatment_rate,2024,2,45",
        # seasonal: compared with the same quarter a year earlier (同比), ±40
        "210100,pm25,2023,2,40",
        "210100,pm25,2024,2,90",
        # shares of one whole adding up to more than 100 %
        "210100,surface_water_good_share,2024,2,80",
        "210100,surface_water_worse_v_share,2024,2,25",
    ]
    upload = submit(
        ("area_code,indicator_code,year,quarter,value\n" + "\n".join(rows)).encode(), "w.csv", user=admin_user
    )
    assert upload.status == Upload.Status.ACCEPTED
    jumps = {w["row"]: w["message"] for w in upload.warnings if w["rule"] == "implausible_change"}
    assert jumps == {
        3: "“农村生活污水处理率”较上一季度（2024年第1季度：30）变化 +15%，超出合理变化幅度 ±10：请核实。",
        5: "“细颗粒物（PM2.5）平均浓度”较上年同期（2023年第2季度：40）变化 +50微克/立方米，"
        "超出合理变化幅度 ±40：请核实。",
    }
    shares = [w["message"] for w in upload.warnings if w["rule"] == "shares_over_100"]
    assert len(shares) == 1 and "之和为 105%" in shares[0]


def test_missing_indicators_are_a_warning(plan, city_officer, shenyang, filled_template, submit):
    def edit(sheet):
        sheet.cell(row=row_of(sheet, "pm25"), column=8).value = None  # cell(value=None) would leave it as it is

    upload = submit(filled_template(shenyang, **Q, edit=edit), "m.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.ACCEPTED
    assert any(w["rule"] == "missing_indicator" and w["value"] == "pm25" for w in upload.warnings)


def test_reupload_supersedes_and_keeps_previous_values(plan, city_officer, shenyang, filled_template, submit):
    first = submit(filled_template(shenyang, **Q, values={"pm25": 41}), "a.xlsx", user=city_officer, area=shenyang, **Q)
    second = submit(
        filled_template(shenyang, **Q, values={"pm25": 39}), "b.xlsx", user=city_officer, area=shenyang, **Q
    )
    assert second.status == Upload.Status.ACCEPTED
    assert (second.rows_changed, second.rows_unchanged) == (1, second.rows_total - 1)
    old = Observation.objects.get(upload=first, indicator__code="pm25")
    assert (old.value, old.is_current, old.superseded_by) == (41, False, second)
    current = Observation.objects.get(area=shenyang, indicator__code="pm25", is_current=True, **Q)
    assert (current.value, current.upload) == (39, second)
    first.refresh_from_db()
    assert first.status == Upload.Status.SUPERSEDED
    assert Observation.objects.filter(upload=first).count() == first.rows_total  # nothing deleted


def test_the_same_file_twice_is_recognised(plan, city_officer, shenyang, filled_template, submit):
    data = filled_template(shenyang, **Q)
    first = submit(data, "a.xlsx", user=city_officer, area=shenyang, **Q)
    again = submit(data, "a-again.xlsx", user=city_officer, area=shenyang, **Q)
    assert again.status == Upload.Status.DUPLICATE
    assert again.duplicate_of == first
    assert f"与第 {first.pk} 号上传" in again.status_note
    assert Observation.objects.filter(is_current=True).count() == first.rows_total
    assert kept(again, data)


def test_a_rejected_file_leaves_accepted_data_untouched(plan, city_officer, shenyang, filled_template, submit):
    good = submit(filled_template(shenyang, **Q, values={"pm25": 41}), "a.xlsx", user=city_officer, area=shenyang, **Q)
    bad = submit(
        filled_template(shenyang, **Q, values={"pm25": "n/a"}), "b.xlsx", user=city_officer, area=shenyang, **Q
    )
    assert bad.status == Upload.Status.REJECTED
    assert Observation.objects.get(indicator__code="pm25", is_current=True).upload == good
    assert Observation.objects.filter(superseded_by__isnull=False).count() == 0


def test_import_upload_command_exit_codes(plan, city_officer, shenyang, filled_template, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(filled_template(shenyang, **Q))
    call_command(
        "import_upload",
        str(good),
        "--area",
        "210100",
        "--year",
        "2024",
        "--quarter",
        "2",
        "--user",
        city_officer.username,
        "--dry-run",
    )
    assert "试导入完成" in capsys.readouterr().out
    assert not Observation.objects.exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(filled_template(shenyang, **Q, values={"pm25": "abc"}))
    from django.core.management import CommandError

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_upload",
            str(bad),
            "--area",
            "210100",
            "--year",
            "2024",
            "--quarter",
            "2",
            "--user",
            city_officer.username,
        )
    assert refused.value.returncode == 1
    assert "“abc”不是有效数字" in capsys.readouterr().out


def test_an_old_xls_workbook_is_read(plan, city_officer, shenyang, submit):
    data = (DATA / "legacy.xls").read_bytes()
    upload = submit(data, "旧表.xls", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.ACCEPTED, upload.errors
    values = dict(Observation.objects.filter(upload=upload).values_list("indicator__code", "value"))
    assert values == {"pm25": 37.5, "good_air_days_ratio": 86.1}
    assert Observation.objects.get(indicator__code="pm25").note == "旧版Excel"
