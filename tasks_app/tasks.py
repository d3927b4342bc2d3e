"""Celery tasks: thin doors that take ids, call one service and return something small.

All are idempotent and safe to run twice (acks_late redelivers a task whose worker died)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from progress.pending import recompute_after_uploads
from progress.services import recompute_progress
from reports.services import build_report
from uploads.services import ProcessingFailed, process_upload, sweep_stuck_uploads


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,  # a worker process killed mid-upload: the broker hands the task out again at once
    autoretry_for=(OperationalError,),  # the database itself away: the claim could not even be made
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=270,  # within settings.UPLOAD_STUCK_AFTER, so the sweep never takes back an upload still running
)
def process_upload_task(self, upload_id: int) -> str | None:
    try:
        upload = process_upload(upload_id, delivery=self.request.id)
    except ProcessingFailed as failure:  # recorded on the upload; try again later while attempts remain
        if failure.retry_in is None:
            return "failed"
        if self.request.is_eager:  # in-process (the embedded demo): no worker will come back to it, try again now
            return self.run(upload_id)
        raise self.retry(countdown=failure.retry_in, max_retries=None) from failure
    return upload.status if upload else None


@shared_task(acks_late=True)
def sweep_uploads_task(on_connect: bool = False) -> int:
    """Beat runs this every half minute, and a worker as soon as it (re)connects to the broker: uploads the broker or
    a worker lost are queued again. After a reconnection every waiting upload is sent again (the broker may have
    restarted without its queue), in the order they were received."""
    return sweep_stuck_uploads(queued_for=timedelta(0) if on_connect else None)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_progress_task(area_ids: list[int] | None = None, indicator_ids: list[int] | None = None) -> int:
    """After an accepted upload (its areas and indicators), or nightly for everything (no arguments)."""
    return recompute_progress(area_ids=area_ids, indicator_ids=indicator_ids).rows_written


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_report_task(report_id: int) -> str | None:
    """A report too big for one request (every PDF): built here while the page polls its progress."""
    report = build_report(report_id)
    return report.status if report else None


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_after_uploads_task(self) -> int:
    """A few seconds after an upload was accepted: one recompute for all the uploads of a burst (progress.pending).
    In-process (the embedded demo) there is no burst to wait for."""
    if self.request.is_eager:
        return recompute_after_uploads()
    delay = timedelta(seconds=settings.PROGRESS_RECOMPUTE_DELAY)
    return recompute_after_uploads(quiet=delay - timedelta(seconds=0.5))
