"""Reads of the Progress table for pages, exports and the API: whole quarters at a time, a fixed number of queries."""

from .models import Progress

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
    # Where the actual value comes from: its quarter (earlier when carried forward), its upload and the note with it.
    "actual_year": "actual_year",
    "actual_quarter": "actual_quarter",
    "upload": "actual_observation__upload_id",
    "note": "actual_observation__note",
}
_TEXT_COLUMNS = {"target_code", "area_code", "status", "note"}
_WHOLE_COLUMNS = {"actual_year", "actual_quarter", "upload"}


def progress_export_rows(*, year: int, quarter: int) -> list[dict]:
    """One quarter of the Progress table, in plan order and area order, numbers rounded to 6 decimals."""
    rows = (
        Progress.objects.filter(year=year, quarter=quarter)
        .order_by("target__order", "area__order")
        .values_list(*EXPORT_COLUMNS.values())
    )
    return [
        {
            name: (value or "")
            if name in _TEXT_COLUMNS
            else ("" if value is None else value if name in _WHOLE_COLUMNS else round(value, 6))
            for name, value in zip(EXPORT_COLUMNS, values, strict=True)
        }
        for values in rows
    ]
