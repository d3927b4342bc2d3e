"""What the apps above record into the trail: overrides, plan revisions, raw-file downloads, with before and after."""

import pandas as pd
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse

from audit.models import AuditEntry, Kind
from progress.models import StatusOverride
from progress.services import override_status
from targets.models import Target
from targets.revisions import field_values, record_revisions
from uploads.services import receive_upload

CSV = "area_code,indicator_code,year,quarter,value\n210100,pm25,2024,2,38.5\n"


COLUMNS = ["area_code", "indicator_code", "year", "quarter", "value"]


def test_an_override_is_recorded_with_the_judgement_before_and_after(plan, admin_user, shenyang):
    from progress.services import recompute_progress
    from tests.factories import store_frame

    store_frame(pd.DataFrame([("210100", "pm25", 2024, 4, 36.0)], columns=COLUMNS), uploaded_by=admin_user)
    recompute_progress(through=(2024, 4))  # an override names a quarter whose status was computed
    target = Target.objects.get(code="1-02")
    first, second = "监测站迁移，经省站核定剔除", "复核后调整为有风险，恢复计算口径"
    override_status(
        target=target, area=shenyang, year=2024, quarter=4, status="on_track", reason=first, user=admin_user
    )
    override_status(
        target=target, area=shenyang, year=2024, quarter=4, status="at_risk", reason=second, user=admin_user
    )
    StatusOverride.objects.get().delete()
    entries = AuditEntry.objects.filter(kind=Kind.OVERRIDE).order_by("id")
    assert [(e.before, e.after) for e in entries] == [
        (None, {"status": "on_track", "reason": first}),
        ({"status": "on_track", "reason": first}, {"status": "at_risk", "reason": second}),
        ({"status": "at_risk", "reason": second}, None),
    ]
    assert entries[0].actor == admin_user and entries[0].area_code == "210100" and entries[0].quarter == 4


def test_a_plan_revision_is_recorded_per_field_with_its_reason_and_document_number(plan, admin_user):
    target = Target.objects.get(code="1-02")
    before = field_values(target)
    target.value = 33.0
    target.save()
    record_revisions(target, before, reason="省政府批复调整", document_number="辽政〔2026〕1号", user=admin_user)
    revision = AuditEntry.objects.get(kind=Kind.PLAN_REVISION)
    assert revision.actor == admin_user and (revision.object_type, revision.object_id) == ("target", "1-02")
    assert revision.before == {"value": 34.0}
    assert revision.after == {"value": 33.0, "reason": "省政府批复调整", "document_number": "辽政〔2026〕1号"}


def test_downloading_a_raw_file_is_recorded(client, plan, auditor, admin_user, shenyang):
    with TestCase.captureOnCommitCallbacks(execute=True):
        upload = receive_upload(
            file=ContentFile(CSV.encode(), name="raw.csv"), user=admin_user, area=shenyang, year=2024, quarter=2
        )
    client.force_login(auditor)
    response = client.get(reverse("upload_file", args=[upload.pk]))
    assert b"".join(response.streaming_content) == CSV.encode()
    download = AuditEntry.objects.get(kind=Kind.FILE_DOWNLOADED)
    assert download.actor == auditor and download.object_id == str(upload.pk)
    assert download.after["sha256"] == upload.sha256
    kinds = list(AuditEntry.objects.filter(object_type="upload").order_by("id").values_list("kind", flat=True))
    assert kinds == [Kind.UPLOAD_RECEIVED, Kind.UPLOAD_ACCEPTED, Kind.FILE_DOWNLOADED]
