"""The Progress rows a page starts from (cached per quarter and progress version), and the roll-ups of them as shown
(an administrator's override replaces the computed status)."""

from __future__ import annotations

import pandas as pd

from progress.choices import Status
from progress.rollup import rollup

from ..cache import versioned
from ..filters import Filters
from ..selectors import PlanMeta, quarter_progress
from .labels import shown_status


def quarter_frame(year: int, quarter: int) -> pd.DataFrame:
    return versioned("quarter", (year, quarter), lambda: quarter_progress(year, quarter))


def known(meta: PlanMeta, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of targets and areas the (cached) plan metadata knows: the two caches may briefly disagree after a plan
    edit, and a page then leaves the new row out rather than fail."""
    return rows[rows["target_id"].isin(meta.targets.index) & rows["area_id"].isin(meta.areas.index)]


def quarter_rows(meta: PlanMeta, filters: Filters) -> pd.DataFrame:
    """The chosen quarter's rows with the status shown (`shown`), in the plan's order of targets."""
    rows = known(meta, quarter_frame(filters.year, filters.quarter))
    rows = rows.assign(shown=shown_status(rows))
    order = meta.targets["order"]
    return rows.assign(_order=rows["target_id"].map(order)).sort_values(["_order", "area_id"], kind="stable")


def rollup_shown(rows: pd.DataFrame, key: str) -> pd.DataFrame:
    """progress.rollup.rollup on the statuses as shown, grouped by the rows' own `key` column."""
    frame = rows.assign(status=rows["shown"]).drop(columns=[key])
    groups = rows[["target_id", "area_id", key]]
    return rollup(frame, groups, key)


def status_counts(shown: pd.Series, keys: pd.Series, categories: list) -> dict[str, list[int]]:
    """For each status (worst first), how many rows of each category show it: {status: [count per category]}."""
    return {
        s.value: [int(((keys == category) & (shown == s.value)).sum()) for category in categories]
        for s in Status.worst_first()
    }


def counts_of(row) -> dict[str, int]:
    """A roll-up row's count per status (worst first)."""
    return {s.value: int(getattr(row, s.value)) for s in Status.worst_first()}
