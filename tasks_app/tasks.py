"""Celery tasks: thin doors that take ids, call one service and return something small.

All are idempotent and safe to run twice (acks_late redelivers a task whose worker died)."""

from celery import shared_task
from django.db import OperationalError

from progress.services import recompute_progress
from reports.services import build_report
from uploads.services import process_upload, sweep_stuck_uploads


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def process_upload_task(upload_id: int) -> str | None:
    upload = process_upload(upload_id)
    return upload.status if upload else None


@shared_task(acks_late=True)
def sweep_uploads_task() -> int:
    """Beat runs this every few minutes: uploads the broker or a worker lost are queued again."""
    return sweep_stuck_uploads()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_progress_task(area_ids: list[int] | None = None, indicator_ids: list[int] | None = None) -> int:
    """After an accepted upload (its areas and indicators), or nightly for everything (no arguments)."""
    return recompute_progress(area_ids=area_ids, indicator_ids=indicator_ids).rows_written


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_report_task(report_id: int) -> str | None:
    """A report too big for one request (every PDF): built here while the page polls its progress."""
    report = build_report(report_id)
    return report.status if report else None
