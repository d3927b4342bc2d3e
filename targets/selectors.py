"""Reads of the plan that pages, the API and exports share."""

from django.db.models import Prefetch, QuerySet

from .models import Responsibility, Target


def targets_with_responsibility(
    *,
    section_code: str | None = None,
    department_code: str | None = None,
    special_column: int | None = None,
    target_year: int | None = None,
) -> QuerySet:
    """Targets in plan order with everything a listing shows, in a fixed number of queries."""
    targets = Target.objects.select_related(
        "section", "section__parent", "measure", "indicator", "special_column", "project"
    ).prefetch_related(
        Prefetch("measure__responsibilities", queryset=Responsibility.objects.select_related("department")),
        "area_values__area",
    )
    if section_code:
        targets = targets.filter(section__code__startswith=section_code).filter(
            section__code__regex=rf"^{section_code.replace('.', '[.]')}([.]|$)"
        )
    if department_code:
        targets = targets.filter(measure__responsibilities__department__code=department_code)
    if special_column:
        targets = targets.filter(special_column__number=special_column)
    if target_year:
        targets = targets.filter(target_year=target_year)
    return targets.distinct()


def departments_by_role(target: Target) -> tuple[list, list]:
    """(lead, cooperating) departments of a target, from its paragraph's clause; uses prefetched rows."""
    responsibilities = target.measure.responsibilities.all()
    lead = [r.department for r in responsibilities if r.role == Responsibility.Role.LEAD]
    cooperating = [r.department for r in responsibilities if r.role == Responsibility.Role.COOPERATING]
    return lead, cooperating
