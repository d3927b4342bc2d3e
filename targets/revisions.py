"""Plan revisions: a person's change to a field of the plan, with its reason and 文号, and the rule that keeps the
fixture loader from undoing it silently.

The plan has one writer per field. load_plan writes every field from fixtures/plan, except a field whose latest
revision still stands (the database holds the revised value): there the fixture's value is a conflict, listed and
left alone unless load_plan is told to overwrite revisions (and then the overwrite is a revision too)."""

import datetime
from dataclasses import dataclass

from django.db import models

from audit.models import Kind
from audit.services import entry, record_many

from .models import PlanRevision, Responsibility, SpecialColumn, TargetAreaValue


def as_json(value):
    """A field value as a revision stores it, so a stored revision and a live value compare equal."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def revision_key(obj: models.Model) -> str:
    """How a revision names the object: its code (a special column its number; a per-area value
    "target@area code"; a responsibility "paragraph@department")."""
    if isinstance(obj, TargetAreaValue):
        return f"{obj.target.code}@{obj.area.code}"
    if isinstance(obj, Responsibility):
        return f"{obj.measure.code}@{obj.department.code}"
    if isinstance(obj, SpecialColumn):
        return str(obj.number)
    return str(obj.code)


def model_label(model: type[models.Model]) -> str:
    return model._meta.model_name


def record_revisions(
    obj: models.Model, before: dict, *, reason: str, document_number: str, user, source=PlanRevision.Source.ADMIN
) -> list[PlanRevision]:
    """One revision per field whose value differs from `before` ({attname: value}; an absent object is {})."""
    key, label = revision_key(obj), model_label(type(obj))
    rows = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or (field.attname not in before and before):
            continue
        old = as_json(before.get(field.attname))
        new = as_json(getattr(obj, field.attname)) if obj.pk is not None else None
        if old != new:
            rows.append(
                PlanRevision(
                    model=label,
                    object_key=key,
                    field=field.attname,
                    old_value=old,
                    new_value=new,
                    reason=reason,
                    document_number=document_number,
                    source=source,
                    revised_by=user,
                )
            )
    return _audited(PlanRevision.objects.bulk_create(rows), user)


def _audited(revisions: list[PlanRevision], user) -> list[PlanRevision]:
    """Each revision in the audit trail too, with the field's value before and after."""
    record_many(
        [
            entry(
                Kind.PLAN_REVISION,
                f"方案修订 {r.object_key} · {r.field}：{r.old_value!r} → {r.new_value!r}"
                f"（文号 {r.document_number or '—'}：{r.reason}）",
                actor=user,
                actor_name="load_plan" if user is None else "",
                object_type=r.model,
                object_id=r.object_key,
                before={r.field: r.old_value},
                after={r.field: r.new_value, "reason": r.reason, "document_number": r.document_number},
            )
            for r in revisions
        ]
    )
    return revisions


def field_values(obj: models.Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


@dataclass(frozen=True)
class Conflict:
    model: str
    object_key: str
    field: str
    revised: object  # the value the revision set, still in the database
    fixture: object  # what fixtures/plan says
    revision: PlanRevision

    def __str__(self):
        when = self.revision.revised_at.strftime("%Y-%m-%d")
        who = self.revision.revised_by.username if self.revision.revised_by_id else "—"
        return (
            f"{self.model} {self.object_key} · {self.field}: 修订值 revised {self.revised!r}（{who} {when}，"
            f"文号 {self.revision.document_number or '—'}：{self.revision.reason}）≠ 方案数据 fixture {self.fixture!r}"
        )


def standing_revisions(model: type[models.Model]) -> dict[tuple[str, str], PlanRevision]:
    """The latest revision of each (object, field) of a model."""
    latest: dict[tuple[str, str], PlanRevision] = {}
    for revision in PlanRevision.objects.filter(model=model_label(model)).select_related("revised_by"):
        latest.setdefault((revision.object_key, revision.field), revision)  # newest first (Meta.ordering)
    return latest


class RevisionGuard:
    """Asked by the loader before it writes a field: may the fixture's value replace the database's?"""

    def __init__(self, model: type[models.Model], *, overwrite: bool, conflicts: list, overwritten: list):
        self.model, self.overwrite = model, overwrite
        self.conflicts, self.overwritten = conflicts, overwritten
        self.standing = standing_revisions(model)

    def keeps(self, key: str, field: str, current, wanted) -> bool:
        """True when the field must keep its revised value (a conflict is recorded, or the overwrite is)."""
        revision = self.standing.get((key, field))
        if revision is None or revision.new_value != as_json(current) or as_json(wanted) == as_json(current):
            return False
        conflict = Conflict(model_label(self.model), key, field, as_json(current), as_json(wanted), revision)
        if self.overwrite:
            self.overwritten.append(conflict)
            return False
        self.conflicts.append(conflict)
        return True


def record_overwrites(conflicts: list[Conflict]) -> None:
    """load_plan --overwrite-revisions: the fixture's value replaced a revision; that is a revision too."""
    revisions = PlanRevision.objects.bulk_create(
        PlanRevision(
            model=c.model,
            object_key=c.object_key,
            field=c.field,
            old_value=c.revised,
            new_value=c.fixture,
            reason="load_plan --overwrite-revisions：以方案数据覆盖人工修订",
            source=PlanRevision.Source.FIXTURE_OVERWRITE,
        )
        for c in conflicts
    )
    _audited(revisions, None)
