"""{% load localized %}: {{ area|local }}, {{ section|local:"title" }}, {{ upload|quarter }}, {% quarter_of y q %}."""

from django import template

from indicators.localized import localized, quarter_name

register = template.Library()


@register.filter
def local(obj, field: str = "name") -> str:
    """The object's name (or the named field) in the page's language."""
    return localized(obj, field)


@register.filter
def quarter(obj) -> str:
    """The quarter of anything with year and quarter (an upload, a report, an audit entry), in the page's language;
    empty where it has none."""
    return quarter_name(getattr(obj, "year", None), getattr(obj, "quarter", None))


@register.simple_tag
def quarter_of(year, quarter_number) -> str:
    return quarter_name(year, quarter_number)
