"""Looks at a file's size and shape before anything reads it whole, so a hostile or broken file is refused before it
costs memory: an xlsx's archive (how many parts, how far they inflate, checked as they stream) and every worksheet's
declared range (`<dimension ref>`) and the cells actually present, scanned in chunks; a CSV's width and length.

The limits sit far above a real template (about 100 rows × 9 columns) or the largest long-format back-fill the row
limit allows (200,000 rows × 6 columns), and far below what would hurt the worker.
"""

import io
import re
import zipfile
from xml.etree import ElementTree

from .issues import Issue

MAX_INFLATED_BYTES = 200 * 1024 * 1024  # all the archive's parts, inflated
MAX_INFLATE_RATIO = 150
MAX_MEMBERS = 10_000
MAX_COLUMNS = 200  # columns a sheet's used range may span
MAX_CELLS = 3_000_000  # rows × columns of a sheet's used range; and cells present in the whole workbook
CHUNK = 1 << 20
_XLSX_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_TAG = re.compile(rb"<(?:\w+:)?(dimension|row|c)\b([^>]*)>")
_ROW_REF = re.compile(rb'\br="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Za-z]{1,3})(\d+)"')
_RANGE_REF = re.compile(rb'\bref="([A-Za-z]{1,3})(\d+)(?::([A-Za-z]{1,3})(\d+))?"')


class UnreadableFile(Exception):
    """The file as a whole cannot be taken; `issue` says why in words a civil servant understands."""

    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.message)

    def __reduce__(self):  # crosses the process boundary of uploads.bounded whole
        return (type(self), (self.issue,))


def file_error(rule: str, message: str) -> UnreadableFile:
    return UnreadableFile(Issue(level="error", rule=rule, message=message))


CORRUPT = "文件已损坏或不是有效的 Excel 工作簿，无法打开。"


def column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_wide(sheet: str, columns: int, rows: int, where: str) -> UnreadableFile:
    return file_error(
        "sheet_too_large",
        f"工作表“{sheet}”的{where}达到 {column_letters(columns)}{rows}（{columns:,} 列 × {rows:,} 行），"
        f"远超填报表应有的大小（至多 {MAX_COLUMNS} 列、{MAX_CELLS:,} 个单元格），疑为异常文件，已拒绝："
        "请删除多余的行和列（或只把数据复制到新工作簿）后另存再上传。",
    )


def _check_extent(sheet: str, columns: int, rows: int, where: str) -> None:
    if columns > MAX_COLUMNS or columns * rows > MAX_CELLS:
        raise _too_wide(sheet, columns, rows, where)


def inspect_xlsx(data: bytes) -> None:
    """Refuse (raise UnreadableFile) an xlsx whose archive or worksheets are beyond the limits, reading it in chunks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise file_error("corrupt", CORRUPT) from error
    inflated = sum(m.file_size for m in members)
    compressed = max(sum(m.compress_size for m in members), 1)
    if len(members) > MAX_MEMBERS or inflated > MAX_INFLATED_BYTES or inflated / compressed > MAX_INFLATE_RATIO:
        raise file_error(
            "zip_bomb",
            f"文件解压后达 {inflated / 1024 / 1024:,.0f} MB（压缩比 {inflated / compressed:,.0f} 倍），"
            "远超正常工作簿，疑为恶意文件，已拒绝。",
        )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise file_error("corrupt", CORRUPT)
    cells = 0
    titles = _sheet_titles(archive)
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            cells += _scan_sheet(archive, member, titles.get(member.filename, member.filename))
            if cells > MAX_CELLS:
                message = f"工作簿共有超过 {MAX_CELLS:,} 个单元格，远超填报表应有的大小，已拒绝。"
                raise file_error("sheet_too_large", message)


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name as Excel shows it → its part in the archive."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile) as error:
        raise file_error("corrupt", CORRUPT) from error
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    paths = {}
    for node in workbook.iterfind("m:sheets/m:sheet", _XLSX_NS):
        target = targets.get(node.get(f"{{{_XLSX_NS['r']}}}id"), "")
        paths[node.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return paths


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    return {path: name for name, path in sheet_paths(archive).items()}


def _scan_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, sheet: str) -> int:
    """Stream one worksheet's XML: its declared range and the cells present (positions as Excel infers them when a
    row or cell omits its reference). Python's zipfile inflates no more than the declared size and checks the CRC,
    so the sizes checked above are the sizes read."""
    row = column = max_row = max_column = cells = 0
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                text = tail + chunk
                cut = text.rfind(b">") + 1
                text, tail = text[:cut], text[cut:]
                for match in _TAG.finditer(text):
                    kind, attributes = match.group(1), match.group(2)
                    if kind == b"row":
                        ref = _ROW_REF.search(attributes)
                        row, column = (int(ref.group(1)) if ref else row + 1), 0
                    elif kind == b"c":
                        ref = _CELL_REF.search(attributes)
                        if ref:
                            column, row = column_number(ref.group(1)), int(ref.group(2))
                        else:
                            column += 1
                        cells += 1
                        max_row, max_column = max(max_row, row), max(max_column, column)
                    else:
                        ref = _RANGE_REF.search(attributes)
                        if ref and ref.group(3):
                            _check_extent(sheet, column_number(ref.group(3)), int(ref.group(4)), "声明范围")
                if max_column > MAX_COLUMNS or max_column * max_row > MAX_CELLS:
                    _check_extent(sheet, max_column, max_row, "单元格范围")
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise file_error("corrupt", CORRUPT) from error
    _check_extent(sheet, max_column, max_row, "单元格范围")
    return cells


def inspect_csv(text: str, separator: str) -> None:
    """A CSV's widest line and its length, before pandas makes a frame of it."""
    lines = text.count("\n") + 1
    widest = max((line.count(separator) + 1 for line in text.split("\n")), default=0)
    if widest > MAX_COLUMNS or widest * lines > MAX_CELLS:
        raise file_error(
            "sheet_too_large",
            f"CSV 文件有 {widest:,} 列 × {lines:,} 行，远超填报表应有的大小（至多 {MAX_COLUMNS} 列、"
            f"{MAX_CELLS:,} 个单元格），已拒绝：请只保留数据列后另存再上传。",
        )
