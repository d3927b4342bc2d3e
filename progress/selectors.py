"""Reads of the Progress table for pages, exports and the API: whole quarters at a time, a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Max, Q, QuerySet

from targets.models import Target
from targets.selectors import plan_end

from .choices import YearState
from .models import Progress, StatusOverride
from .services import FIRST_YEAR

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
    "year_state": "year_state",
    "years_met": "years_met",
    "years_due": "years_due",
    # Where the actual value comes from: its quarter (earlier when carried forward), its upload and the note with it.
    "actual_year": "actual_year",
    "actual_quarter": "actual_quarter",
    "upload": "actual_observation__upload_id",
    "note": "actual_observation__note",
}
_TEXT_COLUMNS = {"target_code", "area_code", "status", "year_state", "note"}
_WHOLE_COLUMNS = {"actual_year", "actual_quarter", "upload", "years_met", "years_due"}


# What an export row holds: the columns above, then a yearly duty's years so far.
EXPORT_FIELDS = [*EXPORT_COLUMNS, "year_record"]


def _export_value(name: str, value):
    if name in _TEXT_COLUMNS:
        return value or ""
    if value is None:
        return ""
    return value if name in _WHOLE_COLUMNS else round(value, 6)


def progress_export_rows(*, year: int, quarter: int) -> list[dict]:
    """One quarter of the Progress table, in plan order and area order, numbers rounded to 6 decimals; a yearly duty's
    rows also list each of its years so far (`year_record`: "2022 met; 2023 missed; 2024 met; 2025 not_due")."""
    rows = (
        Progress.objects.filter(year=year, quarter=quarter)
        .order_by("target__order", "area__order")
        .values_list("target_id", "area_id", *EXPORT_COLUMNS.values())
    )
    records = yearly_records(year=year, quarter=quarter)
    return [
        {
            **{name: _export_value(name, value) for name, value in zip(EXPORT_COLUMNS, values, strict=True)},
            "year_record": "; ".join(f"{y.year} {y.state or '?'}" for y in records.get((target_id, area_id), [])),
        }
        for target_id, area_id, *values in rows
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


@dataclass(frozen=True)
class YearOfDuty:
    """One year of a yearly duty for one area, as it stands at the quarter asked for: a finished year as its fourth
    quarter left it (its verdict), the year of that quarter as it stands then."""

    year: int
    state: str | None  # a YearState code (met | missed | not_due | no_data); None where no row was computed
    value: float | None  # the year's judged value: its latest report up to the deadline's quarter
    expected: float | None  # the year's 序时进度 value at that quarter (the target once it is due)
    target: float | None
    deadline: datetime.date

    @property
    def symbol(self) -> str:
        return YearState(self.state).symbol if self.state else "?"


def yearly_records(
    *, year: int, quarter: int, target_ids=None, area_ids=None
) -> dict[tuple[int, int], list[YearOfDuty]]:
    """Every yearly duty's years so far, per (target id, area id), as they stand at (year, quarter): one query (the
    year's own row and the fourth quarter of each earlier year, with the duty's years and deadline)."""
    rows = Progress.objects.filter(target__recurrence=Target.Recurrence.YEARLY, year__lte=year).filter(
        Q(quarter=4, year__lt=year) | Q(year=year, quarter=quarter)
    )
    if target_ids is not None:
        rows = rows.filter(target_id__in=list(target_ids))
    if area_ids is not None:
        rows = rows.filter(area_id__in=list(area_ids))
    duty = ("target__first_year", "target__last_year", "target__deadline_in_year")
    values = ("year_state", "actual", "expected", "target_value")
    found: dict[tuple[int, int], dict[int, tuple]] = {}
    duties: dict[int, Target] = {}
    for target_id, area_id, row_year, first, last, day, *judged in rows.values_list(
        "target_id", "area_id", "year", *duty, *values
    ):
        duties.setdefault(target_id, Target(first_year=first, last_year=last, deadline_in_year=day))
        found.setdefault((target_id, area_id), {})[row_year] = judged
    return {
        (target_id, area_id): [
            YearOfDuty(y, *years.get(y, (None,) * len(values)), deadline=duties[target_id].year_deadline(y))
            for y in range(duties[target_id].first_year, min(year, duties[target_id].last_year) + 1)
        ]
        for (target_id, area_id), years in found.items()
    }


def yearly_record(*, target, area, year: int, quarter: int) -> list[YearOfDuty]:
    """One yearly duty's years so far for one area, as they stand at (year, quarter), oldest first: the record a
    report lists (2022 met · 2023 missed · 2024 met · 2025 not yet due). Empty for a target that does not recur."""
    records = yearly_records(year=year, quarter=quarter, target_ids=[target.pk], area_ids=[area.pk])
    return records.get((target.pk, area.pk), [])


def year_strip(record: list[YearOfDuty]) -> str:
    """2022 ✓ · 2023 ✗ · 2024 ✓ · 2025 …"""
    return " · ".join(f"{y.year} {y.symbol}" for y in record)


def latest_quarter() -> tuple[int, int] | None:
    """The latest quarter the Progress table holds (one query, on the (year, quarter, status) index)."""
    row = Progress.objects.order_by("-year", "-quarter").values_list("year", "quarter").first()
    return (int(row[0]), int(row[1])) if row else None


def latest_reported_quarter(latest: tuple[int, int]) -> tuple[int, int] | None:
    """The latest quarter a judged value comes from: the grid runs on to `latest` carrying each value forward, so the
    latest quarter's rows name it (one aggregate over that quarter, on the (year, quarter, status) index)."""
    rows = Progress.objects.filter(year=latest[0], quarter=latest[1])
    found = rows.aggregate(source=Max(F("actual_year") * 4 + F("actual_quarter") - 1))["source"]
    return None if found is None else (int(found) // 4, int(found) % 4 + 1)


def opening_quarter(
    latest: tuple[int, int], reported: tuple[int, int] | None, end: tuple[int, int] | None
) -> tuple[int, int]:
    """The quarter pages and reports open on: the latest with data that lies within the plan period. The grid
    (`latest`) runs on to the last closed quarter, carrying values forward; past the plan's end it is the final
    assessment, which a reader chooses rather than lands on."""
    opening = min(latest, reported or latest)
    if end is not None:  # the plan's last quarter
        opening = min(opening, end)
    return max(opening, (FIRST_YEAR, 1))


def default_quarter() -> tuple[int, int] | None:
    """opening_quarter from the database (three small queries); None while nothing has been computed."""
    latest = latest_quarter()
    if latest is None:
        return None
    return opening_quarter(latest, latest_reported_quarter(latest), plan_end())
