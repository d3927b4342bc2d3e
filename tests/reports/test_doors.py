"""The three doors onto the report (the page, the API, export_report), the PDF a person reads, the kept file that
downloads the same every time, and the audit trail's own page."""

import csv
import hashlib
import io
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry, Kind
from reports.models import GeneratedReport
from tests.live import wait_for
from tests.reports.conftest import FORMULA_NOTE

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
FORM = {"year": 2024, "quarter": 4, "format": "xlsx"}


def download(client, report) -> bytes:
    response = client.get(reverse("report_download", args=[report.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_auditor_makes_a_report_on_the_page_and_downloads_the_same_file_twice(client, report_data, auditor):
    client.force_login(auditor)
    response = client.post(reverse("report_index"), FORM)
    report = GeneratedReport.objects.get()
    assert response.url == reverse("report_detail", args=[report.pk])
    assert report.status == "done" and report.requested_by == auditor and report.door == "web"
    page = client.get(response.url).content.decode()
    assert report.snapshot_id in page and 'id="report-download"' in page
    first, second = download(client, report), download(client, report)
    assert first == second and hashlib.sha256(first).hexdigest() == report.sha256
    downloads = AuditEntry.objects.filter(kind=Kind.REPORT_DOWNLOADED, actor=auditor)
    assert downloads.count() == 2 and downloads.first().object_id == str(report.pk)
    assert AuditEntry.objects.filter(kind=Kind.REPORT_GENERATED, object_id=str(report.pk)).exists()
    status = client.get(reverse("report_status", args=[report.pk])).json()
    assert status["status"] == "done" and status["download_url"].endswith("/download/")


def test_a_city_officer_gets_their_own_city_only(client, report_data, city_officer):
    client.force_login(city_officer)
    page = client.get(reverse("report_index"))
    assert [code for code, _ in page.context["form"].fields["area"].choices] == ["210100"]
    response = client.post(reverse("report_index"), {**FORM, "area": "210200"})
    assert response.status_code == 200 and not GeneratedReport.objects.exists()
    client.post(reverse("report_index"), {**FORM, "area": "210100"})
    report = GeneratedReport.objects.get()
    assert report.parameters["area"] == "210100" and report.scope_label.startswith("沈阳市")


def test_the_api_asks_for_a_report_polls_it_and_downloads_it(client, report_data, auditor):
    client.force_login(auditor)
    response = client.post(
        "/api/reports/", {**FORM, "format": "csv", "area": "210100"}, content_type="application/json"
    )
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "done" and body["format"] == "csv" and len(body["snapshot_id"]) == 16
    detail = client.get(f"/api/reports/{body['id']}/").json()
    assert detail["sha256"] == body["sha256"]
    data = b"".join(client.get(f"/api/reports/{body['id']}/download/").streaming_content)
    assert hashlib.sha256(data).hexdigest() == body["sha256"] and data[:2] == b"PK"
    refused = client.post("/api/reports/", {**FORM, "year": 2099}, content_type="application/json")
    assert refused.status_code == 400 and "尚未结束" in refused.json()["detail"]
    assert "/api/reports/" in client.get("/api/schema/").content.decode()


def test_export_report_writes_the_file_and_keeps_a_copy(report_data, tmp_path):
    target = tmp_path / "沈阳.xlsx"
    out = io.StringIO()
    call_command("export_report", year=2024, quarter=4, format="xlsx", output=str(target), area="210100", stdout=out)
    report = GeneratedReport.objects.get()
    assert report.door == "command" and report.requested_by is None
    assert hashlib.sha256(target.read_bytes()).hexdigest() == report.sha256
    assert report.snapshot_id in out.getvalue()


@pytest.mark.slow
def test_the_pdf_has_chinese_headings_figures_and_the_note_as_text(report_data, tmp_path, auditor):
    target = tmp_path / "report.pdf"
    call_command("export_report", year=2024, quarter=4, format="pdf", output=str(target), stdout=io.StringIO())
    report = GeneratedReport.objects.get()
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    for heading in (
        "辽宁省深入打好污染防治攻坚战实施方案目标进度报告",
        "各目标、各地区进度",
        "数值所附的填报备注",
        "各地区本季度填报与审核情况",
    ):
        assert heading in text, heading
    assert "2024年第4季度" in text and report.snapshot_id in text
    assert text.count(f"快照 {report.snapshot_id}") >= 2  # the stamp on every page, not the cover only
    assert "沈阳市" in text and " 36" in text  # 沈阳's PM2.5
    assert "'" + FORMULA_NOTE in text.replace("\n", "")
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts and all(" yes " in line for line in fonts.splitlines()[2:])
    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(target), str(SCREENSHOTS / "report-pdf")], check=True
    )


def test_the_audit_page_filters_and_exports_a_failed_sign_in_and_a_report_download(client, report_data, auditor):
    client.post(reverse("login"), {"username": "someone", "password": "bad-password"})
    client.force_login(auditor)
    client.post(reverse("report_index"), FORM)
    download(client, GeneratedReport.objects.get())
    page = client.get(reverse("audit_log"), {"kind": Kind.SIGN_IN_FAILED}).content.decode()
    assert "以用户名“someone”登录失败" in page and "下载进度报告" not in page
    page = client.get(reverse("audit_log"), {"person": "auditor"}).content.decode()
    assert "下载进度报告" in page and "someone" not in page
    exported = client.get(reverse("audit_export", args=["csv"])).content.decode("utf-8-sig")
    assert "登录失败" in exported and "下载报告" in exported and "+08:00" in exported
    assert AuditEntry.objects.filter(kind=Kind.AUDIT_EXPORTED, actor=auditor).exists()


def test_the_audit_export_writes_a_name_typed_as_a_formula_as_text(client, auditor):
    client.post(reverse("login"), {"username": '=HYPERLINK("http://x")', "password": "x"})
    client.force_login(auditor)
    exported = client.get(reverse("audit_export", args=["csv"])).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and not any(cell.startswith(("=", "+", "@")) for cell in cells)

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("audit_export", args=["xlsx"])).content))
    names = [row[2] for row in book["审计日志"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


def test_a_city_officer_may_not_read_the_audit_trail(client, city_officer):
    client.force_login(city_officer)
    assert client.get(reverse("audit_log")).status_code == 403


@pytest.mark.worker
def test_a_pdf_is_built_by_a_real_worker_while_the_page_polls_its_progress(client, report_data, auditor, celery_worker):
    client.force_login(auditor)
    response = client.post(reverse("report_index"), {**FORM, "format": "pdf"})
    report = GeneratedReport.objects.get()
    assert report.status in ("queued", "running") and response.url == reverse("report_detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "js/reports.js" in page
    assert 'id="report-progress"' in page or GeneratedReport.objects.get().status == "done"
    status_url = reverse("report_status", args=[report.pk])
    done = wait_for(
        lambda: client.get(status_url).json()["status"] in ("done", "failed") and client.get(status_url).json(), 180
    )
    assert done and done["status"] == "done", "".join(celery_worker.output[-30:])
    assert download(client, report).startswith(b"%PDF")
    assert "build_report_task" in "".join(celery_worker.output)


def test_the_list_of_reports_in_english_names_every_scope_without_a_query_per_report(
    client, auditor, django_assert_max_num_queries
):
    from django.core.cache import cache

    scopes = [{"area": "210100"}, {"department": "eco", "lead_only": True}, {"section": "2.2"}, {"special_column": 4}]
    for extra in scopes * 5:
        GeneratedReport.objects.create(
            requested_by=auditor, parameters={"year": 2024, "quarter": 4, **extra}, scope_label="…", format="xlsx"
        )
    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    cache.clear()
    client.get(reverse("report_index"))  # names read once, then kept
    with django_assert_max_num_queries(12):
        page = client.get(reverse("report_index")).content.decode()
    assert "Shenyang" in page and "Special column 4" in page
