"""Web data entry (as DHIS2's data entry form): a city officer types a quarter's values in the browser.

The form is another door onto the upload service, not a second way of storing values: the rows the officer filled or
changed become a quarterly template built by `build_template` (the same workbook a person downloads), which is
checked by the same reader and validation as a file, then handed to `receive_upload` as a dry run with
`source = web`. From there it is an upload like any other: kept with its SHA-256, processed, previewed, confirmed,
superseding older values, approved and locked. The checks run here first, within the request, so a typing slip is
shown beside its field and nothing is stored until the values pass.

Who may use it: whoever may upload the area's template (a city officer for their own city, an administrator for any
reporting unit). Provincial staff and auditors read the same values on the upload pages, the dashboards and the
reports; the form is for entering, so it refuses them as the upload form does.
"""

import math
import re
from dataclasses import dataclass, field, replace

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile

from indicators.models import Area
from indicators.periods import BASELINE_YEAR, latest_closed_quarter

from .approval import locked_message
from .models import Observation, Upload
from .numbers import plain_number
from .reading import parse_numbers, read_upload
from .selectors import template_rows
from .services import UploadRefused, check_upload_rights, current_values_for, receive_upload, upload_context
from .validation import validate
from .workbooks import TemplateRow, build_template

CLEARED = "已上报的数值不能在此清空：如需更正，请填写正确的数值。"
NOTE_ONLY = "只填写了备注：请同时填写数值。"
NOTHING_CHANGED = "没有填写或修改任何数值，未提交。"
CONTROL = "含有不可见的控制字符，无法保存：请删除后重新填写。"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # a workbook cannot hold them (see reading)


class EntryClosed(Exception):
    """The quarter cannot be entered (not yet ended, before the baseline, or an area that reports with its city)."""


@dataclass
class EntryField:
    """One value of the form: a row of the area's template, this quarter's current value and what was typed."""

    row: TemplateRow
    current: float | None = None
    current_note: str = ""
    typed: str = ""
    note: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.row.area_code}-{self.row.indicator_code}"

    @property
    def whole(self) -> bool:
        return self.row.whole

    @property
    def previous_text(self) -> str:
        return plain_number(self.row.previous_value)

    @property
    def current_text(self) -> str:
        return plain_number(self.current)

    @property
    def label(self) -> str:
        own = f"（{self.row.area_name}）" if self.row.area_name else ""
        return f"{self.row.indicator_name}{own}"


def check_entry_allowed(*, user, area: Area, year: int, quarter: int) -> str | None:
    """Raise UploadRefused when this person may not enter the area's values, EntryClosed when the quarter cannot
    be entered; return the lock message (the same as an upload gets) when the quarter is approved, else None."""
    check_upload_rights(user=user, area=area)
    if not (year >= BASELINE_YEAR and (year, quarter) <= latest_closed_quarter() and 1 <= quarter <= 4):
        raise EntryClosed(f"{year}年第{quarter}季度不在可填报的范围内。")
    return locked_message(area=area, year=year, quarter=quarter)


def entry_fields(area: Area, year: int, quarter: int) -> list[EntryField]:
    """The form's rows, in the template's order: last quarter's value and the target beside each (the template's own
    rows), with the value and note current for this quarter (one query)."""
    rows = template_rows(area, year, quarter)
    stored = Observation.objects.filter(
        is_current=True, year=year, quarter=quarter, area__in=[area, *area.children.all()]
    ).values_list("area__code", "indicator__code", "value", "note")
    current = {(a, i): (v, n) for a, i, v, n in stored}
    fields = []
    for row in rows:
        value, note = current.get((row.area_code, row.indicator_code), (None, ""))
        fields.append(EntryField(row=row, current=value, current_note=note, typed=plain_number(value), note=note))
    return fields


def take_typed(fields: list[EntryField], data) -> None:
    """What the person typed, from the submitted form (a missing input leaves the field as it was)."""
    for entry in fields:
        entry.typed = str(data.get(f"value-{entry.key}", entry.typed)).strip()
        entry.note = str(data.get(f"note-{entry.key}", entry.note)).strip()


def _changed(fields: list[EntryField]) -> list[tuple[EntryField, float | str]]:
    """The fields to send, each with the cell to write (the number, or the text as typed so the reader names it),
    after the form's own checks (a value cleared, a note without a value)."""
    numbers = parse_numbers(pd.Series([f.typed or None for f in fields], dtype=object))
    out = []
    for entry, number in zip(fields, numbers.tolist(), strict=True):
        if _CONTROL.search(entry.typed + entry.note):
            entry.errors.append(CONTROL)
            continue
        if not entry.typed:
            if entry.current is not None:
                entry.errors.append(CLEARED)
            elif entry.note:
                entry.errors.append(NOTE_ONLY)
            continue
        same = entry.current is not None and not math.isnan(number) and abs(number - entry.current) <= 1e-9
        if same and entry.note == entry.current_note:
            continue
        out.append((entry, entry.typed if math.isnan(number) else number))
    return out


def entry_workbook(area: Area, year: int, quarter: int, changed) -> bytes:
    rows = [replace(entry.row, value=cell, note=entry.note) for entry, cell in changed]
    return build_template(area_code=area.code, area_name=area.name, year=year, quarter=quarter, rows=rows)


def _check(area: Area, year: int, quarter: int, data: bytes, fields: list[EntryField]) -> list[str]:
    """Run the upload's own reader and checks on the generated workbook; each issue goes to its field (by the row
    it names), the rest are returned."""
    read = read_upload(data, ".xlsx", max_rows=settings.UPLOAD_MAX_ROWS)
    checked = validate(read, upload_context(Upload(area=area, year=year, quarter=quarter)), current_values_for)
    keyed = read.rows[["row", "area_code", "indicator_code"]]
    by_row = {int(r.row): f"{r.area_code}-{r.indicator_code}" for r in keyed.itertuples()}
    by_key = {entry.key: entry for entry in fields}
    general = []
    for issue, bucket in [*((i, "errors") for i in checked.errors), *((w, "warnings") for w in checked.warnings)]:
        entry = by_key.get(by_row.get(issue.row or 0, ""))
        if entry is not None:
            getattr(entry, bucket).append(issue.message)
        elif bucket == "errors":
            general.append(issue.message)
    return general


@dataclass
class EntryResult:
    upload: Upload | None
    errors: list[str]  # not tied to one field (nothing changed, a refusal)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def submit_entry(*, user, area: Area, year: int, quarter: int, fields: list[EntryField]) -> EntryResult:
    """Check what was typed and, when every field passes, send the changed rows as a dry-run upload from the web.
    Raises UploadRefused when the person may not, or the quarter is locked (the upload service's own refusal)."""
    changed = _changed(fields)
    if not changed and not any(entry.errors for entry in fields):
        return EntryResult(upload=None, errors=[NOTHING_CHANGED])
    data = entry_workbook(area, year, quarter, changed)
    general = _check(area, year, quarter, data, fields)
    if general or any(entry.errors for entry in fields):
        return EntryResult(upload=None, errors=general)
    upload = receive_upload(
        file=ContentFile(data, name="entry.xlsx"),
        original_name=f"{area.name}{year}年第{quarter}季度网页填报.xlsx",
        user=user,
        area=area,
        year=year,
        quarter=quarter,
        dry_run=True,
        source=Upload.Source.WEB,
    )
    return EntryResult(upload=upload, errors=[])


__all__ = [
    "EntryClosed",
    "EntryField",
    "EntryResult",
    "UploadRefused",
    "check_entry_allowed",
    "entry_fields",
    "submit_entry",
    "take_typed",
]
