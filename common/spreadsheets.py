"""Cells a spreadsheet program would run as a formula are written as text.

A value a person typed (a note, a target name, a file name) that starts with = + - @, a tab or a carriage return is
read by Excel and WPS as a formula (=HYPERLINK(…), =cmd|' /C calc'!A0) when the file is opened. Every CSV and XLSX
the tracker writes passes its text cells through `neutralise`; numbers stay numbers."""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A signed number as the pages write it (−3.2, +1.5, -1,234, -12%): a spreadsheet reads it as a number, not a formula.
_SIGNED_NUMBER = re.compile(r"[+-]\d[\d,]*(\.\d+)?%?")


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe (OWASP's advice for CSV injection); a plain signed
    number and anything that is not text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(value) for value in row]
