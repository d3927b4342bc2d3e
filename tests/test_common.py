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
