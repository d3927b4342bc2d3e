"""Reads about areas, indicators, observations and uploads that pages, the API, commands and exports share."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from indicators.models import Area, Indicator
from indicators.periods import (
    BASELINE_YEAR,
    latest_closed_quarter,
    previous_quarter,
    quarters_between,
    submission_deadline,
)
from targets.models import Target, TargetAreaValue

from .models import Observation, QuarterApproval, Upload
from .workbooks import TemplateRow


def template_pairs(area: Area) -> list[tuple[Area, Indicator]]:
    """(area, indicator) rows of an area's quarterly template: what every city reports (or, for the province, what
    the province reports), plus indicators the plan asks of this area or its counties by name."""
    if area.level == Area.Level.PROVINCE:
        common = Indicator.objects.filter(reported_by=Indicator.ReportedBy.PROVINCE)
    else:
        common = Indicator.objects.filter(reported_by=Indicator.ReportedBy.CITY)
    pairs = [(area, indicator) for indicator in common]
    family = [area, *area.children.all()]
    named = (
        TargetAreaValue.objects.filter(area__in=family, target__indicator__reported_by=Indicator.ReportedBy.AREAS)
        .select_related("area", "target__indicator")
        .order_by("area__order", "target__indicator__order")
    )
    seen = {(a.pk, i.pk) for a, i in pairs}
    for value in named:
        key = (value.area_id, value.target.indicator_id)
        if key not in seen:
            seen.add(key)
            pairs.append((value.area, value.target.indicator))
    return pairs


def expected_indicator_codes(area: Area) -> list[str]:
    return [indicator.code for a, indicator in template_pairs(area) if a.pk == area.pk]


def target_texts(pairs: list[tuple[Area, Indicator]]) -> dict[tuple[int, int], str]:
    """What each row must reach, as the template shows it: the area's own value where the plan sets one; where the
    plan's figure is the province's total (220 监控点, 182 座尾矿库), it says so and that the city's count adds to it,
    rather than showing a city the province's number as if it were its own. Each text once, earliest first."""
    indicator_ids = {i.pk for _, i in pairs}
    targets = Target.objects.filter(indicator_id__in=indicator_ids).select_related("indicator")
    targets = targets.prefetch_related("area_values").order_by("target_year", "deadline", "order")
    areas = {a.pk: a for a, _ in pairs}
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    for target in targets:
        own = {v.area_id: v.value for v in target.area_values.all()}
        for area in areas.values():
            text = _target_text_for(target, area, own)
            key = (area.pk, target.indicator_id)
            if text and text not in texts[key]:
                texts[key].append(text)
    return {key: "；".join(value) for key, value in texts.items() if value}


def _is_province_total(target: Target) -> bool:
    """The plan's figure is a total of the cities' (or a cut in the province's total), which no single city is held
    to: the same rule progress.services.build_assignments follows."""
    return target.scope == Target.Scope.PROVINCE and (
        target.indicator.aggregation == Indicator.Aggregation.SUM or target.comparator == Target.Comparator.REDUCE_ABS
    )


def _target_text_for(target: Target, area: Area, own: dict[int, float]) -> str:
    """One target's text on one area's row, or "" when the target asks nothing of the area."""
    if area.pk in own:
        return _goal_text(target, own[area.pk])
    is_province = area.level == Area.Level.PROVINCE
    if _is_province_total(target) and not is_province and not target.value_from_areas:
        return f"全省合计{_goal_text(target, target.value)}：方案未分解到市，本市填报数计入全省合计"
    if own and target.scope != Target.Scope.EACH_CITY:  # the plan names other areas, not this one
        return ""
    if target.value is None and target.comparator != Target.Comparator.DONE_BY:
        return ""
    return _goal_text(target, target.value)  # every city's common value (where named cities have their own)


def _goal_text(target: Target, value: float | None) -> str:
    if target.is_yearly:  # the same duty in every year of its years
        if target.comparator == Target.Comparator.DONE_BY:
            goal = f"{target.deadline_in_year or '12-31'}前完成"
        else:
            goal = f"{target.comparator_symbol}{value:g}"
        return f"每年{goal}（{target.first_year}—{target.last_year}年）"
    if target.comparator == Target.Comparator.DONE_BY:
        return f"{target.deadline:%Y-%m-%d}前完成"
    if target.comparator == Target.Comparator.REDUCE_PCT:
        return f"较{target.baseline_year}年降低{value:g}%（{target.target_year}年）"
    if target.comparator == Target.Comparator.REDUCE_ABS:
        return f"较{target.baseline_year}年减少{value:g}{target.unit}（{target.target_year}年）"
    return f"{target.comparator_symbol}{value:g}（{target.target_year}年）"


def template_rows(area: Area, year: int, quarter: int) -> list[TemplateRow]:
    pairs = template_pairs(area)
    texts = target_texts(pairs)
    prev_year, prev_quarter = previous_quarter(year, quarter)
    previous = dict(
        ((a, i), v)
        for a, i, v in Observation.objects.filter(
            is_current=True, year=prev_year, quarter=prev_quarter, area__in={a for a, _ in pairs}
        ).values_list("area_id", "indicator_id", "value")
    )
    return [
        TemplateRow(
            area_code=a.code,
            area_name=a.name,
            indicator_code=i.code,
            indicator_name=i.name,
            unit=i.unit,
            target_text=texts.get((a.pk, i.pk), ""),
            previous_value=previous.get((a.pk, i.pk)),
            min_value=i.min_value,
            max_value=i.max_value,
            whole=i.whole_numbers,
        )
        for a, i in pairs
    ]


def uploads_visible_to(user) -> QuerySet:
    uploads = Upload.objects.select_related("area", "uploaded_by")
    if user.sees_everything:
        return uploads
    return uploads.filter(Q(area=user.area) | Q(uploaded_by=user))


def observations_for(
    *,
    user,
    area: Area | None = None,
    indicator: Indicator | None = None,
    year: int | None = None,
    quarter: int | None = None,
    upload_id: int | None = None,
    current: bool | None = None,
) -> QuerySet:
    """Observations the user may see (a city officer: their city and its counties) in the order they were stored,
    each with its area, indicator and upload (and the uploader) joined in: one query however many rows."""
    rows = Observation.objects.filter(user.area_filter("area")).select_related(
        "area", "indicator", "upload", "upload__uploaded_by"
    )
    filters = {"area": area, "indicator": indicator, "year": year, "quarter": quarter, "upload_id": upload_id}
    rows = rows.filter(**{field: value for field, value in filters.items() if value is not None})
    if current is not None:
        rows = rows.filter(is_current=current)
    return rows.order_by("pk")


def current_notes(*, area_ids, through: tuple[int, int]) -> dict[tuple[int, int, int, int], str]:
    """The note (备注) a city wrote beside each current value of these areas, up to the quarter `through`, keyed
    (area id, indicator id, year, quarter): why a figure lags, for pages to show beside it. One query; values
    without a note are left out."""
    year, quarter = through
    rows = (
        Observation.objects.filter(is_current=True, area_id__in=list(area_ids))
        .filter(Q(year__lt=year) | Q(year=year, quarter__lte=quarter))
        .exclude(note="")
        .values_list("area_id", "indicator_id", "year", "quarter", "note")
    )
    return {(a, i, y, q): note for a, i, y, q, note in rows}


@dataclass
class CompletenessCell:
    status: str  # on_time | late | missing | rejected | pending | not_due
    upload: Upload | None
    label: str
    approval: QuarterApproval | None = None  # submitted, approved (locked), returned or unlocked

    @property
    def approved(self) -> bool:
        return self.approval is not None and self.approval.is_locked


COMPLETENESS_LABELS = {
    "on_time": "按时",
    "late": "逾期提交",
    "missing": "未提交",
    "rejected": "被退回",
    "pending": "处理中",
    "not_due": "未到期",
}


def completeness_years(*, today) -> list[int]:
    """The years the completeness grid can show, latest first: from the baseline year to the last closed quarter's."""
    return list(range(latest_closed_quarter(today)[0], BASELINE_YEAR - 1, -1))


def completeness_of_year(year: int, *, today, approvals: bool = False) -> tuple[list, list, dict]:
    """The grid of one year, through the last quarter that has ended."""
    end = min((year, 4), latest_closed_quarter(today))
    return completeness_grid(start=(year, 1), end=end, today=today, approvals=approvals)


def completeness_grid(
    *, start: tuple[int, int], end: tuple[int, int], today, approvals: bool = False
) -> tuple[list, list, dict]:
    """City × quarter: on time, late, missing, rejected, from the uploads of each city-quarter (two queries); with
    approvals=True each cell also carries the quarter's approval (a third query)."""
    areas = list(Area.objects.reporting())
    quarters = quarters_between(start, end)
    uploads = (
        Upload.objects.filter(area__in=areas, year__isnull=False)
        .select_related("uploaded_by")
        .filter(year__gte=start[0], year__lte=end[0])
        .exclude(status=Upload.Status.DUPLICATE)
        .order_by("created_at")
    )
    first_accepted, last_seen = {}, {}
    for upload in uploads:
        key = (upload.area_id, upload.year, upload.quarter)
        if upload.status in (Upload.Status.ACCEPTED, Upload.Status.SUPERSEDED) and key not in first_accepted:
            first_accepted[key] = upload
        last_seen[key] = upload
    approved = QuarterApproval.objects.filter(area__in=areas, year__gte=start[0], year__lte=end[0])
    approvals = {(a.area_id, a.year, a.quarter): a for a in approved.select_related("decided_by")} if approvals else {}
    grid = {}
    for area in areas:
        for year, quarter in quarters:
            key = (area.pk, year, quarter)
            deadline = submission_deadline(year, quarter)
            accepted = first_accepted.get(key)
            latest = last_seen.get(key)
            if accepted is not None:
                status = "on_time" if accepted.created_at.date() <= deadline else "late"
                upload = accepted
            elif latest is not None and latest.status == Upload.Status.REJECTED:
                status, upload = "rejected", latest
            elif latest is not None and latest.status in (
                *Upload.PENDING,
                Upload.Status.PREVIEWED,
                Upload.Status.FAILED,
            ):
                status, upload = "pending", latest
            else:
                status, upload = ("missing" if today > deadline else "not_due"), None
            grid[key] = CompletenessCell(
                status=status, upload=upload, label=COMPLETENESS_LABELS[status], approval=approvals.get(key)
            )
    return areas, quarters, grid
