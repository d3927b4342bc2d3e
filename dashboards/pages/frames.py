"""The Progress rows a page starts from (cached per quarter and progress version), and the roll-ups of them as shown
(an administrator's override replaces the computed status)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.models import Area
from progress.choices import Status
from progress.rollup import rollup
from uploads.approval import approved_periods

from ..cache import versioned
from ..filters import Filters
from ..selectors import PlanMeta, quarter_progress
from .labels import shown_status


def quarter_frame(year: int, quarter: int) -> pd.DataFrame:
    return versioned("quarter", (year, quarter), lambda: quarter_progress(year, quarter))


def approved_set(meta: PlanMeta) -> set[tuple[int, int, int]]:
    """(area id, year, quarter) of every approved quarter (one query); an approval bumps the progress version, so
    this follows it."""
    areas = meta.areas
    county = (areas["level"] == Area.Level.COUNTY) & areas["parent_id"].notna()
    unit = areas["parent_id"].where(county, areas.index.to_series()).astype(int)
    units = {int(a): int(u) for a, u in unit.items()}
    return versioned("approved", (), lambda: approved_periods(units))


def with_approval(meta: PlanMeta, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with `approved`: False where the actual shown rests on a quarter the province has not approved (a
    value summed from the cities: unless every reporting area's quarter is approved). True where there is no actual."""
    approved = approved_set(meta)
    cities = meta.reporting_area_ids
    complete = {(y, q) for _a, y, q in approved if all((a, y, q) in approved for a in cities)}
    year, quarter = rows["actual_year"].fillna(0).astype(int), rows["actual_quarter"].fillna(0).astype(int)
    own = pd.MultiIndex.from_arrays([rows["area_id"].astype(int), year, quarter]).isin(list(approved or [(0, 0, 0)]))
    whole = pd.MultiIndex.from_arrays([year, quarter]).isin(list(complete or [(0, 0)]))
    flags = np.where(rows["actual_year"].isna(), True, np.where(rows["actual_derived_from"].notna(), whole, own))
    return rows.assign(approved=flags.astype(bool))


def known(meta: PlanMeta, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of targets and areas the (cached) plan metadata knows: the two caches may briefly disagree after a plan
    edit, and a page then leaves the new row out rather than fail."""
    return rows[rows["target_id"].isin(meta.targets.index) & rows["area_id"].isin(meta.areas.index)]


def quarter_rows(meta: PlanMeta, filters: Filters) -> pd.DataFrame:
    """The chosen quarter's rows with the status shown (`shown`), in the plan's order of targets."""
    rows = with_approval(meta, known(meta, quarter_frame(filters.year, filters.quarter)))
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
