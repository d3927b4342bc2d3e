"""Progress after uploads, recomputed in batches: one recompute once a burst of uploads has settled, instead of one
per upload. When all the cities upload at once, the pages' cache (keyed by the progress version each recompute bumps)
is then invalidated once rather than fifteen times, and the pages are rebuilt once.

An accepted upload is marked `recompute_pending` and queues `recompute_after_uploads` a few seconds later. That waits
while uploads are still being accepted (the last one's call will do the work), unless the oldest has waited `longest`
already; then it takes every marked upload (skipping those another worker is taking), recomputes their areas and
indicators once, and marks them back should it fail, so no upload's recompute is lost (the nightly full recompute is
the last resort).

While uploads wait for their recompute, or it runs, the pages show the figures of the last completed one: a flag in the
cache (`mark_waiting`, `is_waiting`) lets them say so (数据更新中) without a query. It is lowered once a recompute has
finished and nothing waits any more; the timeout bounds a flag a lost worker left raised."""

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from uploads.models import Observation, Upload

from .services import recompute_progress

WAITING_KEY = "progress-recompute-waiting"
WAITING_TIMEOUT = 15 * 60  # above `longest` plus a recompute; the nightly recompute is the last resort anyway


def mark_waiting() -> None:
    """Accepted values wait for their recompute: the pages say the figures are being updated."""
    cache.set(WAITING_KEY, True, WAITING_TIMEOUT)


def is_waiting() -> bool:
    """Whether a recompute after uploads is pending or running (one cache read; False with the cache away)."""
    return bool(cache.get(WAITING_KEY))


def _lower_flag() -> None:
    # Lowered first, then raised again if an upload still waits: an upload accepted meanwhile, whose receiver raises
    # the flag after its commit, is either seen here or raises it after this, never lost between the two.
    cache.delete(WAITING_KEY)
    if Upload.objects.filter(recompute_pending=True).exists():
        mark_waiting()


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
    _lower_flag()  # the recompute has committed and bumped the pages' version
    return report.rows_written
