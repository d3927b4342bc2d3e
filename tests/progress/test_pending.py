"""Uploads accepted close together share one progress recompute, and none is lost if it fails."""

import pytest
from django.core.files.base import ContentFile

from progress import pending
from progress.models import Progress
from uploads.models import Upload
from uploads.services import process_upload, receive_upload

pytestmark = pytest.mark.postgres


def accepted(area, value, user) -> Upload:
    data = f"indicator_code,value\npm25,{value}\n".encode()
    upload = receive_upload(
        file=ContentFile(data, name=f"{area.code}.csv"), user=user, area=area, year=2024, quarter=2, queue=False
    )
    process_upload(upload.pk)  # its recompute is queued on commit, which a test's transaction never reaches
    upload.refresh_from_db()
    return upload


def test_two_accepted_uploads_share_one_recompute(plan, admin_user, shenyang, dalian, monkeypatch):
    uploads = [accepted(shenyang, 40, admin_user), accepted(dalian, 35, admin_user)]
    assert all(u.recompute_pending for u in uploads)
    calls = []
    original = pending.recompute_progress
    monkeypatch.setattr(pending, "recompute_progress", lambda **kw: calls.append(kw) or original(**kw))
    assert pending.recompute_after_uploads() > 0
    assert len(calls) == 1 and set(calls[0]["area_ids"]) == {shenyang.pk, dalian.pk}
    assert Progress.objects.filter(area=dalian, target__indicator__code="pm25").exists()
    assert not Upload.objects.filter(recompute_pending=True).exists()
    assert pending.recompute_after_uploads() == 0  # nothing waits any more


def test_a_failed_recompute_leaves_the_uploads_waiting(plan, admin_user, shenyang, monkeypatch):
    upload = accepted(shenyang, 40, admin_user)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(pending, "recompute_progress", broken)
    with pytest.raises(RuntimeError):
        pending.recompute_after_uploads()
    upload.refresh_from_db()
    assert upload.recompute_pending


def test_while_uploads_are_still_arriving_the_recompute_waits_for_the_last(plan, admin_user, shenyang):
    from datetime import timedelta

    from django.utils import timezone

    upload = accepted(shenyang, 40, admin_user)
    assert pending.recompute_after_uploads(quiet=timedelta(seconds=5)) == 0  # accepted a moment ago
    assert Upload.objects.get(pk=upload.pk).recompute_pending
    Upload.objects.filter(pk=upload.pk).update(finished_at=timezone.now() - timedelta(minutes=2))
    assert pending.recompute_after_uploads(quiet=timedelta(seconds=5)) > 0  # it has waited long enough
