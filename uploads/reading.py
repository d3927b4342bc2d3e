"""Turns an uploaded file into a frame of rows, refusing anything unsafe or unreadable with a message in Chinese.

Whatever the layout (the quarterly template or the long format), the result has one row per data row with the columns
`row` (the row number a person sees in Excel), `area_code`, `indicator_code`, `year`, `quarter`, `raw_value`, `value`
(the number, NaN when it is not one) and `note`. Absent columns are absent; validation decides what is missing.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from .inspection import CORRUPT, UnreadableFile, column_letters, file_error, inspect_csv, inspect_xlsx, sheet_paths
from .issues import Issue

__all__ = ["ReadResult", "UnreadableFile", "parse_numbers", "read_csv_grid", "read_upload"]

TEMPLATE_SHEET = "填报表"
META_SHEET = "_meta"
HEADER_SCAN_ROWS = 15
# Column names we recognise, English (long format) and Chinese (template and hand-made sheets).
COLUMN_ALIASES = {
    "area_code": ("area_code", "地区代码", "区划代码"),
    "indicator_code": ("indicator_code", "指标代码"),
    "year": ("year", "年份", "年度"),
    "quarter": ("quarter", "季度"),
    "value": ("value", "本季度值", "数值", "填报值", "指标值"),
    "note": ("note", "备注", "说明"),
}
REQUIRED_COLUMNS = ("indicator_code", "value")
COLUMN_LABELS = {
    "area_code": "地区代码",
    "indicator_code": "指标代码",
    "year": "年份",
    "quarter": "季度",
    "value": "数值",
    "note": "备注",
}
# Full-width forms that Chinese input methods produce in numbers.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋％　", "0123456789.,-+% ")
_THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
# C0 control characters other than tab, line feed and carriage return, and DEL: PostgreSQL cannot store NUL, and
# XML (the marked workbook) none of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT_LENGTH = 32_767  # Excel's own limit for one cell
MAX_CELL_ISSUES = 100


@dataclass
class ReadResult:
    rows: pd.DataFrame
    sheet: str
    columns: dict[str, str]  # our column name → the header as written in the file (for messages)
    meta: dict[str, str] = field(default_factory=dict)  # the template's hidden area/year/quarter, if any
    cell_issues: list[Issue] = field(default_factory=list)  # problems found while reading (formulas without values)


def sniff_format(head: bytes) -> str:
    """The real container from the file's first bytes, whatever its name claims."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"


def read_upload(data: bytes, extension: str, *, max_rows: int) -> ReadResult:
    kind = sniff_format(data[:8])
    if extension not in (".xlsx", ".xls", ".csv"):
        raise file_error("file_type", f"不支持的文件类型“{extension or '无扩展名'}”：请上传 xlsx、xls 或 csv 文件。")
    if kind == "ole":
        if _is_encrypted_ole(data):
            raise file_error("password", "工作簿设有密码保护，无法读取：请在 Excel 中取消密码后另存再上传。")
        if extension != ".xls":
            raise file_error("file_type", "文件内容是旧版 Excel（xls）格式，与扩展名不符：请另存为 xlsx 后上传。")
        result = _read_workbook(data, "xls")  # no shape to inspect before reading: the memory ceiling bounds it
    elif kind == "xlsx":
        if extension == ".csv":
            raise file_error("file_type", "文件内容是 Excel 工作簿，扩展名却是 csv：请按原格式上传。")
        inspect_xlsx(data)
        result = _read_workbook(data, "xlsx")
    elif extension in (".xlsx", ".xls"):
        raise file_error("corrupt", CORRUPT)
    else:
        result = _read_csv(data)
    if len(result.rows) > max_rows:
        raise file_error("too_many_rows", f"文件有 {len(result.rows):,} 行数据，超过上限 {max_rows:,} 行：请分批上传。")
    return result


def _is_encrypted_ole(data: bytes) -> bool:
    # An encrypted xlsx is an OLE container holding these streams (names are stored UTF-16LE).
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _read_workbook(data: bytes, kind: str) -> ReadResult:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        sheet = (
            TEMPLATE_SHEET
            if TEMPLATE_SHEET in names
            else next(
                (
                    s.name
                    for s in workbook.sheets_metadata
                    if str(s.visible).endswith("Visible") and s.name != META_SHEET
                ),
                names[0],
            )
        )
        grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        meta = {}
        if META_SHEET in names:
            for row in workbook.get_sheet_by_name(META_SHEET).to_python():
                if len(row) >= 2 and row[0] != "":
                    meta[str(row[0]).strip()] = _cell_text(row[1])
    except Exception as error:  # calamine raises its own error types for every kind of damage
        raise file_error("corrupt", CORRUPT) from error
    frame = pd.DataFrame(grid, dtype=object) if grid else pd.DataFrame(dtype=object)
    refused = _refuse_control_characters(frame, sheet)
    result = _rows_from_grid(frame, sheet)
    result.meta = meta
    result.cell_issues = refused
    if kind == "xlsx":
        result.cell_issues += _formulas_without_values(data, sheet, result)
    return result


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv_grid(data: bytes) -> pd.DataFrame:
    """A CSV as a grid of text cells, in whichever encoding Chinese offices save: UTF-8 (with or without BOM),
    GB18030/GBK, or the UTF-16 of Excel's "Unicode text"; comma- or tab-separated."""
    text = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "gb18030"):  # GB18030 is a superset of the GBK that Chinese Excel writes
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise file_error("encoding", "无法识别文件的文字编码：请在 Excel 中另存为“CSV UTF-8”或 xlsx 格式。")
    first_line = text.split("\n", 1)[0]
    separator = "\t" if first_line.count("\t") > first_line.count(",") else ","
    inspect_csv(text, separator)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        ).astype(object)
    except (pd.errors.ParserError, ValueError) as error:
        raise file_error("corrupt", f"CSV 文件格式有误，无法解析：{error}") from error


def _read_csv(data: bytes) -> ReadResult:
    grid = read_csv_grid(data)
    refused = _refuse_control_characters(grid, "CSV")
    result = _rows_from_grid(grid, "CSV")
    result.cell_issues = refused
    return result


def _visible(text: str) -> str:
    """Control characters shown as their Unicode pictures (NUL → ␀), so a message can name them and be stored."""
    return _CONTROL.sub(lambda m: "␡" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text)


def _refuse_control_characters(grid: pd.DataFrame, sheet: str) -> list[Issue]:
    """Every text cell holding a control character (NUL, …) or longer than Excel allows is an error at its cell; the
    characters are replaced by their pictures in the grid, so nothing downstream carries them. A clean file costs
    one pass over its text cells."""
    cells = grid.to_numpy(dtype=object)
    texts = [v for v in cells.ravel() if v.__class__ is str]
    if not texts or (not _CONTROL.search("".join(texts)) and max(map(len, texts)) <= MAX_TEXT_LENGTH):
        return []
    issues = []
    for row, column in zip(*np.nonzero(np.vectorize(_bad_text, otypes=[bool])(cells)), strict=True):
        value = cells[row, column]
        if len(issues) < MAX_CELL_ISSUES:
            issues.append(_cell_issue(sheet, int(row) + 1, column_letters(int(column) + 1), value))
        grid.iat[row, column] = _visible(value[:MAX_TEXT_LENGTH])
    return issues


def _bad_text(value) -> bool:
    return value.__class__ is str and (len(value) > MAX_TEXT_LENGTH or _CONTROL.search(value) is not None)


def _cell_issue(sheet: str, row: int, letter: str, value: str) -> Issue:
    where, rule = f"第{row}行 {letter} 列", "control_character"
    if len(value) > MAX_TEXT_LENGTH:
        rule = "text_too_long"
        message = f"{where}的文字有 {len(value):,} 个字符，超过单元格上限 {MAX_TEXT_LENGTH:,}：请精简后重新上传。"
    else:
        found = "、".join(sorted({f"{_visible(c)}（{ord(c):#04x}）" for c in _CONTROL.findall(value)}))
        message = f"{where}含有不可见的控制字符 {found}，无法保存：请删除该单元格中的这些字符后重新上传。"
    return Issue(
        level="error", rule=rule, sheet=sheet, row=row, column=letter, value=_visible(value[:80]),
        message=message,
    )  # fmt: skip


def _normalise_header(value) -> str:
    return re.sub(r"[\s（(].*$", "", str(value).strip().translate(_FULL_WIDTH)).lower() if value is not None else ""


def _rows_from_grid(grid: pd.DataFrame, sheet: str) -> ReadResult:
    """Find the header row among the first rows, map its columns, and keep the rows below it."""
    for header_at in range(min(HEADER_SCAN_ROWS, len(grid))):
        headers = [_normalise_header(v) for v in grid.iloc[header_at].tolist()]
        found = {}
        for column, aliases in COLUMN_ALIASES.items():
            for position, header in enumerate(headers):
                if header in aliases and column not in found:
                    found[column] = position
        if "indicator_code" in found:
            break
    else:
        raise file_error(
            "missing_columns", f"工作表“{sheet}”中找不到表头（应含“指标代码”“数值”等列）：请使用下载的模板或长表格式。"
        )
    missing = [COLUMN_LABELS[c] for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        raise file_error("missing_columns", f"工作表“{sheet}”缺少必需的列：{'、'.join(missing)}。")
    body = grid.iloc[header_at + 1 :]
    rows = pd.DataFrame({"row": np.arange(header_at + 2, header_at + 2 + len(body))})
    labels = {}
    for column, position in found.items():
        rows[column] = body.iloc[:, position].to_numpy()
        labels[column] = str(grid.iat[header_at, position]).strip()
    for column in ("area_code", "indicator_code", "note"):
        if column in rows:
            rows[column] = _text(rows[column])
    for column in ("year", "quarter"):
        if column in rows:
            rows[column] = parse_numbers(rows[column])
    rows["raw_value"] = rows["value"]
    rows["value"] = parse_numbers(rows["value"])
    # Rows with nothing in them at all are layout, not data.
    blank = rows["indicator_code"].eq("").to_numpy(copy=True)  # only rows without a code can be blank: look at those
    blank[blank] = _text(rows.loc[blank, "raw_value"]).eq("").to_numpy()
    rows = rows[~blank].reset_index(drop=True)
    return ReadResult(rows=rows, sheet=sheet, columns=labels)


def _text(column: pd.Series) -> pd.Series:
    """Cells as trimmed text; integral floats lose their '.0' (a code typed as a number stays a code)."""
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # every cell is text (a CSV, codes in a sheet)
        return pd.Series([v.strip() for v in values], index=column.index, dtype=object)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):  # object cells of mixed types: a comprehension is the fast path here
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out[i] = ""
        elif isinstance(v, float) and v.is_integer():
            out[i] = str(int(v))
        else:
            out[i] = str(v).strip()
    return pd.Series(out, index=column.index, dtype=object)


def parse_numbers(column: pd.Series) -> pd.Series:
    """Numbers as people type them: thousands separators, full-width digits, a trailing %, surrounding spaces."""
    numeric = pd.to_numeric(column, errors="coerce").astype(float)
    # Only cells plain parsing could not read need the clean-up below (in a clean file: none).
    failed = numeric.isna().to_numpy() & column.notna().to_numpy()
    is_text = np.zeros(len(column), dtype=bool)
    is_text[failed] = column[failed].map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if not is_text.any():
        return numeric
    text = pd.Series(column[is_text].to_numpy(dtype=str), index=column.index[is_text])
    text = text.str.translate(_FULL_WIDTH).str.replace(r"\s+", "", regex=True).str.removesuffix("%")
    thousands = text.str.fullmatch(_THOUSANDS)
    text = text.where(~thousands, text.str.replace(",", "", regex=False))
    numeric[is_text] = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return numeric


def _formulas_without_values(data: bytes, sheet: str, result: ReadResult) -> list[Issue]:
    """Cells holding a formula that Excel never calculated (no cached value): their value cannot be trusted."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    path = sheet_paths(archive).get(sheet)
    if path is None:
        return []
    xml = archive.read(path).decode("utf-8", errors="replace")
    if "<f" not in xml:
        return []
    issues = []
    for match in re.finditer(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", xml, flags=re.S):  # a cell: self-closed or not
        attributes, content = match.group(1), match.group(2) or ""
        if "<f" in content and not re.search(r"<v>[^<]+</v>", content):  # no <v>, or an empty <v/>
            ref = re.search(r'\br="([A-Z]+)(\d+)"', attributes)
            if ref:
                issues.append(
                    Issue(
                        level="error",
                        rule="formula_without_value",
                        sheet=sheet,
                        row=int(ref.group(2)),
                        column=ref.group(1),
                        message=f"单元格 {ref.group(1)}{ref.group(2)} 是公式但没有计算结果："
                        "请在 Excel 中打开并保存后重新上传，或将公式改为数值。",
                    )
                )
    return issues
