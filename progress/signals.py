"""Edits made by hand (the admin site) reach the dashboards: a changed target or per-area value is recomputed, and
any change to what pages show bumps the version their caches are keyed on."""

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


@receiver([post_save, post_delete], sender=Target)
@receiver([post_save, post_delete], sender=TargetAreaValue)
def target_changed(sender, instance, **kwargs):
    """A target's value, year, baseline or per-area values changed: its progress is recomputed (the recompute bumps
    the version)."""
    from tasks_app.tasks import recompute_progress_task

    target = instance if sender is Target else instance.target
    indicator_id = target.indicator_id
    transaction.on_commit(lambda: recompute_progress_task.delay(indicator_ids=[indicator_id]))
