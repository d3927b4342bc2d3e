"""The spreadsheets people download: the quarterly template, and an upload handed back with its bad cells marked."""

import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from common.spreadsheets import FORMULA_PREFIXES, neutralise, neutralise_row
from indicators.periods import YTD_LABELS, latest_closed_quarter, period_label, quarter_end, submission_deadline

from .reading import META_SHEET, TEMPLATE_SHEET, read_csv_grid

TEMPLATE_VERSION = "1"
HEADERS = ["地区代码", "地区", "指标代码", "指标名称", "单位", "目标值", "上季度值"]
VALUE_COLUMN = len(HEADERS) + 1  # H: 本季度值
HEADER_ROW = 3
_GREY = PatternFill("solid", fgColor="EEF2F6")
_INPUT = PatternFill("solid", fgColor="FFFBE6")
_ERROR = PatternFill("solid", fgColor="FFC7CE")
_WARNING = PatternFill("solid", fgColor="FFEB9C")
_THIN = Border(*(Side(style="thin", color="BFC8D2"),) * 4)
INSTRUCTIONS = [
    "填报说明",
    "1. 本表用于{area}{period}的指标填报，请在“本季度值”列填写数值，其他列请勿修改。",
    "2. 数值为年初至季末的累计值（{ytd}）：年均浓度、比例类指标填写1月至本季度末的平均值或比例，"
    "累计量类指标（如建成、淘汰、治理的数量）填写自2021年1月1日起的累计完成量。",
    "3. 只填数字，不要填单位；百分比填写百分数（如 88.3，不填 0.883），可以带或不带“%”。",
    "4. 完成进度类指标填写 0—100 的完成百分比，已全部完成填 100。",
    "5. 本表已设置数据有效性：超出有效范围的数值 Excel 会提示；以家、台、个、座、处、次等计数的指标只能填整数。"
    "上传后系统会再次校验，并在上传页面列出问题所在的行和列。",
    "6. 如某指标本季度确实无法提供，请留空并在“备注”列说明原因。",
    "7. 请勿加密工作簿，请勿使用未计算的公式；文件不超过 10 MB。",
    "8. 截止日期：{deadline}。逾期上传将在完成情况表中记为“逾期”。",
    "9. 上传前可先选择“试导入”，系统给出导入摘要（新增、修改、未变的数值及错误、警告），确认无误后再正式导入。",
]


@dataclass
class TemplateRow:
    area_code: str
    area_name: str
    indicator_code: str
    indicator_name: str
    unit: str
    target_text: str
    previous_value: float | None
    min_value: float
    max_value: float
    whole: bool = False  # counts things: whole numbers only (indicators.units)
    # Filled in only when the web entry form builds the workbook it sends: what the officer typed, and the note.
    value: float | str | None = None
    note: str = ""


def not_over_warning(year: int, quarter: int, *, on=None) -> str:
    """The warning a template for a quarter not yet over carries, or "" for one that has ended."""
    if (year, quarter) <= latest_closed_quarter(on):
        return ""
    return (
        f"注意：{year}年第{quarter}季度尚未结束（{quarter_end(year, quarter):%Y年%m月%d日}结束），"
        "现在还不能上传该季度的数据：可先准备，季度结束后再填写全季度累计值并上传。"
    )


def build_template(*, area_code: str, area_name: str, year: int, quarter: int, rows: list[TemplateRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    warning = not_over_warning(year, quarter)
    _write_heading(sheet, area_code, area_name, year, quarter, warning)
    _write_rows(sheet, rows)
    _add_range_checks(sheet, rows)
    _write_instructions(workbook.create_sheet("填报说明"), area_name, year, quarter, warning)
    _write_meta(workbook.create_sheet(META_SHEET), area_code, year, quarter)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_heading(sheet, area_code, area_name, year, quarter, warning: str) -> None:
    """The title, the area and period line (in red with the warning for a quarter not yet over), the headers."""
    headers = [*HEADERS, f"本季度值（{YTD_LABELS[quarter]}累计）", "备注"]
    width = len(headers)
    sheet["A1"] = neutralise(f"{area_name}{period_label(year, quarter)}污染防治攻坚指标填报表")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    line = (
        f"地区：{area_name}（{area_code}）    报告期：{year}年第{quarter}季度（{YTD_LABELS[quarter]}）    "
        f"截止日期：{submission_deadline(year, quarter):%Y-%m-%d}"
    )
    sheet["A2"] = f"{line}    {warning}" if warning else line
    if warning:
        sheet["A2"].font = Font(bold=True, color="C00000")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = _GREY
        cell.border = _THIN
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, width_chars in enumerate([10, 12, 30, 40, 14, 18, 12, 18, 30], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width_chars
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=VALUE_COLUMN)


def _write_rows(sheet, rows: list[TemplateRow]) -> None:
    for offset, row in enumerate(rows):
        r = HEADER_ROW + 1 + offset
        values = [
            row.area_code,
            row.area_name,
            row.indicator_code,
            row.indicator_name,
            row.unit,
            row.target_text,
            row.previous_value,
            row.value,
            row.note or None,
        ]
        for column, value in enumerate(neutralise_row(values), start=1):
            cell = sheet.cell(row=r, column=column, value=value)
            cell.border = _THIN
            cell.fill = _INPUT if column >= VALUE_COLUMN else _GREY


def _add_range_checks(sheet, rows: list[TemplateRow]) -> None:
    """Excel's own data validation on the value cells: the valid range, whole numbers for counts of things."""
    ranges: dict[tuple[float, float, bool], list[str]] = {}
    for offset, row in enumerate(rows):
        cell = f"{get_column_letter(VALUE_COLUMN)}{HEADER_ROW + 1 + offset}"
        ranges.setdefault((row.min_value, row.max_value, row.whole), []).append(cell)
    for (low, high, whole), cells in ranges.items():
        kind = "整数" if whole else "数字"
        check = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=f"{low:g}",
            formula2=f"{high:g}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="数值超出有效范围" if not whole else "应填整数",
            error=f"请填写 {low:g} 至 {high:g} 之间的{kind}。",
            showInputMessage=True,
            promptTitle="填写本季度值",
            prompt=f"有效范围 {low:g}—{high:g}，只填{kind}。",
        )
        for cell in cells:
            check.add(cell)
        sheet.add_data_validation(check)


def _write_instructions(notes, area_name: str, year: int, quarter: int, warning: str) -> None:
    fields = {
        "area": area_name,
        "period": period_label(year, quarter),
        "ytd": YTD_LABELS[quarter],
        "deadline": f"{submission_deadline(year, quarter):%Y年%m月%d日}",
    }
    lines = [line.format(**fields) for line in INSTRUCTIONS]
    if warning:
        lines.insert(1, warning)
    for line_no, line in enumerate(lines, start=1):
        notes.cell(row=line_no, column=1, value=line)
    notes["A1"].font = Font(size=14, bold=True)
    if warning:
        notes["A2"].font = Font(bold=True, color="C00000")
    notes.column_dimensions["A"].width = 120


def _write_meta(meta, area_code: str, year: int, quarter: int) -> None:
    """The hidden sheet that ties a filled template to its area and quarter."""
    for line_no, (key, value) in enumerate(
        [("area_code", area_code), ("year", year), ("quarter", quarter), ("template_version", TEMPLATE_VERSION)],
        start=1,
    ):
        meta.cell(row=line_no, column=1, value=key)
        meta.cell(row=line_no, column=2, value=str(value))
    meta.sheet_state = "hidden"


def _grid_workbook(data: bytes, extension: str) -> Workbook:
    """A CSV or xls upload rebuilt as a workbook, cell for cell, so it can be marked like an xlsx."""
    workbook = Workbook()
    sheet = workbook.active
    if extension == ".csv":
        sheet.title = "CSV"
        grid = read_csv_grid(data).to_numpy().tolist()
    else:
        source = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = TEMPLATE_SHEET if TEMPLATE_SHEET in source.sheet_names else source.sheet_names[0]
        sheet.title = name
        grid = source.get_sheet_by_name(name).to_python(skip_empty_area=False)
    for row in grid:
        sheet.append([None if v == "" else neutralise(v) for v in row])
    return workbook


def _neutralise_cells(workbook: Workbook) -> None:
    """An uploaded xlsx handed back: every formula, and every text a spreadsheet would run as one, becomes plain text;
    links to elsewhere are dropped (the values were checked, not the formulas; the raw file stays downloadable as it
    came)."""
    workbook._external_links = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.hyperlink is not None:
                    cell.hyperlink = None
                if cell.data_type == "f":
                    text = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "")
                    cell.value = "'" + str(text)
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    cell.value = neutralise(cell.value)


# Issues about a file that cannot or must not be reopened (it would be read again to mark it).
UNREADABLE_RULES = {
    "corrupt",
    "password",
    "zip_bomb",
    "file_type",
    "too_large",
    "encoding",
    "too_many_rows",
    "internal_error",
    "sheet_too_large",
    "too_complex",
}


def mark_workbook(data: bytes | None, extension: str, issues: list[dict]) -> bytes:
    """The uploaded file handed back with each cell an issue names filled red (error) or yellow (warning), the message
    as a cell comment, and every issue listed on a sheet of its own. With no data, the list alone."""
    if data is None:
        workbook = Workbook()
        workbook.remove(workbook.active)
    elif extension == ".xlsx":
        workbook = load_workbook(io.BytesIO(data))
        _neutralise_cells(workbook)
    else:
        workbook = _grid_workbook(data, extension)
    for issue in issues:
        if not issue.get("row") or issue.get("sheet") not in workbook.sheetnames:
            continue
        sheet = workbook[issue["sheet"]]
        column = _column_index(sheet, issue.get("column"))
        cell = sheet.cell(row=issue["row"], column=column or 1)
        cell.fill = _ERROR if issue["level"] == "error" else _WARNING
        text = ("错误：" if issue["level"] == "error" else "警告：") + issue["message"]
        cell.comment = Comment(text if cell.comment is None else f"{cell.comment.text}\n{text}", "校验")
    listing = workbook.create_sheet("校验结果", 0)
    listing.append(["级别", "工作表", "行", "列", "数值", "问题"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
        cell.fill = _GREY
    for issue in issues:
        listing.append(
            neutralise_row(
                [
                    "错误" if issue["level"] == "error" else "警告",
                    issue.get("sheet"),
                    issue.get("row"),
                    issue.get("column"),
                    issue.get("value"),
                    issue["message"],
                ]
            )
        )
    for column, width in zip("ABCDEF", [6, 12, 6, 22, 14, 100], strict=True):
        listing.column_dimensions[column].width = width
    if META_SHEET in workbook.sheetnames:
        workbook[META_SHEET].sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_index(sheet, label: str | None) -> int | None:
    """The column whose header cell (in the first rows, where the header sits) reads `label`."""
    if not label:
        return None
    if label.isalpha() and label.isupper() and len(label) <= 3:  # an Excel column letter, e.g. from a formula check
        return column_index_from_string(label)
    for row in sheet.iter_rows(min_row=1, max_row=15):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == label:
                return cell.column
    return None
