"""Any change to what the pages show (the plan's outline, departments, status overrides, a quarter's approval, which
decides the ※ beside its figures) bumps the version the page caches are keyed on. (A changed target value is
recomputed through tasks_app, and the recompute bumps the version.)"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from targets.models import Department, Measure, Responsibility, Section
from uploads.models import QuarterApproval

from .models import StatusOverride
from .services import bump_version


@receiver([post_save, post_delete], sender=QuarterApproval)
@receiver([post_save, post_delete], sender=StatusOverride)
@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Department)
@receiver([post_save, post_delete], sender=Measure)
@receiver([post_save, post_delete], sender=Responsibility)
def plan_or_judgement_changed(sender, **kwargs):
    transaction.on_commit(bump_version)
