"""The filter form above each page: its fields, their options in the request's language, and the quarter's
neighbours."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..filters import Filters, all_quarters, quarter_code, quarter_label
from ..selectors import PlanMeta
from .formatting import short_name
from .labels import Labels, area_name, department_name, section_title


def filter_bar(meta: PlanMeta, filters: Filters, labels: Labels, fields: list[str], extra: dict | None = None) -> dict:
    """The filter form's fields (name, label, options as (value, text, selected)) and the quarter neighbours."""
    options = {
        "quarter": _quarter_options(filters),
        "section": _section_options(meta, filters, labels),
        "department": _department_options(meta, filters, labels),
        "special_column": _special_column_options(meta, filters, labels),
        "city": _city_options(meta, filters, labels),
    }
    options.update(extra or {})
    previous, following = filters.neighbours()
    return {
        "fields": [{"name": name, "label": options[name][0], "options": options[name][1]} for name in fields],
        "previous": previous,
        "following": following,
        "quarter_label": filters.quarter_label,
    }


def _quarter_options(filters: Filters) -> tuple[str, list]:
    quarters = list(reversed(all_quarters(filters.latest)))
    return _("季度"), [(quarter_code(*q), quarter_label(*q), q == filters.period) for q in quarters]


def _section_options(meta: PlanMeta, filters: Filters, labels: Labels) -> tuple[str, list]:
    sections = [("", _("全部章节"), not filters.section)]
    limit = 40 if labels.english else 18
    for code in meta.sections.index:
        indent = "\u3000" * code.count(".")
        title = short_name(section_title(meta, code, labels), limit)
        sections.append((code, f"{indent}{code} {title}", code == filters.section))
    return _("章节"), sections


def _department_options(meta: PlanMeta, filters: Filters, labels: Labels) -> tuple[str, list]:
    holders = set(meta.responsibilities["department"])
    departments = [("", _("全部部门"), not filters.department)]
    for code in meta.departments.index:
        if code in holders:
            departments.append((code, department_name(meta, code, labels), code == filters.department))
    return _("责任部门"), departments


def _special_column_options(meta: PlanMeta, filters: Filters, labels: Labels) -> tuple[str, list]:
    columns = [("", _("全部专栏"), filters.special_column is None)]
    for number, row in meta.special_columns.iterrows():
        title = row["title_en"] if labels.english and row["title_en"] else row["title"]
        text = _("专栏%(n)s") % {"n": number} + " " + short_name(title, 40 if labels.english else 16)
        columns.append((str(number), text, number == filters.special_column))
    return _("专栏"), columns


def _city_options(meta: PlanMeta, filters: Filters, labels: Labels) -> tuple[str, list]:
    cities = [("", _("全部城市"), not filters.city)]
    for area_id in meta.reporting_area_ids:
        code = meta.areas.loc[area_id, "code"]
        cities.append((code, area_name(meta, area_id, labels), code == filters.city))
    return _("城市"), cities


def target_options(meta: PlanMeta, ids: list[int], selected: str, *, empty: str | None = None) -> list:
    english = (get_language() or "").startswith("en")
    options = [("", empty, not selected)] if empty is not None else []
    for target_id in ids:
        row = meta.targets.loc[target_id]
        name = short_name(row["name_en"], 60) if english and row["name_en"] else short_name(row["name"], 26)
        options.append((row["code"], f"{row['code']} {name}", row["code"] == selected))
    return options
