"""Numbers and text as the pages write them: in tables, CSV files, hover tips and bar labels."""

from __future__ import annotations

import html
import math

import numpy as np

UNAPPROVED_MARK = "※"  # as in the printed report: the figure rests on a quarter the province has not approved


def missing(value) -> bool:
    return value is None or (isinstance(value, float | np.floating) and not math.isfinite(value))


def num(value) -> str:
    if missing(value):
        return ""
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.4g}"
    if "e" in text:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text


def num_marked(value, approved: bool = True) -> str:
    """num(), with ※ after a figure whose quarter is not yet approved."""
    text = num(value)
    return text + UNAPPROVED_MARK if text and not approved else text


def signed(value) -> str:
    """A change with its sign, to two decimals (同比)."""
    if missing(value):
        return ""
    value = round(float(value), 2)
    return ("+" if value > 0 else "") + num(value)


def pct(value) -> str:
    return "" if missing(value) else f"{float(value) * 100:.0f}%"


def two(value) -> str:
    return "" if missing(value) else f"{float(value):.2f}"


def hover(text: str) -> str:
    """Tip text for a Plotly hover label, escaped (Plotly reads a few HTML tags); its lines stay separated by "\n",
    which dashboards.js turns into <br> (short JSON: an escaped <br> costs 14 bytes)."""
    return html.escape(text, quote=False)


def short_name(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
