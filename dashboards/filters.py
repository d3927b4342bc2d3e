"""The filters the dashboards share (quarter, section, department, special column, city), read from the URL's GET
parameters and written back to it, so that any view can be shared as a link. Unknown or stale values are dropped
rather than refused: a shared link keeps working after the plan changes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.utils.translation import gettext as _

from indicators.periods import quarters_between
from progress.selectors import opening_quarter
from progress.services import FIRST_YEAR

from .selectors import PlanMeta

QUARTER_PATTERN = re.compile(r"^(\d{4})[Qq]([1-4])$")
COMMON = ("quarter", "section", "department", "special_column", "city")


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}


def all_quarters(latest: tuple[int, int]) -> list[tuple[int, int]]:
    """Every quarter of the Progress grid (FIRST_YEAR Q1 … latest), oldest first."""
    return quarters_between((FIRST_YEAR, 1), latest)


@dataclass(frozen=True)
class Filters:
    year: int
    quarter: int
    latest: tuple[int, int]
    section: str = ""
    department: str = ""
    special_column: int | None = None
    city: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())
    opening: tuple[int, int] | None = None  # the quarter a page opens on (default: latest)
    plan_end: tuple[int, int] | None = None  # the last quarter of the plan period

    @property
    def default(self) -> tuple[int, int]:
        return self.opening or self.latest

    @property
    def after_plan(self) -> bool:
        """The chosen quarter lies past the plan period: the final assessment."""
        return self.plan_end is not None and self.period > self.plan_end

    @property
    def period(self) -> tuple[int, int]:
        return (self.year, self.quarter)

    @property
    def quarter_code(self) -> str:
        return quarter_code(self.year, self.quarter)

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.year, self.quarter)

    def get(self, name: str, default: str = "") -> str:
        return dict(self.extra).get(name, default)

    def params(self, **changes) -> dict[str, str]:
        """The GET parameters of this view (empty ones left out), with `changes` applied (None or "" removes)."""
        values = {
            "quarter": self.quarter_code if self.period != self.default else "",
            "section": self.section,
            "department": self.department,
            "special_column": "" if self.special_column is None else str(self.special_column),
            "city": self.city,
            **dict(self.extra),
        }
        for name, value in changes.items():
            values[name] = "" if value is None else str(value)
        return {name: value for name, value in values.items() if value}

    def query(self, **changes) -> str:
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def cache_parts(self) -> tuple:
        return (
            self.year, self.quarter, self.section, self.department, self.special_column, self.city, self.extra,
            self.default,
        )  # fmt: skip

    def at_quarter(self, period: tuple[int, int]) -> str:
        """This view's link in another quarter (without a parameter for the quarter pages open on)."""
        return self.query(quarter=None if period == self.default else quarter_code(*period))

    def neighbours(self) -> tuple[str | None, str | None]:
        """Links to the previous and next quarter (None at either end of the grid)."""
        quarters = all_quarters(self.latest)
        try:
            index = quarters.index(self.period)
        except ValueError:
            return None, None
        previous = self.at_quarter(quarters[index - 1]) if index > 0 else None
        following = self.at_quarter(quarters[index + 1]) if index + 1 < len(quarters) else None
        return previous, following


def parse_filters(
    query,
    meta: PlanMeta,
    latest: tuple[int, int],
    extra: dict[str, Callable[[str], bool]] | None = None,
    *,
    reported: tuple[int, int] | None = None,
) -> Filters:
    """Filters from a QueryDict: the quarter defaults to the latest one with data within the plan period (`reported`:
    the latest quarter a value comes from); a value that does not name a section, department, special column or
    reporting area is ignored. `extra` validates page-specific parameters."""
    plan_end = meta.plan_end
    opening = opening_quarter(latest, reported, plan_end)
    year, quarter = opening
    match = QUARTER_PATTERN.match(query.get("quarter", "").strip())
    if match:
        asked = (int(match.group(1)), int(match.group(2)))
        if (FIRST_YEAR, 1) <= asked <= latest:
            year, quarter = asked
    section = query.get("section", "").strip()
    if section not in meta.sections.index:
        section = ""
    department = query.get("department", "").strip()
    if department not in meta.departments.index:
        department = ""
    special_column = None
    raw_column = query.get("special_column", "").strip()
    if raw_column.isdigit() and int(raw_column) in meta.special_columns.index:
        special_column = int(raw_column)
    city = query.get("city", "").strip()
    reporting = meta.areas.loc[meta.reporting_area_ids, "code"].tolist()
    if city not in reporting:
        city = ""
    checked = []
    for name, valid in (extra or {}).items():
        value = query.get(name, "").strip()
        if value and valid(value):
            checked.append((name, value))
    return Filters(
        year=year,
        quarter=quarter,
        latest=latest,
        section=section,
        department=department,
        special_column=special_column,
        city=city,
        extra=tuple(checked),
        opening=opening,
        plan_end=plan_end,
    )


def filter_target_ids(meta: PlanMeta, filters: Filters, *, ids: Iterable[int] | None = None) -> list[int]:
    """The targets (in plan order) that the section, department and special-column filters keep."""
    targets = meta.targets if ids is None else meta.targets.loc[[i for i in meta.targets.index if i in set(ids)]]
    keep = pd.Series(True, index=targets.index)
    if filters.section:
        prefix = filters.section + "."
        sections = targets["section"]
        keep &= (sections == filters.section) | sections.str.startswith(prefix)
    if filters.department:
        holders = meta.responsibilities.loc[meta.responsibilities["department"] == filters.department, "target_id"]
        keep &= targets.index.isin(holders)
    if filters.special_column is not None:
        keep &= targets["special_column"] == filters.special_column
    return [int(i) for i in targets.index[keep]]
