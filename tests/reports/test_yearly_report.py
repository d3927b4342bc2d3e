"""Yearly duties year by year in the quarterly report: 沈阳's city drills (2.5.6-08, ≥ 2 a year) stored as an
accepted upload and recomputed by the real engine (2 in 2022, 1 in 2023, 3 in 2024), then read from the XLSX (with
openpyxl), the CSV zip and the PDF's page."""

import csv
import io
import zipfile

import pandas as pd
import pytest

from common.tabular import write_csv_zip
from reports.build import assemble
from reports.pdf import render_html
from reports.scope import ReportScope

from .test_tables import sheet_rows, xlsx_of

Q2 = ReportScope(year=2025, quarter=2)
SHEET = "年度任务逐年情况"


@pytest.fixture
def shenyang_drills(plan, admin_user):
    from progress.services import recompute_progress
    from tests.factories import store_frame

    drills = [("210100", "city_env_emergency_drills", year, 4, n) for year, n in ((2022, 2), (2023, 1), (2024, 3))]
    store_frame(pd.DataFrame(drills, columns=["area_code", "indicator_code", "year", "quarter", "value"]))
    recompute_progress(through=(2025, 4))


def drills_rows(rows: list[dict], area="210100") -> list[tuple]:
    return [
        (r["年份"], r["本年完成情况"], r["本年实际值（按单位列）"], r["本年目标值（按单位列）"], r["本年期限"])
        for r in rows
        if (r["目标编号"], r["区划代码"]) == ("2.5.6-08", area)
    ]


def test_the_xlsx_lists_each_year_of_shenyangs_drills_with_its_verdict(shenyang_drills):
    book = xlsx_of(assemble(Q2))
    assert book.sheetnames.index(SHEET) == book.sheetnames.index("进度明细") + 1
    rows = sheet_rows(book[SHEET])
    assert drills_rows(rows) == [
        (2022, "已完成", 2, 2, "2022-12-31"),
        (2023, "未完成", 1, 2, "2023-12-31"),
        (2024, "已完成", 3, 2, "2024-12-31"),
        (2025, "未到期", None, 2, "2025-12-31"),
    ]
    not_due = next(r for r in rows if (r["目标编号"], r["区划代码"], r["年份"]) == ("2.5.6-08", "210100", 2025))
    assert not_due["序时进度值（未到期年份）"] == 1  # half the year gone: one drill of two expected
    # 大连 reported none: every finished year unreported, and only yearly duties are listed.
    assert [state for _y, state, *_ in drills_rows(rows, "210200")] == ["未报送", "未报送", "未报送", "未到期"]
    assert "1-02" not in {r["目标编号"] for r in rows}


def test_the_csv_zip_and_the_pdf_carry_the_same_years(shenyang_drills):
    report = assemble(Q2)
    out = io.BytesIO()
    write_csv_zip(report.all_tables(), out)
    with zipfile.ZipFile(out) as archive:
        name = next(n for n in archive.namelist() if n.endswith(f"{SHEET}.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    drills = [r for r in rows if (r["目标编号"], r["区划代码"]) == ("2.5.6-08", "210100")]
    assert [(r["年份"], r["本年完成情况"], r["本年实际值（按单位列）"]) for r in drills] == [
        ("2022", "已完成", "2.0"),
        ("2023", "未完成", "1.0"),
        ("2024", "已完成", "3.0"),
        ("2025", "未到期", ""),
    ]
    html = render_html(report)
    assert "<h2>每年的任务：逐年完成情况</h2>" in html
    assert "<td>2.5.6-08 市级突发环境事件应急演练" in html
    assert "<td>沈阳市</td><td>2023</td><td>未完成</td><td>1</td><td>2</td>" in html


def test_a_report_for_a_city_lists_that_citys_years_only(shenyang_drills):
    rows = sheet_rows(xlsx_of(assemble(ReportScope(year=2025, quarter=2, area="210100")))[SHEET])
    assert rows and {r["区划代码"][:4] for r in rows} == {"2101"}


def test_the_printed_pdf_has_the_years_as_text(shenyang_drills, tmp_path):
    import subprocess

    from reports.pdf import write_pdf

    target = tmp_path / "report.pdf"
    write_pdf(assemble(ReportScope(year=2025, quarter=2, area="210100")), str(target))
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "每年的任务：逐年完成情况" in text and "未到期" in text and "2023-12-31" in text
