"""Stored numbers written back as a person would type them."""


def plain_number(value: float | None) -> str:
    """A stored number as a person would type it back: every digit it has, no exponent, no trailing '.0'."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
