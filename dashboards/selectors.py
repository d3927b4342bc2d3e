"""Reads for the dashboards: the plan's metadata and the Progress table as pandas frames.

Each function makes a fixed number of queries whatever the number of cities, targets or quarters (values_list into
frames, never a query per row), and none recomputes progress: pages read what progress.services wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from django.db.models import Q

from indicators.models import Area, Indicator
from progress.models import Progress, StatusOverride
from progress.selectors import yearly_records
from targets.models import Department, Responsibility, Section, SpecialColumn, Target
from targets.selectors import last_quarter_of
from uploads.models import Observation, Upload

REPORTING_LEVELS = Area.REPORTING_LEVELS
HEADLINE_SECTION = "1"  # 一、总体目标: the plan's headline targets

PROGRESS_FIELDS = [
    "target_id",
    "area_id",
    "year",
    "quarter",
    "actual",
    "actual_year",
    "actual_quarter",
    "actual_derived_from",
    "ytd_value",
    "yoy_change",
    "baseline",
    "baseline_source",
    "target_value",
    "time_share",
    "expected",
    "progress_ratio",
    "gap",
    "gap_share",
    "status",
    "projection",
    "projection_clipped",
    "projection_status",
    "schedule_ratio",
    "year_state",
    "years_met",
    "years_due",
]
OVERRIDE_FIELDS = ["target_id", "area_id", "year", "quarter", "override_status", "override_reason"]
INDICATOR_FIELDS = [
    "code",
    "name",
    "name_en",
    "unit",
    "unit_en",
    "kind",
    "direction",
    "min_value",
    "max_value",
    "max_change",
    "aggregation",
    "seasonal",
    "reported_by",
]


@dataclass
class PlanMeta:
    """The plan as the pages need it: small frames read once and cached (see views)."""

    targets: pd.DataFrame  # index target_id
    responsibilities: pd.DataFrame  # target_id, department, role
    departments: pd.DataFrame  # index code: name, name_en
    areas: pd.DataFrame  # index area_id: code, name, name_en, level, parent_id
    sections: pd.DataFrame  # index code: title, title_en, kind, theme
    special_columns: pd.DataFrame  # index number: title, title_en
    indicators: pd.DataFrame  # index indicator_id: INDICATOR_FIELDS

    @cached_property  # asked for by every cell of a heat map; kept with the frames (they never change once built)
    def province_id(self) -> int | None:
        ids = self.areas.index[self.areas["level"] == Area.Level.PROVINCE]
        return int(ids[0]) if len(ids) else None

    @cached_property
    def reporting_area_ids(self) -> list[int]:
        """The 14 cities and 沈抚示范区, in the plan's order."""
        return [int(i) for i in self.areas.index[self.areas["level"].isin(REPORTING_LEVELS)]]

    @property
    def plan_end(self) -> tuple[int, int] | None:
        """The last quarter of the plan period (targets.selectors.last_quarter_of). None before the plan is loaded."""
        targets = self.targets
        if targets.empty:
            return None
        years = pd.concat([targets["target_year"], targets["last_year"]]).dropna()
        return last_quarter_of(years.unique(), pd.to_datetime(targets["deadline"], errors="coerce").dropna().unique())

    def area_by_code(self, code: str) -> int | None:
        ids = self.areas.index[self.areas["code"] == code]
        return int(ids[0]) if len(ids) else None

    def target_by_code(self, code: str) -> int | None:
        ids = self.targets.index[self.targets["code"] == code]
        return int(ids[0]) if len(ids) else None

    def in_english(self) -> PlanMeta:
        """The same frames with every name, title and unit a page shows replaced by its curated English (the Chinese
        where the English is empty), so that each page reads `name`, `title` and `unit` whatever the language. The
        plan's own sentences (source_text) stay as written."""

        def swap(frame: pd.DataFrame, pairs: dict[str, str]) -> pd.DataFrame:
            frame = frame.copy()
            for shown, english in pairs.items():
                frame[shown] = frame[english].where(frame[english].fillna("").astype(bool), frame[shown])
            return frame

        indicators = swap(self.indicators, {"name": "name_en", "unit": "unit_en"})
        targets = swap(
            self.targets,
            {"name": "name_en", "unit": "unit_en", "value_display": "value_display_en", "project": "project_en"},
        )
        targets["indicator_name"] = targets["indicator_id"].map(indicators["name"])
        return PlanMeta(
            targets,
            self.responsibilities,
            swap(self.departments, {"name": "name_en"}),
            swap(self.areas, {"name": "name_en"}),
            swap(self.sections, {"title": "title_en"}),
            swap(self.special_columns, {"title": "title_en"}),
            indicators,
        )


def section_group(code: str) -> str:
    """The overview's grouping of a section: 一 (总体目标), each chapter of 二 (蓝天, 碧水 …), and 三 (保障措施)."""
    parts = code.split(".")
    return ".".join(parts[:2]) if parts[0] == "2" and len(parts) > 1 else parts[0]


def _value_display(comparator, value, deadline, unit, recurrence, deadline_in_year) -> str:
    """Target.value_display for a row of values (≤ 34 微克/立方米, ↓ 15%, ✓ 2025-12-31, ≥ 2 次（每年）)."""
    if comparator == Target.Comparator.DONE_BY and deadline is None:
        return ""
    if comparator != Target.Comparator.DONE_BY and (value is None or value != value):
        return ""
    goal = {"comparator": comparator, "value": value, "deadline": deadline, "unit": unit}
    return str(Target(**goal, recurrence=recurrence, deadline_in_year=deadline_in_year).value_display)


def plan_meta() -> PlanMeta:
    """Seven queries: targets (with section, indicator, special column), responsibilities, departments, areas,
    sections, special columns, indicators."""
    targets = _targets()
    clauses = pd.DataFrame.from_records(
        Responsibility.objects.order_by("measure_id", "order").values_list("measure_id", "department__code", "role"),
        columns=["measure_id", "department", "role"],
    )
    responsibilities = (
        targets[["measure_id"]]
        .reset_index()
        .merge(clauses, on="measure_id")
        .rename(columns={"id": "target_id"})[["target_id", "department", "role"]]
    )
    departments = pd.DataFrame.from_records(
        Department.objects.order_by("order", "pk").values_list("code", "name", "name_en"),
        columns=["code", "name", "name_en"],
    ).set_index("code")
    areas = pd.DataFrame.from_records(
        Area.objects.order_by("order", "code").values_list("id", "code", "name", "name_en", "level", "parent_id"),
        columns=["id", "code", "name", "name_en", "level", "parent_id"],
    ).set_index("id")
    sections = pd.DataFrame.from_records(
        Section.objects.order_by("order", "pk").values_list("code", "title", "title_en", "kind", "theme"),
        columns=["code", "title", "title_en", "kind", "theme"],
    ).set_index("code")
    special_columns = pd.DataFrame.from_records(
        SpecialColumn.objects.order_by("number").values_list("number", "title", "title_en"),
        columns=["number", "title", "title_en"],
    ).set_index("number")
    indicators = pd.DataFrame.from_records(
        Indicator.objects.order_by("order", "code").values_list("id", *INDICATOR_FIELDS),
        columns=["id", *INDICATOR_FIELDS],
    ).set_index("id")
    return PlanMeta(targets, responsibilities, departments, areas, sections, special_columns, indicators)


def _targets() -> pd.DataFrame:
    """Every target in the plan's order (one query), with its section, special column, project and indicator, its
    overview group and its goal as the pages write it; index target id."""
    target_fields = [
        "id",
        "code",
        "name",
        "name_en",
        "comparator",
        "value",
        "unit",
        "unit_en",
        "target_year",
        "deadline",
        "recurrence",
        "first_year",
        "last_year",
        "deadline_in_year",
        "baseline_year",
        "scope",
        "binding",
        "source_text",
        "source_offset",
        "order",
        "measure_id",
        "section__code",
        "special_column__number",
        "project__name",
        "project__name_en",
        "indicator_id",
        "indicator__code",
        "indicator__name",
        "indicator__seasonal",
        "indicator__direction",
    ]
    targets = pd.DataFrame.from_records(
        Target.objects.order_by("order", "pk").values(*target_fields), columns=target_fields
    ).rename(
        columns={
            "section__code": "section",
            "special_column__number": "special_column",
            "project__name": "project",
            "project__name_en": "project_en",
            "indicator__code": "indicator_code",
            "indicator__name": "indicator_name",
            "indicator__seasonal": "seasonal",
            "indicator__direction": "direction",
        }
    )
    targets["group"] = targets["section"].map(section_group)
    for column, unit in (("value_display", "unit"), ("value_display_en", "unit_en")):
        units = targets[unit].where(targets[unit].astype(bool), targets["unit"])  # no English unit: the Chinese one
        goals = zip(
            targets["comparator"], targets["value"], targets["deadline"], units, targets["recurrence"],
            targets["deadline_in_year"], strict=True,
        )  # fmt: skip
        targets[column] = [_value_display(*goal) for goal in goals]
    return targets.set_index("id")


def _frame(progress, overrides) -> pd.DataFrame:
    rows = pd.DataFrame.from_records(progress.values_list(*PROGRESS_FIELDS), columns=PROGRESS_FIELDS)
    judged = pd.DataFrame.from_records(
        overrides.values_list("target_id", "area_id", "year", "quarter", "status", "reason"), columns=OVERRIDE_FIELDS
    )
    rows = rows.merge(judged, on=["target_id", "area_id", "year", "quarter"], how="left")
    for column in ("override_status", "override_reason", "year_state"):
        rows[column] = rows[column].astype(object).where(rows[column].notna(), "")
    float_columns = [
        "actual",
        "ytd_value",
        "yoy_change",
        "baseline",
        "target_value",
        "time_share",
        "expected",
        "progress_ratio",
        "gap",
        "gap_share",
        "projection",
        "schedule_ratio",
        "actual_year",
        "actual_quarter",
        "actual_derived_from",
        "years_met",
        "years_due",
    ]
    rows[float_columns] = rows[float_columns].astype(float)
    rows["projection_clipped"] = rows["projection_clipped"].astype(bool)
    rows["projection_bound"] = _held_at(rows)
    return rows


def _held_at(rows: pd.DataFrame) -> pd.Series:
    """For a projection held to its indicator's valid range, the bound it sits at ("upper" | "lower"; "" for the
    others). The ranges are read only when some projection was held (one small query)."""
    bound = pd.Series("", index=rows.index, dtype=object)
    held = rows["projection_clipped"].to_numpy(dtype=bool)
    if not held.any():
        return bound
    ranges = Target.objects.values_list("id", "indicator__min_value", "indicator__max_value")
    ranges = pd.DataFrame.from_records(ranges, columns=["target_id", "low", "high"]).set_index("target_id")
    projection = rows.loc[held, "projection"]
    targets = rows.loc[held, "target_id"]
    high = targets.map(ranges["high"]).to_numpy(dtype=float)
    low = targets.map(ranges["low"]).to_numpy(dtype=float)
    upper = (projection - high).abs().to_numpy() <= (projection - low).abs().to_numpy()
    bound[held] = np.where(upper, "upper", "lower")
    return bound


def quarter_progress(year: int, quarter: int) -> pd.DataFrame:
    """Every Progress row of one quarter, with the administrator's override beside each and, for a yearly duty, the
    record of its years so far (`record`: progress.selectors.YearOfDuty, oldest first; empty otherwise): four
    queries."""
    rows = _frame(
        Progress.objects.filter(year=year, quarter=quarter),
        StatusOverride.objects.filter(year=year, quarter=quarter),
    )
    records = yearly_records(year=year, quarter=quarter)
    rows["record"] = [records.get(pair, []) for pair in zip(rows["target_id"], rows["area_id"], strict=True)]
    return rows


def progress_series(
    *, through: tuple[int, int], area_ids: list[int] | None = None, target_ids: list[int] | None = None
) -> pd.DataFrame:
    """Progress rows of every quarter up to `through` for the given areas and targets (two queries)."""
    year, quarter = through
    upto = Q(year__lt=year) | Q(year=year, quarter__lte=quarter)
    progress = Progress.objects.filter(upto)
    overrides = StatusOverride.objects.filter(upto)
    if area_ids is not None:
        progress, overrides = progress.filter(area_id__in=area_ids), overrides.filter(area_id__in=area_ids)
    if target_ids is not None:
        progress, overrides = progress.filter(target_id__in=target_ids), overrides.filter(target_id__in=target_ids)
    return _frame(progress.order_by("year", "quarter"), overrides).sort_values(["year", "quarter"], kind="stable")


def indicator_values(*, indicator_id: int, year: int, quarter: int) -> pd.DataFrame:
    """Current reported values (year-to-date) of one indicator in one quarter, per area (one query)."""
    return pd.DataFrame.from_records(
        Observation.objects.filter(is_current=True, indicator_id=indicator_id, year=year, quarter=quarter).values_list(
            "area_id", "value"
        ),
        columns=["area_id", "value"],
    )


OBSERVATION_FIELDS = {
    "area_id": "area_id",
    "year": "year",
    "quarter": "quarter",
    "value": "value",
    "note": "note",
    "upload_id": "upload_id",
    "upload__area_id": "upload_area_id",
    "upload__original_name": "file_name",
    "upload__created_at": "uploaded_at",
    "upload__uploaded_by__username": "username",
    "upload__uploaded_by__first_name": "first_name",
    "upload__uploaded_by__last_name": "last_name",
}


def indicator_observations(
    *, indicator_id: int, through: tuple[int, int], area_ids: list[int] | None = None
) -> pd.DataFrame:
    """Every current value of one indicator up to `through` (the baseline year included), per area and quarter, with
    the upload each came from and who sent it (one query, joined)."""
    year, quarter = through
    rows = Observation.objects.filter(is_current=True, indicator_id=indicator_id).filter(
        Q(year__lt=year) | Q(year=year, quarter__lte=quarter)
    )
    if area_ids is not None:
        rows = rows.filter(area_id__in=area_ids)
    frame = pd.DataFrame.from_records(
        rows.order_by("year", "quarter", "area_id").values_list(*OBSERVATION_FIELDS), columns=list(OBSERVATION_FIELDS)
    )
    return frame.rename(columns=OBSERVATION_FIELDS)


def area_uploads(*, area_id: int, year: int, quarter: int) -> tuple[Upload | None, Upload | None]:
    """(the area's latest upload, its latest upload for the quarter): two queries."""
    uploads = Upload.objects.filter(area_id=area_id).select_related("uploaded_by").order_by("-created_at", "-pk")
    latest = uploads.first()
    for_quarter = uploads.filter(year=year, quarter=quarter).exclude(status=Upload.Status.DUPLICATE).first()
    return latest, for_quarter
