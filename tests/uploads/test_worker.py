"""The Celery path with a real worker process and a real Redis; and what happens when Redis is down."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from progress.models import Progress
from tests.live import RedisServer, Worker, publishing_to, wait_for
from uploads.models import Observation, Upload
from uploads.services import QUEUED_NOTE, receive_upload, sweep_stuck_uploads

pytestmark = pytest.mark.worker
CSV = "area_code,indicator_code,year,quarter,value\n210100,pm25,2024,2,38.5\n210100,good_air_days_ratio,2024,2,85\n"


def status_of(upload):
    upload.refresh_from_db()
    return upload.status not in Upload.PENDING and upload.status


def test_a_real_worker_processes_the_upload_and_recomputes_progress(plan, admin_user, shenyang, celery_worker):
    upload = receive_upload(
        file=ContentFile(CSV.encode(), name="w.csv"), user=admin_user, area=shenyang, year=2024, quarter=2
    )
    assert wait_for(lambda: status_of(upload)) == Upload.Status.ACCEPTED, "".join(celery_worker.output[-30:])
    assert Observation.objects.get(indicator__code="pm25", is_current=True).upload == upload
    # Acceptance queued the recompute for the area's targets, which the worker ran too.
    assert wait_for(lambda: Progress.objects.filter(area=shenyang, target__indicator__code="pm25").exists())
    assert "process_upload_task" in "".join(celery_worker.output)


def test_with_redis_down_the_file_is_kept_queued_and_the_sweep_sends_it_once_redis_is_back(
    plan, admin_user, shenyang, transactional_db, media_root
):
    server = RedisServer()
    worker = None
    try:
        with publishing_to(server.url):
            server.stop()
            upload = receive_upload(
                file=ContentFile(CSV.encode(), name="down.csv"), user=admin_user, area=shenyang, year=2024, quarter=2
            )
            upload.refresh_from_db()
            assert upload.status == Upload.Status.RECEIVED
            assert upload.status_note == QUEUED_NOTE
            with upload.file.open("rb") as handle:
                assert handle.read() == CSV.encode()
            assert not Observation.objects.exists()

            server.start()
            worker = Worker(server.url, media_root)

            def swept_and_done():  # beat runs the sweep every few minutes; here every second
                sweep_stuck_uploads(queued_for=timedelta(0))
                return status_of(upload)

            assert wait_for(swept_and_done, timeout=90, interval=1) == Upload.Status.ACCEPTED, "".join(
                worker.output[-30:]
            )
            assert upload.attempts == 1  # sent again, processed once
    finally:
        if worker:
            worker.stop()
        server.stop()
