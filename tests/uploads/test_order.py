"""Uploads of one area and quarter take effect in the order they were received, whatever order they are processed in;
a task delivered twice, or an attempt overtaken by a later one, writes nothing."""

import threading
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import TestCase

from tests.uploads.test_concurrency import run_together
from uploads.models import Observation, Upload
from uploads.services import confirm_upload, process_upload, receive_upload, sweep_stuck_uploads

pytestmark = pytest.mark.postgres  # the PostgreSQL path of the order rule is a different SQL statement

HEADER = "area_code,indicator_code,year,quarter,value\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def sy(pm25: float, good: float = 80) -> bytes:
    return csv(f"210100,pm25,2024,2,{pm25}", f"210100,good_air_days_ratio,2024,2,{good}")


def received(data: bytes, name: str, user, area=None, **extra) -> Upload:
    period = {"year": 2024, "quarter": 2} if area else {}
    return receive_upload(
        file=ContentFile(data, name=name), user=user, area=area, queue=False, **period, **extra
    )  # fmt: skip


def current(code: str, area: str = "210100") -> Observation:
    return Observation.objects.get(area__code=area, indicator__code=code, year=2024, quarter=2, is_current=True)


def test_an_older_upload_processed_after_a_newer_one_ends_superseded_and_keeps_its_values_on_record(
    plan, admin_user, shenyang
):
    older = received(sy(41, 81), "older.csv", admin_user, shenyang)
    newer = received(sy(39, 79), "newer.csv", admin_user, shenyang)
    assert older.sequence < newer.sequence
    process_upload(newer.pk, recompute=False)
    process_upload(older.pk, recompute=False)  # the worker saw them the wrong way round
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (newer.status, older.status) == (Upload.Status.ACCEPTED, Upload.Status.SUPERSEDED)
    assert older.get_status_display() == "已被后续上传替代"
    assert "更晚接收的上传" in older.status_note
    assert (current("pm25").value, current("pm25").upload) == (39, newer)
    kept = Observation.objects.filter(upload=older).order_by("source_row")
    assert [(o.value, o.is_current, o.superseded_by_id) for o in kept] == [(41, False, newer.pk), (81, False, newer.pk)]
    assert Observation.objects.filter(is_current=True).count() == 2


def test_in_a_long_format_file_the_rule_holds_value_by_value(plan, admin_user, shenyang):
    backfill = received(
        csv("210100,pm25,2024,2,45", "210100,good_air_days_ratio,2024,2,70", "210200,pm25,2024,2,33"),
        "backfill.csv",
        admin_user,
    )
    template = received(csv("210100,pm25,2024,2,38"), "sy.csv", admin_user, shenyang)
    process_upload(template.pk, recompute=False)
    process_upload(backfill.pk, recompute=False)
    backfill.refresh_from_db()
    assert backfill.status == Upload.Status.ACCEPTED  # two of its three values are still the latest
    assert "其中 1 个数值已由更晚接收的上传提供" in backfill.status_note
    assert current("pm25").upload_id == template.pk
    assert current("good_air_days_ratio").upload_id == backfill.pk
    assert current("pm25", "210200").upload_id == backfill.pk
    late = Observation.objects.get(upload=backfill, area__code="210100", indicator__code="pm25")
    assert (late.value, late.is_current, late.superseded_by_id) == (45, False, template.pk)


def test_processed_in_order_the_newer_upload_supersedes_the_older(plan, admin_user, shenyang):
    older = received(sy(41), "older.csv", admin_user, shenyang)
    newer = received(sy(39), "newer.csv", admin_user, shenyang)
    process_upload(older.pk, recompute=False)
    process_upload(newer.pk, recompute=False)
    older.refresh_from_db()
    assert older.status == Upload.Status.SUPERSEDED
    assert current("pm25").upload_id == newer.pk
    assert set(Observation.objects.filter(upload=older).values_list("superseded_by", flat=True)) == {newer.pk}


def test_a_confirmed_dry_run_takes_its_place_in_line_when_it_is_confirmed(plan, city_officer, shenyang):
    preview = received(sy(41), "preview.csv", city_officer, shenyang, dry_run=True)
    process_upload(preview.pk, recompute=False)
    meanwhile = received(sy(39), "meanwhile.csv", city_officer, shenyang)
    process_upload(meanwhile.pk, recompute=False)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the confirmation is the latest import request
        confirm_upload(upload=Upload.objects.get(pk=preview.pk), user=city_officer)
    preview.refresh_from_db()
    assert preview.sequence > meanwhile.sequence
    assert preview.status == Upload.Status.ACCEPTED
    assert current("pm25").value == 41


def test_a_task_delivered_twice_does_nothing_the_second_time(plan, admin_user, shenyang):
    upload = received(sy(41), "once.csv", admin_user, shenyang)
    process_upload(upload.pk, recompute=False, delivery="task-1")
    process_upload(upload.pk, recompute=False, delivery="task-1")  # the broker delivered it again
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == (Upload.Status.ACCEPTED, 1)
    assert Observation.objects.filter(upload=upload).count() == 2


def test_a_redelivered_task_takes_back_the_upload_its_lost_worker_held_and_others_leave_it(plan, admin_user, shenyang):
    upload = received(sy(41), "lost.csv", admin_user, shenyang)
    # The worker that took task-1 claimed the upload and died before it finished.
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.PROCESSING, task_id="task-1", attempts=1)
    process_upload(upload.pk, recompute=False, delivery="task-2")  # another task for it: not its to take
    upload.refresh_from_db()
    assert upload.status == Upload.Status.PROCESSING
    process_upload(upload.pk, recompute=False, delivery="task-1")  # the broker hands task-1 out again
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == (Upload.Status.ACCEPTED, 2)


def test_an_attempt_the_sweep_took_back_writes_nothing_when_it_finishes_after_all(
    plan, admin_user, shenyang, monkeypatch
):
    from uploads import services

    upload = received(sy(41), "slow.csv", admin_user, shenyang)
    original = services.validate

    def taken_back_meanwhile(*args, **kwargs):
        checked = original(*args, **kwargs)
        # While this attempt was slow, the sweep thought its worker lost and sent the upload again: another attempt
        # (in-process here, as tasks run eagerly) processed it to the end.
        monkeypatch.setattr(services, "validate", original)
        sweep_stuck_uploads(stuck_after=timedelta(0), queued_for=timedelta(days=1))
        return checked

    monkeypatch.setattr(services, "validate", taken_back_meanwhile)
    process_upload(upload.pk, recompute=False, delivery="first")
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == (Upload.Status.ACCEPTED, 2)
    assert upload.task_id not in ("", "first")
    assert Observation.objects.filter(upload=upload).count() == 2  # stored once, not twice


def test_two_uploads_processed_at_once_in_reverse_order_leave_the_newer_current(
    transactional_db, plan, admin_user, shenyang
):
    for round_ in range(4):
        older = received(sy(40 + round_), f"older-{round_}.csv", admin_user, shenyang)
        newer = received(sy(30 + round_), f"newer-{round_}.csv", admin_user, shenyang)
        started = threading.Event()

        def newer_first(newer=newer, started=started):
            process_upload(newer.pk, recompute=False)
            started.set()

        def older_second(older=older, started=started, round_=round_):
            started.wait(0.05 * round_)  # the first rounds race freely, the later ones favour the wrong order
            process_upload(older.pk, recompute=False)

        run_together(newer_first, older_second)
        assert current("pm25").upload_id == newer.pk, f"round {round_}: the older upload won"
        assert Upload.objects.get(pk=older.pk).status == Upload.Status.SUPERSEDED
        assert Observation.objects.filter(is_current=True).count() == 2
    connection.close()
