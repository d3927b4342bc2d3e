"""The report's tables against the Progress table, its provenance, and the snapshot id: the same inputs give the
same tables and id; a new value gives a new id."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.base import ContentFile

from common.tabular import write_csv_zip, write_xlsx
from progress.models import Progress
from progress.services import recompute_progress
from reports.build import assemble, fill_cover
from reports.scope import ReportScope, ScopeError, parse_scope
from tests.reports.conftest import FORMULA_NOTE
from uploads.services import process_upload, receive_upload

Q4 = ReportScope(year=2024, quarter=4)


def xlsx_of(report) -> openpyxl.Workbook:
    out = io.BytesIO()
    write_xlsx(report.all_tables(), out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def sheet_rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_xlsx_figures_are_the_progress_tables(report_data, admin_user):
    report = assemble(Q4)
    fill_cover(report, user=admin_user)
    book = xlsx_of(report)
    assert book.sheetnames[:5] == ["封面", "汇总-领域", "汇总-地区", "滞后与倒退", "进度明细"]
    detail = book["进度明细"]
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref.startswith("A1:")
    rows = sheet_rows(detail)
    stored = Progress.objects.filter(year=2024, quarter=4).select_related("target", "area")
    assert len(rows) == stored.count() > 100
    by_key = {(p.target.code, p.area.code): p for p in stored}
    for row in rows:
        progress = by_key[(row["目标编号"], row["区划代码"])]
        for header, value in (
            ("实际值（按单位列）", progress.actual),
            ("基准值（按单位列）", progress.baseline),
            ("目标值（按单位列）", progress.target_value),
            ("序时进度值（按单位列）", progress.expected),
            ("完成进度（0—1）", progress.progress_ratio),
            ("距目标差距（按单位列）", progress.gap),
            ("目标年预测值（按单位列）", progress.projection),
        ):
            assert row[header] == (None if value is None else pytest.approx(value)), (header, row["目标编号"])
        assert row["计算状态"] == progress.get_status_display()
        assert row["预测值已截至有效范围"] == ("是" if progress.projection_clipped else "否")
    shenyang_pm25 = next(r for r in rows if (r["目标编号"], r["区划代码"]) == ("1-02", "210100"))
    assert shenyang_pm25["实际值（按单位列）"] == 36 and isinstance(shenyang_pm25["实际值（按单位列）"], int | float)
    assert (shenyang_pm25["实际值已审核"], shenyang_pm25["是否结转"]) == ("是", "否")
    dalian_pm25 = next(r for r in rows if (r["目标编号"], r["区划代码"]) == ("1-02", "210200"))
    assert (dalian_pm25["实际值所属季度"], dalian_pm25["是否结转"], dalian_pm25["实际值已审核"]) == (
        "2023年第4季度",
        "是",
        "否",
    )


def test_every_figure_leads_to_its_observation_upload_and_approval(report_data, province_user):
    provenance = sheet_rows(xlsx_of(assemble(Q4))["数据来源"])
    actual = next(r for r in provenance if (r["目标编号"], r["区划代码"], r["数值项"]) == ("1-02", "210100", "实际值"))
    upload = report_data
    assert actual["上传编号"] == upload.pk and actual["文件名"] == "季度数据.csv"
    assert actual["SHA-256"] == upload.sha256 and actual["上传人"] == "admin"
    assert actual["所属季度（结转自）"] == "2024年第4季度" and actual["审核人"] == "province"
    assert actual["审核时间（北京时间）"] is not None and actual["上传时间（北京时间）"] is not None
    baseline = next(
        r for r in provenance if (r["目标编号"], r["区划代码"], r["数值项"]) == ("1-02", "210100", "基准值")
    )
    assert (baseline["数值"], baseline["所属季度（结转自）"], baseline["审核人"]) == (40, "2020年第4季度", None)


def test_a_formula_in_an_uploaded_note_comes_out_as_text_in_the_xlsx_and_the_csv(report_data):
    report = assemble(Q4)
    notes = [r["填报备注"] for r in sheet_rows(xlsx_of(report)["数据来源"]) if r["填报备注"]]
    assert notes and set(notes) == {"'" + FORMULA_NOTE}
    out = io.BytesIO()
    write_csv_zip(report.all_tables(), out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names[0] == "01-封面.csv" and "07-数据来源.csv" in names
        text = archive.read("07-数据来源.csv")
    assert text.startswith("\ufeff".encode())
    decoded = text.decode("utf-8-sig")
    assert "'=HYPERLINK(" in decoded and ',"=HYPERLINK' not in decoded and ",=HYPERLINK" not in decoded


def test_the_same_inputs_give_the_same_tables_and_snapshot_id_and_a_new_value_a_new_one(report_data, admin_user):
    first, second = assemble(Q4), assemble(Q4)
    assert first.snapshot_id == second.snapshot_id and len(first.snapshot_id) == 16
    for a, b in zip(first.tables, second.tables, strict=True):
        assert a.frame.equals(b.frame), a.name
    recompute_progress(through=(2024, 4))  # the nightly recompute: new computed_at, the same figures
    assert assemble(Q4).snapshot_id == first.snapshot_id
    csv_text = "area_code,indicator_code,year,quarter,value\n210200,pm25,2024,4,31\n"
    upload = receive_upload(file=ContentFile(csv_text.encode(), name="new.csv"), user=admin_user, queue=False)
    assert process_upload(upload.pk, recompute=False).status == "accepted"
    recompute_progress(through=(2024, 4))
    assert assemble(Q4).snapshot_id != first.snapshot_id


def test_narrowing_to_a_city_a_department_or_a_special_column(report_data, city_officer):
    city = assemble(ReportScope(year=2024, quarter=4, area="210100"))
    assert set(city.figures.rows["area_code"]) <= {"210100", *[f"2101{n:02d}" for n in range(1, 100)]}
    assert "210100" in set(city.figures.rows["area_code"])
    lead = assemble(ReportScope(year=2024, quarter=4, department="eco", lead_only=True))
    every = assemble(ReportScope(year=2024, quarter=4, department="eco"))
    assert 0 < lead.figures.rows["target_id"].nunique() <= every.figures.rows["target_id"].nunique()
    column4 = assemble(ReportScope(year=2024, quarter=4, special_column=4))
    assert column4.figures.rows["target_code"].str.startswith("ZL4").all()
    assert parse_scope(year=2024, quarter=4, area="", user=city_officer).area == "210100"
    with pytest.raises(ScopeError, match="您只能查看沈阳市的报告"):
        parse_scope(year=2024, quarter=4, area="210200", user=city_officer)
    with pytest.raises(ScopeError, match="尚未结束"):
        parse_scope(year=2099, quarter=1)


def test_building_a_report_takes_a_bounded_number_of_queries(report_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        assemble(Q4)


def test_a_quarter_whose_figures_have_no_baseline_observation_still_reports_its_provenance(plan, admin_user):
    """Values for one quarter and none for the baseline year: every baseline comes from the plan, none from an
    upload, and the provenance lists the actuals alone."""
    values = b"area_code,indicator_code,year,quarter,value\n210100,pm25,2024,4,36\n"
    upload = receive_upload(file=ContentFile(values, name="only-2024.csv"), user=admin_user, queue=False)
    assert process_upload(upload.pk, recompute=False).status == "accepted"
    recompute_progress(through=(2024, 4))
    provenance = next(t for t in assemble(Q4).tables if t.name == "数据来源").frame
    from_uploads = provenance[provenance["upload_id"].notna()]
    assert len(from_uploads) and set(from_uploads["figure"]) == {"实际值"}
    assert set(from_uploads["upload_id"]) == {upload.pk}
