"""The report as a PDF: WeasyPrint lays out an HTML page with Chinese typography (the Noto CJK font from
fonts-noto-cjk, embedded in the file), tables, the charts as SVG, page numbers, and the cover's stamps (scope,
period, snapshot id) at the head of every page. Everything is local: no font, script or image is fetched."""

import base64
import logging
import math

import pandas as pd
from django.template.loader import render_to_string

from common.tabular import INTEGER, NUMBER, TIME, Table
from common.times import local_iso

from .build import TITLE, Report
from .charts import status_bars
from .tables import YEARLY_TABLE

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per page otherwise
UNAPPROVED_MARK = "※"
OVERRIDE_MARK = "†"
# The long table in print: eight columns, since every cell costs WeasyPrint layout time (the code and the unit go
# with the name, the quarter a carried value came from with the value, the baseline with the target). The XLSX and
# the CSV keep every column.
DETAIL_WIDTHS = [34, 7, 13, 13, 8, 7, 8, 10]
DETAIL_COLUMNS = [
    "target_name", "area_name", "actual", "baseline", "expected", "progress_ratio", "gap", "final_status",
]  # fmt: skip


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}".rstrip("0").rstrip(".")


def cells(table: Table, keys: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of text for the page, numbers shortened, times in Beijing time."""
    columns = [c for c in table.columns if keys is None or c.key in keys]
    if keys is not None:
        columns.sort(key=lambda c: keys.index(c.key))
    values = []
    for column in columns:
        raw = table.column_values(column)
        if column.kind == NUMBER:
            values.append(["" if v is None or math.isnan(v) else _number(v) for v in raw])
        elif column.kind == INTEGER:
            values.append(["" if v is None else str(v) for v in raw])
        elif column.kind == TIME:
            values.append([local_iso(v)[:16].replace("T", " ") if v is not None else "" for v in raw])
        else:
            values.append(["" if v is None else str(v) for v in raw])
    return [c.label for c in columns], [list(row) for row in zip(*values, strict=True)]


def _detail(report: Report) -> Table:
    """The detail table for print: unapproved actuals marked ※, overridden statuses †."""
    table = next(t for t in report.tables if t.name == "进度明细")
    rows = report.figures.rows
    frame = table.frame.copy()
    actual = frame["actual"].map(lambda v: "" if pd.isna(v) else _number(v))
    actual = actual.where(frame["carried"] != "是", actual + "（" + frame["actual_period"] + "）")
    frame["actual"] = actual.where(rows["actual_approved"] | rows["actual"].isna(), actual + UNAPPROVED_MARK)
    frame["target_name"] = frame["target_code"] + " " + frame["target_name"] + "（" + frame["unit"] + "）"
    number = lambda v: "" if pd.isna(v) else _number(v)  # noqa: E731
    frame["baseline"] = frame["baseline"].map(number) + " → " + frame["target_value"].map(number)
    frame["final_status"] = frame["final_status"].where(
        rows["override_status"].isna(), frame["final_status"] + OVERRIDE_MARK
    )
    relabel = {"actual": "实际值（结转自）", "target_name": "目标（单位）", "baseline": "基准值 → 目标值"}
    columns = [type(c)(c.key, relabel[c.key], "text", c.width) if c.key in relabel else c for c in table.columns]
    return Table(table.name, table.title, columns, frame)


def _yearly(table: Table) -> tuple[str, list[str], list[list[str]]]:
    """The yearly duties year by year for print: the code with the name and unit, the value against the target."""
    frame = table.frame.copy()
    frame["target_name"] = frame["target_code"] + " " + frame["target_name"] + "（" + frame["unit"] + "）"
    keys = ["target_name", "area_name", "year", "state", "value", "target", "expected", "deadline"]
    headers, rows = cells(Table(table.name, table.title, table.columns, frame), keys)
    headers[0] = "目标（单位）"
    return table.title, headers, rows


def _uploads_used(report: Report) -> Table:
    """The uploads the figures come from, once each, with how many figures rest on each."""
    provenance = next(t for t in report.tables if t.name == "数据来源")
    frame = provenance.frame.dropna(subset=["upload_id"])
    keys = [
        "upload_id", "upload_source", "file_name", "sha256", "uploaded_by", "uploaded_at", "accepted_at", "approved_by",
    ]  # fmt: skip
    grouped = frame.groupby("upload_id", sort=True).agg(
        **{k: (k, "first") for k in keys[1:]}, figures=("figure", "size")
    )
    grouped = grouped.reset_index()
    grouped["sha256"] = grouped["sha256"].str.slice(0, 16) + "…"
    columns = [c for c in provenance.columns if c.key in keys]
    columns.append(type(columns[0])("figures", "数值个数", INTEGER))
    return Table("所用上传", "数值所依据的上传文件", columns, grouped)


def _notes(report: Report) -> Table:
    provenance = next(t for t in report.tables if t.name == "数据来源")
    frame = provenance.frame[provenance.frame["note"].fillna("").astype(str).str.len() > 0]
    keep = {"target_code", "area_name", "figure", "period", "upload_id", "note"}
    return Table("填报备注", "数值所附的填报备注", [c for c in provenance.columns if c.key in keep], frame)


def _data_uri(svg: str) -> str:
    # An image of its own, not inline SVG: the chart's styles stay inside it and its ids cannot clash.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def render_html(report: Report) -> str:
    by_name = {t.name: t for t in report.tables}
    themes, areas = by_name["汇总-领域"].frame, by_name["汇总-地区"].frame
    cities = report.figures.rows.drop_duplicates("area_id")
    cities = cities[cities["area_level"] != "county"]["area_name"].tolist()
    sections = [(by_name[name].title, *cells(by_name[name])) for name in ("汇总-领域", "汇总-地区", "滞后与倒退")]
    later = [_uploads_used(report), _notes(report)] + [
        by_name[name] for name in ("数值替代", "人工认定", "方案修订", "审核与解锁", "填报完成情况")
    ]
    return render_to_string(
        "reports/pdf.html",
        {
            "title": TITLE,
            "report": report,
            "cover": report.cover.items(),
            "stamp": f"{report.scope_label} · {report.scope.period} · 快照 {report.snapshot_id}",
            "charts": [
                _data_uri(status_bars(themes, "各领域目标状态")),
                _data_uri(status_bars(areas[areas["group"].isin(cities)], "各地区目标状态")),
            ],
            "summaries": sections,
            "detail": cells(_detail(report), DETAIL_COLUMNS),
            "detail_widths": DETAIL_WIDTHS,
            "yearly": _yearly(by_name[YEARLY_TABLE]),
            "later": [(t.title, *cells(t)) for t in later],
            "marks": {"unapproved": UNAPPROVED_MARK, "override": OVERRIDE_MARK},
        },
    )


def write_pdf(report: Report, target) -> None:
    import weasyprint  # imported when a PDF is made: it is slow to import and every page would pay for it

    weasyprint.HTML(string=render_html(report)).write_pdf(target, uncompressed_pdf=False)
