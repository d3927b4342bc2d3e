"""2a. A city's page: every target's progress bar, the trend of one target, and the data-quality warnings its Progress
rows carry."""

from __future__ import annotations

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from progress.choices import Status
from targets.models import Target
from uploads.selectors import current_notes

from ..filters import Filters, filter_target_ids, quarter_label
from ..selectors import PlanMeta, progress_series
from .cells import Page
from .charts import judged_note, progress_chart, series_charts, years_chart
from .filter_bar import filter_bar, target_options
from .formatting import missing, short_name
from .frames import known, quarter_rows, with_approval
from .labels import Labels, area_name


def city_page(meta: PlanMeta, filters: Filters, area_id: int) -> Page:
    labels = Labels()
    name = area_name(meta, area_id, labels)
    code = meta.areas.loc[area_id, "code"]
    rows = quarter_rows(meta, filters)
    kept = filter_target_ids(meta, filters)
    mine = rows[(rows["area_id"] == area_id) & rows["target_id"].isin(kept)]
    page = Page(_("%(city)s：目标进度") % {"city": name})
    base = reverse("dash_city", args=[code])

    def link(target):
        return base + filters.query(target=target["code"]) + "#series"

    # One query for the bars and the series: the city's notes keyed (indicator id, year, quarter).
    notes = {key[1:]: note for key, note in current_notes(area_ids=[area_id], through=filters.period).items()}
    page.charts.append(
        progress_chart(
            "progress",
            _("%(city)s 各目标完成进度（%(quarter)s）") % {"city": name, "quarter": filters.quarter_label},
            meta,
            mine,
            labels,
            link,
            note=_("条形为完成进度（已完成距离占基准值到目标值全程的比例），黑色竖线为序时进度；悬停查看计算依据。"),
            remarks={
                int(r.target_id): judged_note(r, notes, int(meta.targets.loc[r.target_id, "indicator_id"]))
                for r in mine.itertuples(index=False)
            },
        )
    )
    yearly = mine[mine["record"].map(bool)]
    if len(yearly):
        page.charts.append(_years(meta, filters, name, yearly, labels, link))
    counts = mine["shown"].value_counts()
    page.context["metrics"] = [
        {"status": s.value, "label": labels.status[s], "symbol": s.symbol, "count": int(counts.get(s.value, 0))}
        for s in Status.best_first()
        if counts.get(s.value, 0)
    ]
    ids = [int(t) for t in mine["target_id"]]
    wanted = _series_target(meta, filters, mine, ids)
    if wanted is not None:
        series = with_approval(
            meta, known(meta, progress_series(through=filters.period, area_ids=[area_id], target_ids=[wanted]))
        )
        page.charts += series_charts(meta, series, wanted, labels, "", notes)
        page.context["selected"] = meta.targets.loc[wanted, "code"]
    page.context["quality"] = _quality_warnings(meta, filters, mine)
    page.context["league_link"] = reverse("dash_league") + filters.query(city=code, target=None)
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        ["quarter", "section", "department", "special_column", "target"],
        {"target": (_("走势目标"), target_options(meta, ids, page.context.get("selected", "")))},
    )
    page.context["area_code"] = code
    return page


def _years(meta: PlanMeta, filters: Filters, name: str, yearly: pd.DataFrame, labels: Labels, link):
    """The city's yearly duties, year by year."""
    targets = [meta.targets.loc[t] for t in yearly["target_id"]]
    return years_chart(
        "years",
        _("%(city)s 每年的任务：逐年完成情况（截至%(quarter)s）") % {"city": name, "quarter": filters.quarter_label},
        [f"{t['code']} {short_name(t['name'], 20)}" for t in targets],
        list(yearly["record"]),
        [t["unit"] for t in targets],
        labels,
        _("目标"),
        links=[link(t) for t in targets],
    )


def _series_target(meta: PlanMeta, filters: Filters, mine: pd.DataFrame, ids: list[int]) -> int | None:
    """The target whose trend the page shows: the one asked for, else the first that has a status to judge."""
    wanted = meta.target_by_code(filters.get("target"))
    if wanted not in ids:
        judged = mine[~mine["shown"].isin([Status.NO_DATA.value, Status.NO_BASELINE.value])]
        wanted = int(judged["target_id"].iloc[0]) if len(judged) else (ids[0] if ids else None)
    return wanted


def _quality_warnings(meta: PlanMeta, filters: Filters, mine: pd.DataFrame) -> list[tuple[str, str]]:
    """Data-quality warnings from the Progress rows: values carried forward, no baseline, no data."""
    warnings = []
    for r in mine.itertuples(index=False):
        target = meta.targets.loc[r.target_id]
        label = f"{target['code']} {short_name(target['name'], 30)}"
        if r.status == Status.NO_DATA:
            warnings.append((label, _("本期及此前均无可用于评估的数值")))
        elif r.status == Status.NO_BASELINE:
            warnings.append((label, _("缺少基准值，无法计算序时进度")))
        elif not missing(r.actual_year):
            source = (int(r.actual_year), int(r.actual_quarter))
            # A seasonal indicator in Q1–Q3 is judged on last year's 全年 value by design, a yearly duty past its
            # deadline on the deadline's quarter: neither is a late report.
            seasonal_rule = bool(target["seasonal"]) and filters.quarter < 4 and source == (filters.year - 1, 4)
            due = _deadline_quarter(target)
            yearly_rule = due is not None and filters.quarter > due and source == (filters.year, due)
            if source != filters.period and not seasonal_rule and not yearly_rule:
                period = quarter_label(*source)
                warnings.append((label, _("本期未报送，沿用%(period)s的数值") % {"period": period}))
    return warnings


def _deadline_quarter(target) -> int | None:
    """The quarter of a yearly duty's deadline within the year (09-30 → 3; the year's end → 4); None for others."""
    if target["recurrence"] != Target.Recurrence.YEARLY:
        return None
    return (int(target["deadline_in_year"][:2] or 12) - 1) // 3 + 1
