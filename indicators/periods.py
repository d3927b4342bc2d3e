"""Quarters as Chinese statistics count them: values are year-to-date (1–3月, 1–6月, 1–9月, 全年)."""

import datetime

from django.conf import settings
from django.utils import timezone

BASELINE_YEAR = 2020
YTD_LABELS = {1: "1—3月", 2: "1—6月", 3: "1—9月", 4: "全年"}


def quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def submission_deadline(year: int, quarter: int) -> datetime.date:
    """Uploads are due settings.UPLOAD_DEADLINE_DAYS days after the quarter ends (default the 15th day)."""
    return quarter_end(year, quarter) + datetime.timedelta(days=settings.UPLOAD_DEADLINE_DAYS)


def today() -> datetime.date:
    return timezone.localdate()


def latest_closed_quarter(on: datetime.date | None = None) -> tuple[int, int]:
    """The last quarter that has ended on the given day (today by default)."""
    on = on or today()
    quarter = (on.month - 1) // 3  # quarters fully behind us this year
    return (on.year, quarter) if quarter else (on.year - 1, 4)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def quarters_between(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    out, (year, quarter) = [], start
    while (year, quarter) <= end:
        out.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return out


def period_label(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度（{YTD_LABELS[quarter]}）"
