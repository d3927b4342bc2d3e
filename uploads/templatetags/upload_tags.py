from django import template
from django.utils.html import format_html

from indicators.localized import english
from uploads.issues import RULES

register = template.Library()


@register.filter
def issue_text(issue: dict) -> str:
    """An error or warning as the page shows it: its Chinese message; in English, what the rule means, with the
    message (which quotes the cells and names it is about) beside it, marked as Chinese."""
    message = issue.get("message", "")
    if not english():
        return message
    rule = RULES.get(issue.get("rule", ""))
    if rule is None:
        return format_html('<span lang="zh">{}</span>', message)
    return format_html('{} <span class="muted" lang="zh">{}</span>', rule, message)
