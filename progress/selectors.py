"""Reads of the Progress table for pages, exports and the API: whole quarters at a time, a fixed number of queries."""

from .models import Progress


def _number(value):
    return "" if value is None else round(value, 6)


def progress_export_rows(*, year: int, quarter: int) -> list[dict]:
    rows = (
        Progress.objects.filter(year=year, quarter=quarter)
        .order_by("target__order", "area__order")
        .values_list(
            "target__code",
            "area__code",
            "actual",
            "baseline",
            "target_value",
            "expected",
            "time_share",
            "progress_ratio",
            "gap",
            "status",
            "projection",
        )
    )
    names = [
        "target_code",
        "area_code",
        "actual",
        "baseline",
        "target",
        "expected",
        "time_share",
        "progress_ratio",
        "gap",
        "status",
        "projection",
    ]
    out = []
    for values in rows:
        row = dict(zip(names, values, strict=True))
        for key in ("actual", "baseline", "target", "expected", "time_share", "progress_ratio", "gap", "projection"):
            row[key] = _number(row[key])
        out.append(row)
    return out
