"""Quarter approval and the lock: a city submits, the province approves or returns, an approved quarter refuses every
upload (web form, API, import_upload, long-format files) until an administrator unlocks it with a reason."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from audit.models import AuditEntry, Kind
from indicators.models import Area
from uploads.approval import (
    ApprovalRefused,
    approve_quarter,
    approved_quarters,
    return_quarter,
    submit_quarter,
    unlock_quarter,
)
from uploads.models import QuarterApproval, Upload
from uploads.selectors import completeness_grid

Q = dict(year=2024, quarter=2)
LOCKED = "审核通过并锁定，不能再上传"


@pytest.fixture
def accepted(city_officer, shenyang, filled_template, submit):
    upload = submit(filled_template(shenyang, **Q), "沈阳.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.ACCEPTED
    return upload


@pytest.fixture
def locked(accepted, city_officer, province_user, shenyang):
    submit_quarter(area=shenyang, **Q, user=city_officer)
    return approve_quarter(area=shenyang, **Q, user=province_user)


def test_submit_then_approve_locks_the_quarter_and_the_history_and_trail_keep_each_step(
    accepted, city_officer, province_user, shenyang
):
    submitted = submit_quarter(area=shenyang, **Q, user=city_officer)
    assert submitted.status == QuarterApproval.Status.SUBMITTED and not submitted.is_locked
    approved = approve_quarter(area=shenyang, **Q, user=province_user)
    assert approved.is_locked and approved.decided_by == province_user
    assert [h.status for h in approved.history.order_by("history_id")] == ["submitted", "approved"]
    steps = AuditEntry.objects.filter(kind__startswith="quarter_").order_by("id")
    assert [(e.kind, e.actor, e.area_code, e.before["status"], e.after["status"]) for e in steps] == [
        (Kind.QUARTER_SUBMITTED, city_officer, "210100", None, "submitted"),
        (Kind.QUARTER_APPROVED, province_user, "210100", "submitted", "approved"),
    ]
    county = Area.objects.filter(parent=shenyang).first()
    assert approved_quarters([shenyang.pk, county.pk, Area.objects.get(code="210200").pk], **Q) == {
        shenyang.pk,
        county.pk,
    }


def test_who_may_take_which_step(accepted, city_officer, province_user, auditor, admin_user, shenyang):
    with pytest.raises(ApprovalRefused, match="没有被接受的数据"):
        submit_quarter(area=shenyang, year=2024, quarter=3, user=city_officer)
    with pytest.raises(ApprovalRefused, match="省级工作人员"):
        approve_quarter(area=shenyang, **Q, user=city_officer)
    with pytest.raises(ApprovalRefused, match="只有已提交审核的季度"):
        approve_quarter(area=shenyang, **Q, user=province_user)
    submit_quarter(area=shenyang, **Q, user=city_officer)
    with pytest.raises(ApprovalRefused, match="省级工作人员"):
        approve_quarter(area=shenyang, **Q, user=auditor)
    with pytest.raises(ApprovalRefused, match="退回时请填写理由"):
        return_quarter(area=shenyang, **Q, user=province_user, reason="  ")
    returned = return_quarter(area=shenyang, **Q, user=province_user, reason="PM2.5 与监测站数据不符")
    assert returned.status == "returned" and returned.reason == "PM2.5 与监测站数据不符"
    submit_quarter(area=shenyang, **Q, user=city_officer)
    approve_quarter(area=shenyang, **Q, user=province_user)
    with pytest.raises(ApprovalRefused, match="只有系统管理员"):
        unlock_quarter(area=shenyang, **Q, user=province_user, reason="更正")
    with pytest.raises(ApprovalRefused, match="解锁时请填写理由"):
        unlock_quarter(area=shenyang, **Q, user=admin_user, reason="")
    assert unlock_quarter(area=shenyang, **Q, user=admin_user, reason="统计局更正数据").status == "unlocked"


def test_a_locked_quarter_refuses_an_upload_on_the_web_form(client, locked, city_officer, shenyang, filled_template):
    client.force_login(city_officer)
    before = Upload.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = client.post(
            reverse("upload_new"),
            {"area": "210100", **Q, "file": SimpleUploadedFile("再次.xlsx", filled_template(shenyang, **Q))},
        )
    assert page.status_code == 200 and LOCKED in page.content.decode()
    assert "请联系系统管理员" in page.content.decode()
    assert Upload.objects.count() == before
    refused = AuditEntry.objects.get(kind=Kind.UPLOAD_REFUSED)
    assert refused.actor == city_officer and refused.after == {"file": "再次.xlsx"}


def test_a_locked_quarter_refuses_an_upload_through_the_api(client, locked, city_officer, shenyang, filled_template):
    client.force_login(city_officer)
    response = client.post(
        "/api/uploads/",
        {"area": "210100", **Q, "file": SimpleUploadedFile("api.xlsx", filled_template(shenyang, **Q))},
    )
    assert response.status_code == 403 and LOCKED in response.json()["detail"]
    assert Upload.objects.count() == 1


def test_a_locked_quarter_refuses_an_upload_through_import_upload(locked, shenyang, filled_template, tmp_path):
    path = tmp_path / "cmd.xlsx"
    path.write_bytes(filled_template(shenyang, **Q))
    with pytest.raises(CommandError, match=LOCKED):
        call_command("import_upload", str(path), area="210100", user="officer-sy", stdout=io.StringIO(), **Q)
    assert Upload.objects.count() == 1


def test_a_long_format_file_touching_a_locked_quarter_is_refused_and_others_pass(locked, admin_user, submit):
    county = Area.objects.filter(parent__code="210100").first()
    touching = f"area_code,indicator_code,year,quarter,value\n210200,pm25,2024,2,30\n{county.code},pm25,2024,2,31\n"
    with pytest.raises(Exception, match=LOCKED):
        submit(touching.encode(), "long.csv", user=admin_user)
    other = "area_code,indicator_code,year,quarter,value\n210100,pm25,2024,3,30\n"
    assert submit(other.encode(), "other.csv", user=admin_user).status == Upload.Status.ACCEPTED


def test_after_an_unlock_with_a_reason_the_quarter_takes_uploads_again(
    accepted, locked, admin_user, city_officer, shenyang, filled_template, submit
):
    unlock_quarter(area=shenyang, **Q, user=admin_user, reason="统计局更正数据")
    again = submit(
        filled_template(shenyang, **Q, values={"pm25": 41.5}), "更正.xlsx", user=city_officer, area=shenyang, **Q
    )
    assert again.status == Upload.Status.ACCEPTED
    unlocked = AuditEntry.objects.get(kind=Kind.QUARTER_UNLOCKED)
    assert unlocked.actor == admin_user and unlocked.after["reason"] == "统计局更正数据"
    superseded = AuditEntry.objects.filter(kind=Kind.SUPERSESSION).latest("id")
    assert superseded.object_id == str(again.pk) and superseded.before["upload"] == accepted.pk
    pm25 = [v for v in superseded.after["values"] if v[1] == "pm25"]
    assert pm25 and pm25[0][4] == 41.5


def test_the_web_buttons_take_each_step_and_the_completeness_grid_shows_approval(
    client, accepted, city_officer, province_user, shenyang
):
    client.force_login(city_officer)
    detail = reverse("upload_detail", args=[accepted.pk])
    page = client.get(detail).content.decode()
    assert 'id="approval-submit"' in page and 'id="approval-approve"' not in page
    url = reverse("quarter_approval", args=["210100", 2024, 2])
    client.post(url, {"action": "submit", "next": detail})
    client.force_login(province_user)
    grid_page = client.get(reverse("completeness") + "?year=2024").content.decode()
    assert "已提交审核" in grid_page and "审核通过</button>" in grid_page
    response = client.post(url, {"action": "approve", "next": reverse("completeness")})
    assert response.url == reverse("completeness")
    _, _, grid = completeness_grid(start=(2024, 1), end=(2024, 4), today=datetime.date(2025, 1, 1), approvals=True)
    assert grid[(shenyang.pk, 2024, 2)].approved and not grid[(shenyang.pk, 2024, 1)].approved
    page = client.get(detail).content.decode()
    assert "审核通过（已锁定）" in page and 'id="approval-unlock"' not in page  # only an administrator unlocks


def test_the_api_takes_the_steps_by_role(client, accepted, city_officer, province_user):
    client.force_login(city_officer)
    step = {"area": "210100", **Q, "action": "approve"}
    refused = client.post("/api/approvals/", step, content_type="application/json")
    assert refused.status_code == 403 and "省级工作人员" in refused.json()["detail"]
    assert (
        client.post("/api/approvals/", {**step, "action": "submit"}, content_type="application/json").json()["status"]
        == "submitted"
    )
    client.force_login(province_user)
    approved = client.post("/api/approvals/", step, content_type="application/json").json()
    assert approved["status"] == "approved" and approved["decided_by"] == "province"
    assert [a["status"] for a in client.get("/api/approvals/?year=2024").json()["results"]] == ["approved"]


def test_approve_quarter_command_submits_or_approves_by_role_and_returns_with_a_reason(
    accepted, city_officer, province_user
):
    out = io.StringIO()
    call_command("approve_quarter", area="210100", **Q, user="officer-sy", stdout=out)
    assert "已提交审核" in out.getvalue()
    call_command("approve_quarter", area="210100", **Q, user="province", return_reason="数据待核实", stdout=out)
    assert QuarterApproval.objects.get().status == "returned"
    call_command("approve_quarter", area="210100", **Q, user="officer-sy", stdout=out)
    call_command("approve_quarter", area="210100", **Q, user="province", stdout=out)
    assert QuarterApproval.objects.get().is_locked
    with pytest.raises(CommandError, match="只有系统管理员"):
        call_command("approve_quarter", area="210100", **Q, user="province", unlock_reason="x", stdout=out)


def test_a_quarter_is_not_approved_while_a_dry_run_of_it_waits_for_confirmation(
    accepted, city_officer, province_user, shenyang, filled_template, submit
):
    submit_quarter(area=shenyang, **Q, user=city_officer)
    corrected = filled_template(shenyang, **Q, values={"pm25": 41.0})  # not the accepted file again (a duplicate)
    waiting = submit(corrected, "试导入.xlsx", user=city_officer, area=shenyang, **Q, dry_run=True)
    assert waiting.status == Upload.Status.PREVIEWED
    with pytest.raises(ApprovalRefused, match=f"第 {waiting.pk} 号上传尚未处理完毕或试导入待确认"):
        approve_quarter(area=shenyang, **Q, user=province_user)
    assert QuarterApproval.objects.get().status == "submitted"
