"""Helpers for upload tests: a filled-in quarterly template, and submitting a file the way the web page does."""

import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.test import TestCase

from uploads.models import Upload
from uploads.selectors import template_rows
from uploads.services import receive_upload
from uploads.workbooks import VALUE_COLUMN, build_template

HEADER_ROW = 3


def plausible(row) -> float:
    """A value comfortably inside the indicator's valid range (whole for an indicator that counts things)."""
    value = row.min_value + (row.max_value - row.min_value) * 0.3
    return float(round(value)) if row.whole else round(value, 3)


@pytest.fixture
def filled_template():
    def fill(area, year, quarter, values=None, *, edit=None) -> bytes:
        """The area's template for the quarter with every value filled (values: {indicator code: value} overrides);
        `edit(sheet)` may change cells before saving."""
        rows = template_rows(area, year, quarter)
        data = build_template(area_code=area.code, area_name=area.name, year=year, quarter=quarter, rows=rows)
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        sheet = workbook["填报表"]
        for offset, row in enumerate(rows):
            value = (values or {}).get(row.indicator_code, plausible(row))
            sheet.cell(row=HEADER_ROW + 1 + offset, column=VALUE_COLUMN, value=value)
        if edit:
            edit(sheet)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    return fill


@pytest.fixture
def submit():
    def send(data: bytes, name: str, *, user, area=None, year=None, quarter=None, dry_run=False) -> Upload:
        # Run the on-commit work (queueing, processing, recompute) as a committed request would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            upload = receive_upload(
                file=ContentFile(data, name=name), user=user, area=area, year=year, quarter=quarter, dry_run=dry_run
            )
        upload.refresh_from_db()
        return upload

    return send


def row_of(sheet, code: str) -> int:
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=3).value == code:
            return row
    raise KeyError(code)
