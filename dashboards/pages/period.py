"""The plan period on every page: once the chosen quarter lies past the plan's last quarter, the page says that the
plan period has ended and that what it shows is the final assessment, with the province's tally and a link back to
the plan's last quarter."""

from __future__ import annotations

from progress.choices import Status

from ..filters import Filters, quarter_label
from ..selectors import PlanMeta
from .frames import known, quarter_frame
from .labels import shown_status


def plan_period(meta: PlanMeta, filters: Filters) -> dict | None:
    """What the page header says past the plan period (None within it): the end, the province's targets achieved and
    overdue in the chosen quarter (every target is judged against its final value there), the link to the end."""
    if not filters.after_plan:
        return None
    end = filters.plan_end
    rows = known(meta, quarter_frame(filters.year, filters.quarter))
    shown = shown_status(rows[rows["area_id"] == meta.province_id])
    return {
        "end": quarter_label(*end),
        "end_query": filters.at_quarter(end),
        "achieved": int((shown == Status.ACHIEVED.value).sum()),
        "overdue": int((shown == Status.OVERDUE.value).sum()),
        "assessed": len(shown),
    }
