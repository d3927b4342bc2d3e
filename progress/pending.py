"""Progress after uploads, recomputed in batches: one recompute for every upload whose values became current since
the last one, instead of one per upload. When all the cities upload at once, the pages' cache (keyed by the progress
version each recompute bumps) is then invalidated a few times rather than once per upload.

An accepted upload is marked `recompute_pending`; `recompute_after_uploads` takes every marked upload (skipping those
another worker is taking), recomputes their areas and indicators once, and marks them back should it fail, so no
upload's recompute is lost (the nightly full recompute is the last resort)."""

from django.db import transaction

from uploads.models import Observation, Upload

from .services import recompute_progress


def recompute_after_uploads() -> int:
    """Recompute the areas and indicators of every upload waiting for it; returns the rows written (0: none waited)."""
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
