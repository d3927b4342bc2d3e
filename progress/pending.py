"""Progress after uploads, recomputed in batches: one recompute once a burst of uploads has settled, instead of one
per upload. When all the cities upload at once, the pages' cache (keyed by the progress version each recompute bumps)
is then invalidated once rather than fifteen times, and the pages are rebuilt once.

An accepted upload is marked `recompute_pending` and queues `recompute_after_uploads` a few seconds later. That waits
while uploads are still being accepted (the last one's call will do the work), unless the oldest has waited `longest`
already; then it takes every marked upload (skipping those another worker is taking), recomputes their areas and
indicators once, and marks them back should it fail, so no upload's recompute is lost (the nightly full recompute is
the last resort)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from uploads.models import Observation, Upload

from .services import recompute_progress


def recompute_after_uploads(*, quiet: timedelta = timedelta(0), longest: timedelta = timedelta(minutes=1)) -> int:
    """Recompute the areas and indicators of every upload waiting for it, unless one was accepted less than `quiet`
    ago and none has waited `longest`; returns the rows written (0: nothing done)."""
    now = timezone.now()
    times = Upload.objects.filter(recompute_pending=True).aggregate(
        newest=Max("finished_at"), oldest=Min("finished_at")
    )
    if times["newest"] and now - times["newest"] < quiet and now - times["oldest"] < longest:
        return 0  # uploads are still arriving; the call queued after the latest one will recompute
    with transaction.atomic():
        waiting = list(
            Upload.objects.select_for_update(skip_locked=True)
            .filter(recompute_pending=True)
            .values_list("pk", flat=True)
        )
        Upload.objects.filter(pk__in=waiting).update(recompute_pending=False)
    if not waiting:
        return 0
    pairs = set(Observation.objects.filter(upload_id__in=waiting).values_list("area_id", "indicator_id").distinct())
    try:
        report = recompute_progress(area_ids=sorted({a for a, _ in pairs}), indicator_ids=sorted({i for _, i in pairs}))
    except BaseException:
        Upload.objects.filter(pk__in=waiting).update(recompute_pending=True)
        raise
    return report.rows_written
