"""Times as people in Liaoning read them: Beijing time (settings.TIME_ZONE), ISO 8601 with the offset in files."""

import datetime

from django.utils import timezone


def local_iso(moment: datetime.datetime | None) -> str:
    """2025-01-10T09:30:00+08:00; empty for no time."""
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")
