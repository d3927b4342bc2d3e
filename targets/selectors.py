"""Reads of the plan that pages, the API and exports share."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Max, Prefetch, QuerySet

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


# export_plan's columns, and the report's plan sheet: one row per commitment.
PLAN_COLUMNS = [
    "code",
    "area_code",
    "section",
    "name",
    "indicator",
    "comparator",
    "target_value",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "recurrence",
    "first_year",
    "last_year",
    "deadline_in_year",
    "scope",
    "lead_departments",
    "cooperating_departments",
    "special_column",
    "source_text",
]


def plan_export_rows(targets=None, *, province_code: str = "210000"):
    """One row per commitment: the province-level row of each target (area_code = the province), then a row for each
    area the plan gives a value of its own (沈阳 30 %, 大连 40 %, pipe kilometres per city …), with that value and the
    same sentence. `targets` defaults to the whole plan, from targets_with_responsibility()."""
    for target in targets if targets is not None else targets_with_responsibility():
        lead, cooperating = departments_by_role(target)
        own = list(target.area_values.all())
        area_values = "; ".join(f"{v.area.name} {v.value:g}" for v in own)
        deadline = target.comparator == Target.Comparator.DONE_BY
        row = {
            "code": target.code,
            "area_code": province_code,
            "section": f"{target.section.code} {target.section.title}",
            "name": target.name,
            "indicator": target.indicator.code,
            "comparator": target.comparator,
            "target_value": target.deadline.isoformat() if deadline else f"{target.value:g}",
            "unit": target.unit,
            "baseline_year": target.baseline_year or "",
            "baseline_value": "" if target.baseline_value is None else f"{target.baseline_value:g}",
            "target_year": target.target_year,
            "recurrence": target.recurrence,
            "first_year": target.first_year or "",
            "last_year": target.last_year or "",
            "deadline_in_year": target.deadline_in_year,
            "scope": target.scope + (f" ({area_values})" if area_values else ""),
            "lead_departments": ";".join(d.name for d in lead),
            "cooperating_departments": ";".join(d.name for d in cooperating),
            "special_column": f"专栏{target.special_column.number}" if target.special_column else "",
            "source_text": target.source_text,
        }
        yield row
        for value in own:
            # A dated commitment's named areas must complete by the same deadline (their value is 100 %).
            yield {
                **row,
                "area_code": value.area.code,
                "target_value": row["target_value"] if deadline else f"{value.value:g}",
            }


def last_quarter_of(years: Iterable, deadlines: Iterable) -> tuple[int, int] | None:
    """The last quarter of the plan period: the latest of its years (a target year, or a yearly duty's last year,
    ends with its Q4) and its deadlines (their own quarter). None for a plan without either."""
    ends = [(int(y), 4) for y in years if y == y and y is not None]  # y == y: not NaN
    ends += [(d.year, (d.month - 1) // 3 + 1) for d in deadlines if isinstance(d, date)]
    return max(ends, default=None)


def plan_end() -> tuple[int, int] | None:
    """The last quarter of the plan in the database (one aggregate)."""
    found = Target.objects.aggregate(year=Max("target_year"), last=Max("last_year"), deadline=Max("deadline"))
    return last_quarter_of([found["year"], found["last"]], [found["deadline"]])
