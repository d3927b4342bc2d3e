"""Hostile and broken files are refused before they cost memory, reading runs under a memory ceiling, and what a
file carries (control characters, formulas) never breaks storage or comes back live in a workbook."""

import csv
import io
import re
import resource
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tests.uploads.readers import read_first_sheet
from uploads.bounded import OutOfMemory, run_bounded
from uploads.models import Observation, Upload
from uploads.workbooks import TemplateRow, build_template

pytestmark = pytest.mark.postgres  # PostgreSQL refuses a NUL where SQLite stores it: both must end rejected
Q = dict(year=2024, quarter=2)


def workbook_reaching(corner: str, sheet: str = "填报表") -> bytes:
    """A workbook of two cells, A1 and `corner`: a few KB on disk, a huge range to a reader."""
    book = openpyxl.Workbook()
    book.active.title = sheet
    book.active["A1"] = "指标代码"
    book.active[corner] = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messages(upload: Upload) -> str:
    return "\n".join(e["message"] for e in upload.errors)


def test_a_sheet_reaching_xfd1048576_is_refused_from_its_shape_without_being_read(plan, city_officer, shenyang, submit):
    data = workbook_reaching("XFD1048576")
    assert len(data) < 6000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    upload = submit(data, "corner.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert [e["rule"] for e in upload.errors] == ["sheet_too_large"]
    assert "工作表“填报表”的声明范围达到 XFD1048576（16,384 列 × 1,048,576 行）" in messages(upload)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KB: this process grew < 200 MB


def declaring(data: bytes, ref: str) -> bytes:
    """The same workbook with its sheet declaring another range (`<dimension ref>`) than its cells reach."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content)
            target.writestr(member, content)
    return out.getvalue()


def test_the_cells_present_count_even_when_the_declared_range_is_small(plan, city_officer, shenyang, submit):
    data = declaring(workbook_reaching("XFD1500"), "A1:B2")
    upload = submit(data, "wide.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert "工作表“填报表”的单元格范围达到 XFD1500（16,384 列 × 1,500 行）" in messages(upload)


def test_a_declared_range_beyond_the_limits_is_refused_even_with_few_cells(plan, city_officer, shenyang, submit):
    upload = submit(declaring(workbook_reaching("B2"), "A1:ZZ90000"), "d.xlsx", user=city_officer, area=shenyang, **Q)
    assert "工作表“填报表”的声明范围达到 ZZ90000" in messages(upload)


def test_the_memory_ceiling_stops_a_reader_that_asks_for_too_much_and_only_the_child_dies():
    data = workbook_reaching("XFD1500")  # 24 million cells: about a gigabyte to calamine without a ceiling
    with pytest.raises(OutOfMemory):
        run_bounded(read_first_sheet, data, memory_bytes=256 * 1024 * 1024, timeout=60)
    # This process is untouched and the next reading works.
    assert run_bounded(read_first_sheet, workbook_reaching("B2"), memory_bytes=256 * 1024 * 1024, timeout=60) == 2


def test_a_file_that_needs_more_than_the_ceiling_is_rejected_in_words_the_city_understands(
    plan, admin_user, submit, settings
):
    settings.UPLOAD_READ_MEMORY_BYTES = 16 * 1024 * 1024  # far less than 150,000 rows take to read
    rows = "".join(f"210100,pm25,{2021 + i // 40000},{1 + i % 4},{i % 90}\n" for i in range(150_000))
    data = ("area_code,indicator_code,year,quarter,value\n" + rows).encode()
    assert len(data) < settings.UPLOAD_MAX_BYTES
    upload = submit(data, "long.csv", user=admin_user)
    assert upload.status == Upload.Status.REJECTED
    assert [e["rule"] for e in upload.errors] == ["too_complex"]
    assert "读取该文件所需的内存超出系统上限" in messages(upload)


def test_a_nul_byte_in_a_value_or_a_note_is_refused_at_its_cell(plan, admin_user, shenyang, submit):
    data = (
        b"area_code,indicator_code,year,quarter,value,note\n"
        b"210100,pm25,2024,2,40,fine\n"
        b"210100,good_air_days_ratio,2024,2,8\x005,\n"
        b"210100,so2,2024,2,12,see\x00attached\x07\n"
    )
    upload = submit(data, "nul\x00name.csv", user=admin_user, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert upload.original_name == "nulname.csv"
    cells = {(e["row"], e["column"]): e for e in upload.errors if e["rule"] == "control_character"}
    assert set(cells) == {(3, "E"), (4, "F")}
    assert (
        cells[(3, "E")]["message"]
        == "第3行 E 列含有不可见的控制字符 ␀（0x00），无法保存：请删除该单元格中的这些字符后重新上传。"
    )
    assert "␀（0x00）、␇（0x07）" in cells[(4, "F")]["message"]
    assert cells[(4, "F")]["sheet"] == "CSV"
    assert "\x00" not in str(upload.errors)
    assert not Observation.objects.exists()


def test_a_note_longer_than_can_be_kept_is_refused_not_cut(plan, admin_user, shenyang, submit):
    data = f"area_code,indicator_code,year,quarter,value,note\n210100,pm25,2024,2,40,{'说' * 501}\n".encode()
    upload = submit(data, "long-note.csv", user=admin_user, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert upload.errors[0]["rule"] == "note_too_long" and upload.errors[0]["row"] == 2
    assert "备注有 501 个字，超过上限 500 字" in upload.errors[0]["message"]


def test_a_csv_too_wide_to_be_a_template_is_refused_before_pandas_sees_it(plan, admin_user, shenyang, submit):
    data = ("indicator_code,value" + ",x" * 50_000 + "\npm25,40\n").encode()
    upload = submit(data, "wide.csv", user=admin_user, area=shenyang, **Q)
    assert upload.status == Upload.Status.REJECTED
    assert "CSV 文件有 50,002 列 × 3 行" in messages(upload)


FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://example.invalid/x","点击")']


def _cells(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {(s.title, c.coordinate): c for s in book.worksheets for row in s.iter_rows() for c in row}


def test_formulas_in_an_uploaded_workbook_come_back_as_text_in_the_marked_copy(
    client, plan, city_officer, shenyang, filled_template, submit
):
    def edit(sheet):
        sheet.cell(row=4, column=9, value=FORMULAS[0])  # openpyxl writes '=…' as a formula
        sheet.cell(row=5, column=9, value=FORMULAS[1])
        sheet.cell(row=6, column=8, value="@SUM(1)")

    upload = submit(filled_template(shenyang, **Q, edit=edit), "f.xlsx", user=city_officer, area=shenyang, **Q)
    client.force_login(city_officer)
    marked = client.get(reverse("upload_marked", args=[upload.pk])).content
    cells = _cells(marked)
    assert (cells[("填报表", "I4")].value, cells[("填报表", "I4")].data_type) == ("'" + FORMULAS[0], "s")
    assert cells[("填报表", "I5")].value == "'" + FORMULAS[1]
    live = [c.coordinate for c in cells.values() if c.data_type == "f"]
    assert live == []
    listed = [c.value for (sheet, _), c in cells.items() if sheet == "校验结果" and isinstance(c.value, str)]
    assert "'@SUM(1)" in listed and "@SUM(1)" not in listed


def test_formulas_in_a_csv_come_back_as_text_in_the_marked_copy(client, plan, admin_user, shenyang, submit):
    rows = ["area_code,indicator_code,year,quarter,value,note", f"210100,pm25,2024,2,=1+1,{FORMULAS[0]}"]
    upload = submit("\n".join(rows).encode(), "f.csv", user=admin_user, area=shenyang, **Q)
    client.force_login(admin_user)
    cells = _cells(client.get(reverse("upload_marked", args=[upload.pk])).content)
    assert cells[("CSV", "F2")].value == "'" + FORMULAS[0]
    assert cells[("CSV", "E2")].value == "'=1+1"
    assert [c for c in cells.values() if c.data_type == "f"] == []


def test_the_template_writes_plan_text_that_looks_like_a_formula_as_text():
    row = TemplateRow("210100", "沈阳市", "pm25", FORMULAS[1], "-", "+5", None, 0, 100)
    cells = _cells(build_template(area_code="210100", area_name="沈阳市", year=2024, quarter=2, rows=[row]))
    assert cells[("填报表", "D4")].value == "'" + FORMULAS[1]
    assert cells[("填报表", "E4")].value == "'-"
    assert [c for c in cells.values() if c.data_type == "f"] == []


def test_the_completeness_csv_neutralises_text_and_gives_beijing_time(client, plan, province_user, admin_user, submit):
    from indicators.models import Area

    shenyang = Area.objects.get(code="210100")
    submit(b"indicator_code,value\npm25,40\n", "=HYPERLINK(1).csv", user=admin_user, area=shenyang, **Q)
    client.force_login(province_user)
    response = client.get(reverse("completeness"), {"year": 2024, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:5] == ["地区代码", "地区", "报告期", "截止日期", "情况"]
    row = next(line for line in lines if line[0] == "210100" and line[2].startswith("2024年第2季度"))
    assert row[6] == "'=HYPERLINK(1).csv"
    assert row[8].endswith("+08:00")
    assert len(lines) == 1 + 15 * 4
