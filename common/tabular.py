"""Tables written as files: an XLSX workbook with one sheet per table (streamed with xlsxwriter's constant_memory, so
the workbook is never held in memory), a zip of UTF-8 CSV files with a BOM (Excel and WPS read the Chinese), and a
digest of the tables' contents. Every text cell passes through `neutralise`; times are Beijing time (an ISO 8601
string with the offset in CSV, as common.times.local_iso writes it; a date-time cell in XLSX, whose header says
北京时间); numbers stay numbers.

A table is a pandas DataFrame and a list of columns that say how each is written."""

import datetime
import hashlib
import io
import math
import zipfile
from dataclasses import dataclass, field

import pandas as pd
import xlsxwriter
from django.utils import timezone

from .spreadsheets import neutralise

TEXT, NUMBER, INTEGER, TIME = "text", "number", "integer", "time"
CHUNK_ROWS = 5_000  # rows turned into Python values at a time: the writers' memory does not grow with the table


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header: Chinese, with the unit where one unit holds for the whole column
    kind: str = TEXT
    width: int = 12


@dataclass
class Table:
    name: str  # the sheet's name and the CSV file's stem (Excel allows 31 characters)
    title: str
    columns: list[Column]
    frame: pd.DataFrame
    note: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [c.label for c in self.columns]

    def chunks(self):
        """The table in slices of CHUNK_ROWS rows, each a Table of its own."""
        for start in range(0, max(len(self.frame), 1), CHUNK_ROWS):
            yield Table(self.name, self.title, self.columns, self.frame.iloc[start : start + CHUNK_ROWS])

    def column_values(self, column: Column) -> list:
        """The column as plain Python values, as a file gets them: None for missing, formula-safe text."""
        if column.key not in self.frame:
            return [None] * len(self.frame)
        series = self.frame[column.key]
        if column.kind == TIME:  # converted as a column: the same as timezone.localtime per value, far faster
            local = pd.to_datetime(series, utc=True).dt.tz_convert(timezone.get_current_timezone())
            missing = local.isna().tolist()
            return [None if gone else v for v, gone in zip(local.tolist(), missing, strict=True)]
        if column.kind in (NUMBER, INTEGER):
            values = pd.to_numeric(series, errors="coerce").astype(float).tolist()
            whole = column.kind == INTEGER
            return [None if math.isnan(v) else (int(v) if whole else v) for v in values]
        missing = series.isna().tolist()
        return [None if gone else neutralise(str(v)) for v, gone in zip(series.tolist(), missing, strict=True)]


def _naive_local(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=None)  # already Beijing time: Excel cells carry no zone


def write_xlsx(tables: list[Table], target) -> None:
    """One sheet per table: frozen header row, autofilter, widths, numbers as numbers, times as date-times."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,  # rows go to disk as they are written: memory does not grow with them
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd hh:mm:ss",
        },
    )
    workbook.set_properties({"created": datetime.datetime(2000, 1, 1)})  # the same tables give the same bytes
    header = workbook.add_format({"bold": True, "bg_color": "#EEF2F6", "text_wrap": True, "valign": "top"})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for table in tables:
        sheet = workbook.add_worksheet(table.name[:31])
        for position, column in enumerate(table.columns):
            sheet.set_column(position, position, column.width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, table.headers, header)
        row = 1
        for chunk in table.chunks():
            row = _write_rows(sheet, chunk, row, when)
        sheet.autofilter(0, 0, max(len(table.frame), 1), max(len(table.columns) - 1, 0))
    workbook.close()


def _write_rows(sheet, table: Table, row: int, when) -> int:
    """Write the table's rows from `row` on, one column's writer per cell type; returns the next free row."""
    writers = []
    for column in table.columns:
        if column.kind == TIME:
            writers.append(lambda r, c, v: sheet.write_datetime(r, c, _naive_local(v), when))
        elif column.kind == TEXT:
            writers.append(sheet.write_string)
        else:
            writers.append(sheet.write_number)
    columns = [table.column_values(c) for c in table.columns]
    for values in zip(*columns, strict=True):
        for position, value in enumerate(values):
            if value is not None:
                writers[position](row, position, value)
        row += 1
    return row


def _csv_chunks(table: Table):
    """The table as UTF-8 CSV with a BOM, in pieces; times as ISO 8601 with the +08:00 offset."""
    yield "\ufeff".encode()
    for number, chunk in enumerate(table.chunks()):
        out = io.StringIO()
        frame = pd.DataFrame(
            {
                c.label: [v.isoformat(timespec="seconds") if v is not None else None for v in chunk.column_values(c)]
                if c.kind == TIME
                else chunk.column_values(c)
                for c in chunk.columns
            },
            columns=chunk.headers,
        )
        frame.to_csv(out, index=False, header=number == 0, lineterminator="\r\n")
        yield out.getvalue().encode("utf-8")


def csv_bytes(table: Table) -> bytes:
    return b"".join(_csv_chunks(table))


def write_csv_zip(tables: list[Table], target) -> None:
    """A zip of one CSV per table, numbered in the report's order (01-封面.csv, 02-…)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, table in enumerate(tables, start=1):
            info = zipfile.ZipInfo(f"{number:02d}-{table.name}.csv", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                for piece in _csv_chunks(table):
                    entry.write(piece)


def tables_digest(tables: list[Table]) -> str:
    """SHA-256 over the tables' names, headers and the values of their columns in order (pandas hashes each row of
    values in C): the same tables give the same digest, a changed value a different one."""
    digest = hashlib.sha256()
    for table in tables:
        digest.update(f"\x1e{table.name}\x1f{'|'.join(table.headers)}\x1f{len(table.frame)}\n".encode())
        keys = [c.key for c in table.columns if c.key in table.frame]
        if keys and len(table.frame):
            values = table.frame[keys].astype({k: str for k in keys if table.frame[k].dtype == object})
            digest.update(pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes())
    return digest.hexdigest()
