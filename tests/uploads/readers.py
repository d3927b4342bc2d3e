"""A reader with no protection of its own, for the memory-ceiling tests: calamine asked for a whole sheet. Importable
without Django, as the child process of uploads.bounded imports it."""

import io

from python_calamine import CalamineWorkbook


def read_first_sheet(data: bytes) -> int:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(workbook.get_sheet_by_index(0).to_python(skip_empty_area=False))
