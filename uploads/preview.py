"""What a previewed dry run would change, value by value, for the page that asks the person to confirm it."""

from dataclasses import dataclass

import pandas as pd

from indicators.models import Area, Indicator

from .bounded import OutOfMemory, ReaderCrashed
from .models import Observation, Upload
from .reading import UnreadableFile
from .services import read_stored

PREVIEW_MAX_ROWS = 300  # a larger file shows its counts only; reading it again on every view would cost too much


def plain_number(value: float | None) -> str:
    """A stored number as a person would type it back: every digit it has, no exponent, no trailing '.0'."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


@dataclass
class Change:
    area: str
    indicator: str
    unit: str
    current: float | None
    new: float
    note: str
    current_note: str

    @property
    def current_text(self) -> str:
        return plain_number(self.current)

    @property
    def new_text(self) -> str:
        return plain_number(self.new)

    @property
    def kind(self) -> str:
        if self.current is None:
            return "new"
        return "unchanged" if abs(self.new - self.current) <= 1e-9 else "changed"


def preview_changes(upload: Upload) -> list[Change]:
    """For a previewed quarterly upload: each value it holds beside the one now current (the stored file read again,
    in the bounded child); empty for anything else."""
    if upload.status != Upload.Status.PREVIEWED or not upload.year or upload.rows_total > PREVIEW_MAX_ROWS:
        return []
    try:
        rows = read_stored(upload).rows
    except (UnreadableFile, OutOfMemory, ReaderCrashed):
        return []
    rows = rows[rows["value"].notna()].copy()
    if "area_code" not in rows:
        rows["area_code"] = upload.area.code
    rows["area_code"] = rows["area_code"].mask(rows["area_code"].eq(""), upload.area.code)
    if "note" not in rows:
        rows["note"] = ""
    family = [upload.area_id, *upload.area.children.values_list("pk", flat=True)]
    current = pd.DataFrame.from_records(
        list(
            Observation.objects.filter(
                is_current=True, area_id__in=family, year=upload.year, quarter=upload.quarter
            ).values_list("area__code", "indicator__code", "value", "note")
        ),
        columns=["area_code", "indicator_code", "current", "current_note"],
    )
    merged = rows.merge(current, on=["area_code", "indicator_code"], how="left")
    areas = dict(Area.objects.values_list("code", "name"))
    indicators = {code: (name, unit) for code, name, unit in Indicator.objects.values_list("code", "name", "unit")}
    return [
        Change(
            area=areas.get(r.area_code, r.area_code),
            indicator=indicators.get(r.indicator_code, (r.indicator_code, ""))[0],
            unit=indicators.get(r.indicator_code, ("", ""))[1],
            current=None if pd.isna(r.current) else float(r.current),
            new=float(r.value),
            note=r.note or "",
            current_note="" if pd.isna(r.current_note) else r.current_note,
        )
        for r in merged.itertuples()
    ]
