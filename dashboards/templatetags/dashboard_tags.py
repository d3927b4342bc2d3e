"""figure_json: json_script for figure specs, written compactly as UTF-8 (json_script escapes every Chinese character
to six ASCII bytes, which doubles a heat map's size) with the same escaping of <, > and & that makes it safe.
table_body: the rows of a chart's table view."""

import json
import math

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _finite(value):
    """NaN and infinities (which JSON lacks) as null, everywhere in a nested spec."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def dumps(value) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN slipped through: write it as null rather than break the page
        text = json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_ESCAPES)


@register.filter(is_safe=True)
def figure_json(value, element_id: str):
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(dumps(value)))


@register.filter(is_safe=True)
def table_body(rows) -> str:
    """A chart's table rows (dashboards.pages.cells.Cell) as <tr> elements, every text escaped. Written here rather
    than with template loops: a heat map's table has over a thousand cells, and a page is rebuilt after every
    recompute."""
    return mark_safe("".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in rows))


def _td(c) -> str:
    attributes = f' class="{conditional_escape(c.css)}"' if c.css else ""
    if c.css in ("quote", "typed"):  # plan text stays Chinese on an English page
        attributes += ' lang="zh"'
    inner = conditional_escape(c.text)
    if c.href:
        inner = f'<a href="{conditional_escape(c.href)}">{inner}</a>'
    if c.badge:
        tip = f' title="{conditional_escape(c.tip)}" tabindex="0"' if c.tip else ""
        inner = f'<span class="st st-{conditional_escape(c.badge)}"{tip}>{inner}</span>'
    return f"<td{attributes}>{inner}</td>"
