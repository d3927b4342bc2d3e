"""Cells a spreadsheet program would run as a formula are written as text.

A value a person typed (a note, a target name, a file name) that starts with = + - @, a tab or a carriage return is
read by Excel and WPS as a formula (=HYPERLINK(…), =cmd|' /C calc'!A0) when the file is opened. Every CSV and XLSX
the tracker writes passes its text cells through `neutralise`; numbers stay numbers."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe (OWASP's advice for CSV injection); anything else
    is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(row) -> list:
    return [neutralise(value) for value in row]
