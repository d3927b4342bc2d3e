"""Status overrides in the audit trail, with the judgement before and after, whichever door made them (the admin
site or progress.services.override_status). The history of each override is also kept by django-simple-history."""

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from audit.models import Kind
from audit.services import record

from .models import StatusOverride


def _state(override: StatusOverride) -> dict:
    return {"status": override.status, "reason": override.reason}


def _request():
    return getattr(HistoricalRecords.context, "request", None)  # set by simple-history's middleware on a web request


@receiver(post_init, sender=StatusOverride)
def remember(sender, instance, **kwargs):
    loaded = instance.pk is not None and {"status", "reason"} <= instance.__dict__.keys()
    instance._audited_state = _state(instance) if loaded else None


def _record(override: StatusOverride, before, after, verb: str, actor) -> None:
    record(
        Kind.OVERRIDE,
        f"{override.target.code} {override.area.name}{override.year}年第{override.quarter}季度状态人工认定{verb}",
        actor=actor,
        request=_request(),
        area=override.area,
        year=override.year,
        quarter=override.quarter,
        obj=override,
        before=before,
        after=after,
    )


@receiver(post_save, sender=StatusOverride)
def override_saved(sender, instance, created, **kwargs):
    before, after = instance._audited_state, _state(instance)
    if before != after:
        _record(instance, before, after, "（新增）" if created else "（修改）", instance.created_by)
    instance._audited_state = after


@receiver(post_delete, sender=StatusOverride)
def override_deleted(sender, instance, **kwargs):
    request = _request()
    actor = request.user if request is not None and request.user.is_authenticated else None
    _record(instance, _state(instance), None, "（撤销）", actor)
