"""Edits made by hand (the admin site) reach the dashboards: a changed target or per-area value is recomputed, and
any change to what pages show bumps the version their caches are keyed on."""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from targets.models import Department, Measure, Responsibility, Section, Target, TargetAreaValue

from .models import StatusOverride
from .services import bump_version


@receiver([post_save, post_delete], sender=StatusOverride)
@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Department)
@receiver([post_save, post_delete], sender=Measure)
@receiver([post_save, post_delete], sender=Responsibility)
def plan_or_judgement_changed(sender, **kwargs):
    transaction.on_commit(bump_version)


_pending = threading.local()


@receiver([post_save, post_delete], sender=Target)
@receiver([post_save, post_delete], sender=TargetAreaValue)
def target_changed(sender, instance, **kwargs):
    """A target's value, year, baseline or per-area values changed: its progress is recomputed (the recompute bumps
    the version). One recompute per transaction, however many rows it changed."""
    target = instance if sender is Target else instance.target
    ids = getattr(_pending, "indicator_ids", None)
    if ids is None:
        ids = _pending.indicator_ids = set()
    ids.add(target.indicator_id)
    transaction.on_commit(_recompute_pending)


def _recompute_pending():
    from tasks_app.tasks import recompute_progress_task

    ids = _pending.__dict__.pop("indicator_ids", None)
    if ids:  # the transaction's first callback sends them all; the others find nothing left
        recompute_progress_task.delay(indicator_ids=sorted(ids))
