"""What a page is made of: charts, each with the table of exactly its data, and the cells of those tables."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from common.spreadsheets import neutralise


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: the text shown (and written to the CSV), its class, a hover tip, a link and a status badge (the
    status code whose colour the cell takes)."""

    text: str = ""
    css: str = ""
    tip: str = ""
    href: str = ""
    badge: str = ""


def cell(text="", css: str = "", tip: str = "", href: str = "", badge: str = "") -> Cell:
    """A Cell whose text is `text` as a string (numbers come formatted, counts as they are)."""
    return Cell(str(text), css, tip, href, badge)


def number_of(c: Cell) -> float | None:
    """The number a number cell shows (1,234.5 → 1234.5), None for any other cell."""
    if c.css != "num" or not c.text:
        return None
    try:  # a figure marked ※ (not yet approved) is still its number in a workbook
        return float(c.text.replace(",", "").removesuffix("※"))
    except ValueError:
        return None


def file_value(c: Cell):
    """What a CSV or XLSX file holds for a cell: a number cell's number, any other text made formula-safe."""
    number = number_of(c)
    return number if number is not None else neutralise(c.text)


@dataclass
class Chart:
    key: str
    title: str
    figure: dict | None
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    wide: bool = False
    xlsx: bool = False  # offer an XLSX download beside the CSV
    table_open: bool = False  # the table view starts open (a table with no chart)
    legend: str = ""  # a line under the chart explaining its marks (※ not yet approved)

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    def csv_text(self) -> str:
        """Exactly what the table view shows, as CSV: number cells as written, other text formula-safe."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([neutralise(c) for c in self.columns])
        for row in self.rows:
            writer.writerow([c.text if number_of(c) is not None else neutralise(c.text) for c in row])
        return out.getvalue()

    def xlsx_bytes(self, sheet: str = "") -> bytes:
        """The table view as a workbook of one sheet: numbers as numbers, text formula-safe, the heading row frozen."""
        book = Workbook(write_only=True)
        page = book.create_sheet(title=(sheet or self.key)[:31])
        page.freeze_panes = "A2"
        page.append([neutralise(c) for c in self.columns])
        for row in self.rows:
            page.append([file_value(c) for c in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


@dataclass
class Page:
    title: str
    charts: list[Chart] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)
