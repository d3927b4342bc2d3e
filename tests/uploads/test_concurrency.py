"""Two uploads of one city-quarter processed at the same moment, by two threads with their own connections."""

import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from uploads import services
from uploads.models import Observation, Upload
from uploads.services import process_upload, receive_upload

pytestmark = pytest.mark.postgres  # also run on PostgreSQL by `make test` (bin/test-postgres-only)


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    failures = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # reported below, with the thread's own traceback lost but its message kept
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []


def test_two_uploads_of_one_city_quarter_at_once_leave_one_current_set(
    transactional_db, plan, admin_user, shenyang, monkeypatch
):
    def csv(value):
        rows = [f"210100,pm25,2024,2,{value}", f"210100,good_air_days_ratio,2024,2,{value + 40}"]
        return ("area_code,indicator_code,year,quarter,value\n" + "\n".join(rows)).encode()

    uploads = [
        receive_upload(
            file=ContentFile(csv(v), name=f"{v}.csv"), user=admin_user, area=shenyang, year=2024, quarter=2, queue=False
        )
        for v in (41, 42)
    ]
    # Whoever writes first holds its transaction open a moment, so the other writes while it is still uncommitted.
    original, first = services.store_observations, threading.Lock()

    def slow_first_writer(upload, rows):
        written = original(upload, rows)
        if first.acquire(blocking=False):
            time.sleep(0.5)
        return written

    monkeypatch.setattr(services, "store_observations", slow_first_writer)
    run_together(*(lambda u=u: process_upload(u.pk, recompute=False) for u in uploads))

    for upload in uploads:
        upload.refresh_from_db()
        with upload.file.open("rb") as handle:
            assert handle.read()  # both files kept
    assert {u.status for u in uploads} == {Upload.Status.ACCEPTED, Upload.Status.SUPERSEDED}
    current = Observation.objects.filter(is_current=True)
    assert current.count() == 2
    winner = next(u for u in uploads if u.status == Upload.Status.ACCEPTED)
    assert set(current.values_list("upload_id", flat=True)) == {winner.pk}
    assert Observation.objects.filter(is_current=False, superseded_by=winner).count() == 2
