import datetime

from django.utils import timezone

from common.spreadsheets import neutralise, neutralise_row
from common.times import local_iso


def test_text_that_would_start_a_formula_is_written_as_text():
    hostile = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    assert [neutralise(v) for v in hostile] == ["'" + v for v in hostile]
    assert neutralise_row(["沈阳市", 34.5, -3, None, "备注=无"]) == ["沈阳市", 34.5, -3, None, "备注=无"]
    numbers = ["-0.5", "+1.2", "-1,234", "-12%", "+3"]  # signed numbers stay numbers
    assert [neutralise(v) for v in numbers] == numbers
    assert neutralise("-1+2") == "'-1+2" and neutralise("+1 HYPERLINK") == "'+1 HYPERLINK"


def test_times_are_beijing_time_with_the_offset():
    moment = datetime.datetime(2025, 1, 10, 1, 30, tzinfo=datetime.UTC)
    assert local_iso(moment) == "2025-01-10T09:30:00+08:00"
    assert local_iso(None) == ""
    assert local_iso(timezone.now()).endswith("+08:00")


def test_tables_are_written_with_beijing_times_formula_safe_text_numbers_and_a_digest_of_their_values():
    import datetime
    import io

    import openpyxl
    import pandas as pd

    from common.tabular import INTEGER, NUMBER, TIME, Column, Table, csv_bytes, tables_digest, write_xlsx
    from common.times import local_iso

    moment = datetime.datetime(2025, 1, 10, 1, 30, tzinfo=datetime.UTC)
    frame = pd.DataFrame({"text": ["=1+1", "沈阳"], "n": [1.5, None], "i": [3, 4], "at": [moment, None]})
    columns = [
        Column("text", "文字"),
        Column("n", "数值", NUMBER),
        Column("i", "整数", INTEGER),
        Column("at", "时间", TIME),
    ]
    table = Table("表", "表", columns, frame)
    text = csv_bytes(table).decode("utf-8")
    assert text.startswith("\ufeff文字,数值,整数,时间\r\n")
    assert f"'=1+1,1.5,3,{local_iso(moment)}\r\n" in text and local_iso(moment).endswith("+08:00")
    out = io.BytesIO()
    write_xlsx([table], out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["表"]
    assert [c.value for c in sheet[2]] == ["'=1+1", 1.5, 3, datetime.datetime(2025, 1, 10, 9, 30)]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    changed = Table("表", "表", columns, frame.assign(i=[3, 5]))
    assert tables_digest([table]) == tables_digest([Table("表", "表", columns, frame.copy())])
    assert tables_digest([table]) != tables_digest([changed])
