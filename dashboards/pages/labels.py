"""Translated names and status texts: what a status, an area, a department or a chapter is called on a page, in the
request's language, and the tip that shows the inputs a status was computed from."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from django.urls import reverse
from django.utils.translation import get_language, gettext

from progress.choices import BaselineSource, ProjectionStatus, Status, YearState
from progress.selectors import YearOfDuty, year_strip
from targets.models import Section

from ..filters import quarter_label
from ..selectors import PlanMeta
from .cells import Cell, cell
from .formatting import missing, num, num_marked, pct, signed, two

HAN = re.compile(r"[\u4e00-\u9fff]")


def _(message: str) -> str:
    """gettext, remembered per language: a heat map's tips ask for the same dozen phrases for each of its cells."""
    return _translated(get_language(), message)


@lru_cache(maxsize=512)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


class Labels:
    """The translated labels a page needs, made once per build (in the request's language)."""

    def __init__(self):
        self.status = {s.value: str(s.label) for s in Status}
        self.baseline = {s.value: str(s.label) for s in BaselineSource}
        self.projection = {s.value: str(s.label) for s in ProjectionStatus}
        self.year_state = {s.value: str(s.label) for s in YearState}
        self.english = (get_language() or "").startswith("en")

    def status_text(self, row) -> str:
        """The status as shown, with its symbol: the override (marked *, the computed status beside it) where one
        exists, else the computed one."""
        shown = row.override_status or row.status
        text = f"{Status(shown).symbol} {self.status[shown]}"
        if row.override_status:
            text += " *" + _("（人工认定；计算：%(status)s）") % {"status": self.status[row.status]}
        return text

    def status_columns(self) -> list[str]:
        """The statuses as table column headings, best first."""
        return [self.status[s] for s in Status.best_first()]


def status_tip(row, unit: str, labels: Labels) -> str:
    """The inputs a status was computed from (docs/progress.md), and the administrator's override beside it."""
    lines = []
    if row.override_status:
        lines.append(_("人工认定：%(status)s") % {"status": labels.status[row.override_status]})
        lines.append(_("认定理由：%(reason)s") % {"reason": typed_text(row.override_reason, labels)})
        lines.append(_("计算状态：%(status)s") % {"status": labels.status[row.status]})
    else:
        lines.append(_("状态：%(status)s") % {"status": labels.status[row.status]})
    lines += year_lines(row, labels)
    if missing(row.actual):
        lines.append(_("实际值：无"))
    else:
        period = "" if missing(row.actual_year) else quarter_label(int(row.actual_year), int(row.actual_quarter))
        value = num_marked(row.actual, approved_of(row))
        lines.append(_("实际值：%(value)s %(unit)s（%(period)s）") % {"value": value, "unit": unit, "period": period})
        if not missing(row.actual_derived_from):
            lines.append(_("（由 %(count)d 个地区的数值汇总）") % {"count": int(row.actual_derived_from)})
        if not approved_of(row):
            lines.append(unapproved_legend())
    if not missing(row.ytd_value):
        lines.append(
            _("年内累计值：%(value)s；同比：%(change)s")
            % {"value": num(row.ytd_value), "change": signed(row.yoy_change)}
        )
    source = labels.baseline.get(row.baseline_source, row.baseline_source)
    lines.append(_("基准值：%(value)s（%(source)s）") % {"value": num(row.baseline) or "—", "source": source})
    lines.append(_("目标值：%(value)s") % {"value": num(row.target_value) or "—"})
    lines.append(_("时间进度：%(share)s") % {"share": pct(row.time_share) or "—"})
    lines.append(_("序时进度值：%(value)s") % {"value": num(row.expected) or "—"})
    lines.append(_("完成进度：%(ratio)s") % {"ratio": pct(row.progress_ratio) or "—"})
    lines.append(_("序时完成比：%(ratio)s") % {"ratio": two(row.schedule_ratio) or "—"})
    if note := held_note(row):
        lines.append(note)
    return "\n".join(lines)


def held_note(row) -> str:
    """Where the trend ran past the indicator's valid range: the projection was held at this bound (else "")."""
    if not getattr(row, "projection_clipped", False):
        return ""
    if getattr(row, "projection_bound", "") == "lower":
        return _("预测值已截至有效范围下限 %(bound)s") % {"bound": num(row.projection)}
    return _("预测值已截至有效范围上限 %(bound)s") % {"bound": num(row.projection)}


def approved_of(row) -> bool:
    """Whether the row's actual rests on approved data (rows read without the approvals count as approved)."""
    return bool(getattr(row, "approved", True))


def unapproved_legend() -> str:
    return _("※ 数据尚未经省级审核")


def typed_text(text: str, labels: Labels) -> str:
    """What a person typed, in a tip: a tooltip cannot say which language a piece of it is in, so an English page
    says where the Chinese text can be read instead of showing it unmarked."""
    if labels.english and HAN.search(text or ""):
        return _("（以中文填写，见中文界面）")
    return text


def year_lines(row, labels: Labels) -> list[str]:
    """A yearly duty's record in a tip: the strip of its years, how many were met, which were not, and where the
    row's own year stands (docs/progress.md §15). Nothing for other targets."""
    record = getattr(row, "record", None) or []
    if missing(getattr(row, "years_due", None)) and not record:
        return []
    lines = [_("逐年：%(strip)s") % {"strip": year_strip(record)}] if record else []
    if not missing(row.years_due):
        lines.append(_("已完成 %(met)d 年，共到期 %(due)d 年") % {"met": row.years_met, "due": row.years_due})
    unmet = [str(y.year) for y in record if y.state in (YearState.MISSED, YearState.NO_DATA)]
    if unmet:
        lines.append(_("未完成的年份：%(years)s") % {"years": "、".join(unmet)})
    if getattr(row, "year_state", ""):
        lines.append(_("%(year)d年：%(state)s") % {"year": row.year, "state": labels.year_state[row.year_state]})
    return lines


def year_tip(year: YearOfDuty, unit: str, labels: Labels) -> str:
    """One year of a yearly duty: its verdict, its value against the target (or its 序时进度 while not due) and its
    deadline."""
    state = labels.year_state[year.state] if year.state else _("未计算")
    lines = [_("%(year)d年：%(state)s") % {"year": year.year, "state": state}]
    value = _("本年无报送") if missing(year.value) else f"{num(year.value)} {unit}"
    lines.append(_("实际值：%(value)s") % {"value": value})
    lines.append(_("目标值：%(value)s") % {"value": num(year.target) or "—"})
    if year.state == YearState.NOT_DUE:
        lines.append(_("序时进度值：%(value)s") % {"value": num(year.expected) or "—"})
    lines.append(_("期限：%(date)s") % {"date": year.deadline.isoformat()})
    return "\n".join(lines)


def status_cell(row, unit: str, labels: Labels, href: str = "") -> Cell:
    shown = row.override_status or row.status
    return cell(labels.status_text(row), "status-cell", status_tip(row, unit, labels), href, shown)


def shown_status(frame: pd.DataFrame) -> pd.Series:
    """The status each row shows: the override where one exists."""
    return frame["override_status"].where(frame["override_status"] != "", frame["status"])


def area_name(meta: PlanMeta, area_id: int, labels: Labels) -> str:
    row = meta.areas.loc[area_id]
    return row["name_en"] if labels.english and row["name_en"] else row["name"]


def indicator_text(meta: PlanMeta, indicator_id: int, labels: Labels) -> tuple[str, str]:
    """An indicator's name and unit in the request's language (English where the plan gives it)."""
    row = meta.indicators.loc[indicator_id]
    if labels.english:
        return row["name_en"] or row["name"], row["unit_en"] or row["unit"]
    return row["name"], row["unit"]


def indicator_cell(target) -> Cell:
    """A target's indicator as a table cell leading to the indicator's page."""
    return cell(target["indicator_name"], href=reverse("indicator_detail", args=[target["indicator_code"]]))


def target_name(meta: PlanMeta, target_id: int, labels: Labels) -> str:
    row = meta.targets.loc[target_id]
    return row["name_en"] if labels.english and row["name_en"] else row["name"]


def goal_text(meta: PlanMeta, target_id: int, labels: Labels) -> str:
    """The commitment in a few characters (≤ 34 微克/立方米), its unit in the request's language."""
    row = meta.targets.loc[target_id]
    return row["value_display_en"] if labels.english else row["value_display"]


def section_title(meta: PlanMeta, code: str, labels: Labels) -> str:
    row = meta.sections.loc[code]
    return row["title_en"] if labels.english and row["title_en"] else row["title"]


def department_name(meta: PlanMeta, code: str, labels: Labels) -> str:
    row = meta.departments.loc[code]
    return row["name_en"] if labels.english and row["name_en"] else row["name"]


def group_label(meta: PlanMeta, group: str) -> str:
    """蓝天, 碧水 … for the chapters of 二, the title for 一 and 三."""
    if group not in meta.sections.index:
        return group
    row = meta.sections.loc[group]
    if row["theme"]:
        return str(Section.Theme(row["theme"]).label)
    return row["title"]


def tied_mark(row) -> str:
    """After a name on a ranking's bar: （并列） where the place is shared (rank_with_ties), else nothing."""
    return _("（并列）") if row.tied else ""


def place_cell(row) -> Cell:
    """A place in a ranking's table: "3", or "3 并列" where it is shared (text then, in the table and its CSV)."""
    if row.tied:
        return cell(f"{row.rank} " + _("并列"), "num tied")
    return cell(row.rank, "num")
