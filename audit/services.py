"""Recording into the audit trail. Every app calls `record` where the thing happens (a service, a view, a receiver);
areas and objects are passed as they are and kept as codes and ids, so this app imports none of them."""

from django.db import models

from .models import AuditEntry


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def entry(
    kind: str,
    summary: str,
    *,
    actor=None,
    actor_name: str = "",
    request=None,
    area=None,
    year: int | None = None,
    quarter: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id="",
    before=None,
    after=None,
) -> AuditEntry:
    """An unsaved entry. `actor` is a user (or None); `area` anything with `code` and `name` (an Area); `obj` a
    saved model instance (or give `object_type` and `object_id`)."""
    # A DRF Request authenticates when its `user` is read, and a failed authentication is itself recorded here: read
    # the underlying Django request's user (the session's) instead, so recording never re-enters authentication.
    request = getattr(request, "_request", request)
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type, object_id = obj._meta.model_name, obj.pk
    return AuditEntry(
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
        actor_role=getattr(actor, "role", "") or "",
        kind=kind,
        area_code=getattr(area, "code", "") or "",
        area_name=getattr(area, "name", "") or "",
        year=year,
        quarter=quarter,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        summary=summary[:500],
        before=before,
        after=after,
        ip_address=_client_ip(request),
    )


def record(kind: str, summary: str, **details) -> AuditEntry:
    """Append one entry (the arguments of `entry`)."""
    audit = entry(kind, summary, **details)
    audit.save()
    return audit


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append several entries in one statement (plan revisions come in batches)."""
    return AuditEntry.objects.bulk_create(entries)
