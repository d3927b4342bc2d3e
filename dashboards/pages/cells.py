"""What a page is made of: charts, each with the table of exactly its data, and the cells of those tables."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from common.spreadsheets import neutralise_row


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


@dataclass
class Chart:
    key: str
    title: str
    figure: dict | None
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    wide: bool = False

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    def csv_text(self) -> str:
        """Exactly what the table view shows, as CSV (text that a spreadsheet would run as a formula is neutralised)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(neutralise_row(self.columns))
        for row in self.rows:
            writer.writerow(neutralise_row(c.text for c in row))
        return out.getvalue()


@dataclass
class Page:
    title: str
    charts: list[Chart] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)
