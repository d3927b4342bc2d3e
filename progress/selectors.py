"""Reads of the Progress table for pages, exports and the API: whole quarters at a time, a fixed number of queries."""

from django.db.models import QuerySet

from .models import Progress, StatusOverride

# Export column → the Progress field it reads.
EXPORT_COLUMNS = {
    "target_code": "target__code",
    "area_code": "area__code",
    "actual": "actual",
    "baseline": "baseline",
    "target": "target_value",
    "expected": "expected",
    "time_share": "time_share",
    "progress_ratio": "progress_ratio",
    "gap": "gap",
    "status": "status",
    "projection": "projection",
}
_TEXT_COLUMNS = {"target_code", "area_code", "status"}


def progress_export_rows(*, year: int, quarter: int) -> list[dict]:
    """One quarter of the Progress table, in plan order and area order, numbers rounded to 6 decimals."""
    rows = (
        Progress.objects.filter(year=year, quarter=quarter)
        .order_by("target__order", "area__order")
        .values_list(*EXPORT_COLUMNS.values())
    )
    return [
        {
            name: value if name in _TEXT_COLUMNS else ("" if value is None else round(value, 6))
            for name, value in zip(EXPORT_COLUMNS, values, strict=True)
        }
        for values in rows
    ]


def progress_for(
    *,
    user,
    year: int | None = None,
    quarter: int | None = None,
    area=None,
    target=None,
    department=None,
    status: str | None = None,
) -> QuerySet:
    """Progress rows the user may see (a city officer: their city and its counties), in the order of the table's
    unique key, with target and area codes joined in. `department`: targets of the paragraphs it leads or joins."""
    rows = Progress.objects.filter(user.area_filter("area")).select_related("target", "area")
    filters = {"year": year, "quarter": quarter, "area": area, "target": target, "status": status}
    rows = rows.filter(**{field: value for field, value in filters.items() if value is not None})
    if department is not None:
        rows = rows.filter(target__measure__responsibilities__department=department)
    return rows.order_by("target_id", "area_id", "year", "quarter")


def overrides_for(rows) -> dict[tuple[int, int, int, int], StatusOverride]:
    """The administrators' status overrides of these Progress rows, by (target, area, year, quarter): one query."""
    rows = list(rows)
    if not rows:
        return {}
    overrides = StatusOverride.objects.filter(
        target_id__in={r.target_id for r in rows},
        area_id__in={r.area_id for r in rows},
        year__in={r.year for r in rows},
        quarter__in={r.quarter for r in rows},
    )
    return {(o.target_id, o.area_id, o.year, o.quarter): o for o in overrides}
