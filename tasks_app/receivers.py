"""Where the lower layers' announcements become queued work: the plan or an upload changed, so a task is sent.

The apps below never import this one; they send signals (uploads.signals, targets.signals) or save models, and these
receivers chain the work."""

import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from progress.models import Progress
from progress.pending import mark_waiting
from reports.signals import report_requested
from targets.models import Target, TargetAreaValue
from targets.signals import plan_changed
from uploads.signals import observations_changed, upload_waiting

from .tasks import build_report_task, process_upload_task, recompute_after_uploads_task, recompute_progress_task


@receiver(upload_waiting)
def queue_processing(sender, upload_id: int, **kwargs):
    process_upload_task.apply_async((upload_id,))


@receiver(observations_changed)
def queue_recompute(sender, area_ids: list[int], indicator_ids: list[int], **kwargs):
    """A short wait lets the uploads accepted meanwhile share one recompute (progress.pending); until it has run the
    pages say their figures are being updated."""
    mark_waiting()
    recompute_after_uploads_task.apply_async(countdown=settings.PROGRESS_RECOMPUTE_DELAY)


@receiver(report_requested)
def queue_report(sender, report_id: int, **kwargs):
    build_report_task.apply_async((report_id,))


@receiver(plan_changed)
def queue_plan_recompute(sender, indicator_ids: list[int] | None = None, **kwargs):
    """A changed plan under computed progress: bring progress up to date (nothing to do before any is computed)."""
    if Progress.objects.exists():
        recompute_progress_task.delay(indicator_ids=indicator_ids)


_pending = threading.local()


@receiver([post_save, post_delete], sender=Target)
@receiver([post_save, post_delete], sender=TargetAreaValue)
def target_saved(sender, instance, **kwargs):
    """A target's value, year, baseline or per-area values changed by hand: its indicator is recomputed. One recompute
    per transaction, however many rows it changed."""
    target = instance if sender is Target else instance.target
    ids = getattr(_pending, "indicator_ids", None)
    if ids is None:
        ids = _pending.indicator_ids = set()
    ids.add(target.indicator_id)
    transaction.on_commit(_send_pending)


def _send_pending():
    ids = _pending.__dict__.pop("indicator_ids", None)
    if ids:  # the transaction's first callback sends them all; the others find nothing left
        plan_changed.send(sender=Target, indicator_ids=sorted(ids))
