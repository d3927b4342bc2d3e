"""{% load localized %}: {{ area|local }}, {{ section|local:"title" }}, {{ upload|quarter }}, {% quarter_of y q %}."""

import re

from django import template
from django.utils.html import format_html

from indicators.localized import area_name_of, localized, quarter_name

register = template.Library()


@register.filter
def local(obj, field: str = "name") -> str:
    """The object's name (or the named field) in the page's language."""
    return localized(obj, field)


@register.filter
def quarter(obj) -> str:
    """The quarter of anything with year and quarter (an upload, a report, an audit entry), in the page's language;
    empty where it has none."""
    if isinstance(obj, dict):  # a report's parameters
        return quarter_name(obj.get("year"), obj.get("quarter"))
    return quarter_name(getattr(obj, "year", None), getattr(obj, "quarter", None))


@register.simple_tag
def quarter_of(year, quarter_number) -> str:
    return quarter_name(year, quarter_number)


HAN = re.compile(r"[\u4e00-\u9fff]")


@register.filter
def zh(value) -> str:
    """Text people typed (a file name, a note, a reason, a person's name) or recorded in Chinese: marked lang="zh"
    when it holds Chinese, so that readers and screen readers of an English page know its language."""
    text = "" if value is None else str(value)
    return format_html('<span lang="zh">{}</span>', text) if HAN.search(text) else text


@register.filter
def area_named(code: str, name: str) -> str:
    """{{ entry.area_code|area_named:entry.area_name }}: a recorded area in the page's language."""
    return area_name_of(code, name)
