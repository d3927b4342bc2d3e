"""Real workers killed mid-upload, Redis stopped with uploads waiting, hostile files sent to a real worker: nothing is
lost, nothing applies out of order, and the worker survives what files do."""

import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from tests.live import RedisServer, Worker, publishing_to, wait_for
from tests.uploads.test_hostile_files import workbook_reaching
from uploads.models import Observation, Upload
from uploads.services import QUEUED_NOTE, receive_upload, sweep_stuck_uploads

pytestmark = [pytest.mark.worker, pytest.mark.postgres]
HEADER = "area_code,indicator_code,year,quarter,value\n"


def sy(pm25: float) -> bytes:
    return f"{HEADER}210100,pm25,2024,2,{pm25}\n210100,good_air_days_ratio,2024,2,{pm25 + 40}\n".encode()


def send(data: bytes, name: str, user, area) -> Upload:
    return receive_upload(file=ContentFile(data, name=name), user=user, area=area, year=2024, quarter=2)


def status_of(upload: Upload):
    upload.refresh_from_db()
    return upload.status not in Upload.PENDING and upload.status


def current_pm25() -> Observation:
    return Observation.objects.get(area__code="210100", indicator__code="pm25", year=2024, quarter=2, is_current=True)


def log(worker: Worker) -> str:
    return "".join(worker.output[-40:])


@pytest.fixture
def broker(transactional_db, media_root):
    """A private Redis this module's tests may stop, with this process publishing to it."""
    server = RedisServer()
    try:
        with publishing_to(server.url):
            yield server
    finally:
        server.stop()


@pytest.fixture
def hold_dir(tmp_path):
    folder = tmp_path / "hold"
    folder.mkdir()
    return folder


def test_a_worker_killed_mid_upload_then_a_newer_upload_the_older_ends_superseded(
    plan, admin_user, shenyang, broker, media_root, hold_dir
):
    held = Worker(broker.url, media_root, app="tests.holding_worker", TEST_HOLD_DIR=str(hold_dir))
    older = send(sy(41), "older.csv", admin_user, shenyang)
    assert wait_for(lambda: (hold_dir / "held").exists(), timeout=60), log(held)
    older.refresh_from_db()
    assert older.status == Upload.Status.PROCESSING
    held.process.kill()  # SIGKILL: the machine loses the worker mid-upload
    held.process.wait(10)

    newer = send(sy(39), "newer.csv", admin_user, shenyang)
    worker = Worker(broker.url, media_root)
    try:
        assert wait_for(lambda: status_of(newer), timeout=60) == Upload.Status.ACCEPTED, log(worker)
        older.refresh_from_db()
        assert older.status == Upload.Status.PROCESSING  # still held by the lost worker
        # Beat's sweep takes it back once UPLOAD_STUCK_AFTER has passed; here at once.
        assert sweep_stuck_uploads(stuck_after=timedelta(0), queued_for=timedelta(days=1)) == 1
        assert wait_for(lambda: status_of(older), timeout=60) == Upload.Status.SUPERSEDED, log(worker)
    finally:
        worker.stop()
    assert (current_pm25().value, current_pm25().upload_id) == (39, newer.pk)
    kept = Observation.objects.filter(upload=older)
    assert sorted(kept.values_list("value", "is_current", "superseded_by")) == [
        (41, False, newer.pk),
        (81, False, newer.pk),
    ]
    assert older.attempts == 2


def test_a_pool_process_killed_mid_upload_is_noticed_at_once_and_the_task_completes(
    plan, admin_user, shenyang, broker, media_root, hold_dir
):
    worker = Worker(broker.url, media_root, app="tests.holding_worker", pool="prefork", TEST_HOLD_DIR=str(hold_dir))
    try:
        upload = send(sy(41), "a.csv", admin_user, shenyang)
        assert wait_for(lambda: (hold_dir / "held").exists(), timeout=60), log(worker)
        (pool_process,) = worker.children()
        os.kill(pool_process, signal.SIGKILL)
        # No sweep: the broker hands the task out again (reject_on_worker_lost) and its redelivery takes it back.
        assert wait_for(lambda: status_of(upload), timeout=60) == Upload.Status.ACCEPTED, log(worker)
        assert upload.attempts == 2
        assert worker.process.poll() is None
    finally:
        worker.stop()


def test_uploads_sent_while_redis_is_down_are_processed_in_order_as_soon_as_it_is_back(
    plan, admin_user, shenyang, broker, media_root
):
    worker = Worker(broker.url, media_root)
    try:
        broker.stop()
        uploads = [send(sy(value), f"{value}.csv", admin_user, shenyang) for value in (41, 40, 39)]
        for upload in uploads:
            upload.refresh_from_db()
            assert (upload.status, upload.status_note) == (Upload.Status.RECEIVED, QUEUED_NOTE)
            with upload.file.open("rb") as handle:
                assert handle.read()
        broker.start()
        # No sweep from here and no beat: the worker sends them again itself when it reconnects.
        last = uploads[-1]
        assert wait_for(lambda: status_of(last), timeout=90) == Upload.Status.ACCEPTED, log(worker)
        assert wait_for(lambda: all(status_of(u) for u in uploads), timeout=30), log(worker)
    finally:
        worker.stop()
    assert [u.status for u in uploads] == [Upload.Status.SUPERSEDED, Upload.Status.SUPERSEDED, Upload.Status.ACCEPTED]
    assert current_pm25().upload_id == last.pk
    assert [u.attempts for u in uploads] == [1, 1, 1]


def test_hostile_files_end_rejected_and_the_worker_goes_on(plan, admin_user, shenyang, broker, media_root):
    worker = Worker(broker.url, media_root)
    try:
        pid = worker.process.pid
        corner = receive_upload(
            file=ContentFile(workbook_reaching("XFD1048576"), name="corner.xlsx"),
            user=admin_user, area=shenyang, year=2024, quarter=2,
        )  # fmt: skip
        nul = send(f"{HEADER}210100,pm25,2024,2,4\x001\n".encode(), "nul.csv", admin_user, shenyang)
        good = send(sy(39), "good.csv", admin_user, shenyang)
        assert wait_for(lambda: status_of(good), timeout=60) == Upload.Status.ACCEPTED, log(worker)
        assert status_of(corner) == status_of(nul) == Upload.Status.REJECTED
        assert corner.errors[0]["rule"] == "sheet_too_large"
        assert (nul.errors[0]["rule"], nul.errors[0]["row"], nul.errors[0]["column"]) == ("control_character", 2, "E")
        assert worker.process.poll() is None and worker.process.pid == pid
        assert [u.attempts for u in (corner, nul, good)] == [1, 1, 1]
    finally:
        worker.stop()
    assert Path(media_root).exists()
