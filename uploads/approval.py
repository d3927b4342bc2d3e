"""Approval of a reporting unit's quarter, after DHIS2's data approval, and the lock that follows it.

A city (or, for the province's own figures, an administrator) submits a quarter whose values are in (提交审核);
provincial staff approve it (审核通过) or return it with a reason (退回). An approved quarter is locked: every door that
takes an upload (the web form, the API, `import_upload`) refuses a new file for it, long-format files that touch it
included, until an administrator unlocks it with a reason. The approval unit is the area that uploads: a county's
values come in its city's template, so they are approved with the city.

Every step is kept in the model's history (django-simple-history) and in the audit trail."""

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Kind
from audit.services import record
from indicators.localized import localized, quarter_name
from indicators.models import Area

from .models import Observation, QuarterApproval, Upload
from .reading import UnreadableFile, read_upload

Status = QuarterApproval.Status


class ApprovalRefused(Exception):
    """The step is not allowed now or not to this person; the message says why, in Chinese."""


def _label(area: Area, year: int, quarter: int) -> str:
    return f"{area.name}{year}年第{quarter}季度"


def _who(user) -> str:
    return user.get_full_name() or user.get_username() if user is not None else "—"


def _is_provincial_staff(user) -> bool:
    return user.role in (user.Role.PROVINCE, user.Role.ADMIN) or user.is_superuser


def approval_units() -> dict[int, int]:
    """Area id → the id of the area whose quarter approval covers it (a county → its city), in one query."""
    units = {}
    for pk, level, parent_id in Area.objects.values_list("pk", "level", "parent_id"):
        units[pk] = parent_id if level == Area.Level.COUNTY and parent_id else pk
    return units


def approved_quarters(area_ids, year: int, quarter: int) -> set[int]:
    """Of the given areas, those whose data for the quarter is approved (a county with its city). For pages that
    mark figures resting on data not yet approved."""
    units = approval_units()
    wanted = {units.get(a, a) for a in area_ids}
    approved = set(
        QuarterApproval.objects.filter(
            area_id__in=wanted, year=year, quarter=quarter, status=Status.APPROVED
        ).values_list("area_id", flat=True)
    )
    return {a for a in area_ids if units.get(a, a) in approved}


def approved_periods(units: dict[int, int] | None = None) -> set[tuple[int, int, int]]:
    """Every (area id, year, quarter) whose data is approved, a county's with its city's: one query given `units`
    (approval_units(), or the same read from areas a page already holds), so that a page can mark each figure resting
    on data not yet approved without a query per figure."""
    units = approval_units() if units is None else units
    members: dict[int, list[int]] = {}
    for area_id, unit_id in units.items():
        members.setdefault(unit_id, []).append(area_id)
    approved = QuarterApproval.objects.filter(status=Status.APPROVED).values_list("area_id", "year", "quarter")
    return {(area_id, year, quarter) for unit_id, year, quarter in approved for area_id in members.get(unit_id, [])}


def approved_frame() -> pd.DataFrame:
    """Every approved (unit area, year, quarter) with who approved it and when: a small table reports join on."""
    columns = ["unit_id", "year", "quarter", "approved_by", "approved_at"]
    rows = QuarterApproval.objects.filter(status=Status.APPROVED).values_list(
        "area_id", "year", "quarter", "decided_by__username", "decided_at"
    )
    return pd.DataFrame.from_records(list(rows), columns=columns)


def _pending_uploads(area: Area, year: int, quarter: int) -> list[int]:
    waiting = (*Upload.PENDING, Upload.Status.PREVIEWED)
    return list(
        Upload.objects.filter(area=area, year=year, quarter=quarter, status__in=waiting).values_list("pk", flat=True)
    )


def _has_values(area: Area, year: int, quarter: int) -> bool:
    family = [area.pk, *area.children.values_list("pk", flat=True)]
    return Observation.objects.filter(area_id__in=family, year=year, quarter=quarter, is_current=True).exists()


def _step(area, year, quarter, *, user, request, kind, summary, change) -> QuarterApproval:
    """Apply `change(approval)` to the locked row of the area-quarter (created if absent) and record it."""
    with transaction.atomic():
        approval = QuarterApproval.objects.select_for_update().filter(
            area=area, year=year, quarter=quarter
        ).first() or QuarterApproval(area=area, year=year, quarter=quarter)
        before = approval.status or None
        change(approval)
        approval._change_reason = approval.reason if kind in (Kind.QUARTER_RETURNED, Kind.QUARTER_UNLOCKED) else ""
        approval.save()
        record(
            kind,
            summary,
            actor=user,
            request=request,
            area=area,
            year=year,
            quarter=quarter,
            obj=approval,
            before={"status": before},
            after={"status": approval.status, "reason": approval.reason},
        )
    return approval


def current_approval(area: Area, year: int, quarter: int) -> QuarterApproval | None:
    return QuarterApproval.objects.filter(area=area, year=year, quarter=quarter).first()


def submit_quarter(*, area: Area, year: int, quarter: int, user, request=None) -> QuarterApproval:
    """The city (or an administrator) asks the province to approve the quarter's values."""
    if not (user.can_upload_for(area) and (area.is_reporting_unit or area.level == Area.Level.PROVINCE)):
        raise ApprovalRefused("只有本地区的市级填报员或系统管理员可以提交审核。")
    existing = current_approval(area, year, quarter)
    if existing and existing.status in (Status.SUBMITTED, Status.APPROVED):
        raise ApprovalRefused(f"{_label(area, year, quarter)}的数据{existing.get_status_display()}，无需重复提交。")
    if pending := _pending_uploads(area, year, quarter):
        raise ApprovalRefused(f"第 {pending[0]} 号上传尚未处理完毕或试导入待确认：请先处理，再提交审核。")
    if not _has_values(area, year, quarter):
        raise ApprovalRefused(f"{_label(area, year, quarter)}还没有被接受的数据，不能提交审核。")

    def change(approval):
        approval.status, approval.reason = Status.SUBMITTED, ""
        approval.submitted_by, approval.submitted_at = user, timezone.now()
        approval.decided_by = approval.decided_at = None

    return _step(
        area,
        year,
        quarter,
        user=user,
        request=request,
        kind=Kind.QUARTER_SUBMITTED,
        summary=f"{_label(area, year, quarter)}提交审核",
        change=change,
    )


def _decide(area, year, quarter, *, user, request, kind, status, reason=""):
    if not _is_provincial_staff(user):
        raise ApprovalRefused("只有省级工作人员可以审核季度数据。")
    existing = current_approval(area, year, quarter)
    if existing is None or existing.status != Status.SUBMITTED:
        state = existing.get_status_display() if existing else "未提交审核"
        raise ApprovalRefused(f"{_label(area, year, quarter)}的数据当前为“{state}”，只有已提交审核的季度可以审核。")
    if status == Status.RETURNED and not reason.strip():
        raise ApprovalRefused("退回时请填写理由。")
    if status == Status.APPROVED and (pending := _pending_uploads(area, year, quarter)):
        raise ApprovalRefused(f"第 {pending[0]} 号上传尚未处理完毕或试导入待确认：处理完毕后才能审核通过。")

    def change(approval):
        approval.status, approval.reason = status, reason.strip()
        approval.decided_by, approval.decided_at = user, timezone.now()

    verb = "审核通过并锁定" if status == Status.APPROVED else f"被退回：{reason.strip()}"
    return _step(
        area,
        year,
        quarter,
        user=user,
        request=request,
        kind=kind,
        summary=f"{_label(area, year, quarter)}{verb}",
        change=change,
    )


def approve_quarter(*, area: Area, year: int, quarter: int, user, request=None) -> QuarterApproval:
    return _decide(area, year, quarter, user=user, request=request, kind=Kind.QUARTER_APPROVED, status=Status.APPROVED)


def return_quarter(*, area: Area, year: int, quarter: int, user, reason: str, request=None) -> QuarterApproval:
    return _decide(
        area,
        year,
        quarter,
        user=user,
        request=request,
        kind=Kind.QUARTER_RETURNED,
        status=Status.RETURNED,
        reason=reason,
    )


def unlock_quarter(*, area: Area, year: int, quarter: int, user, reason: str, request=None) -> QuarterApproval:
    """An administrator reopens an approved quarter for corrections; the city then submits it again."""
    if not user.is_provincial_admin:
        raise ApprovalRefused("只有系统管理员可以解锁已审核通过的季度。")
    existing = current_approval(area, year, quarter)
    if existing is None or existing.status != Status.APPROVED:
        raise ApprovalRefused(f"{_label(area, year, quarter)}的数据没有锁定，无需解锁。")
    if not reason.strip():
        raise ApprovalRefused("解锁时请填写理由。")

    def change(approval):
        approval.status, approval.reason = Status.UNLOCKED, reason.strip()

    return _step(
        area,
        year,
        quarter,
        user=user,
        request=request,
        kind=Kind.QUARTER_UNLOCKED,
        summary=f"{_label(area, year, quarter)}解锁：{reason.strip()}",
        change=change,
    )


def _locked_message(locked: list[QuarterApproval], *, in_page_language: bool = False) -> str:
    """Why the quarters are closed to uploads: in Chinese for the audit trail, in the page's language for the person
    (Chinese too wherever no English is asked for: the API, the command)."""
    first = locked[0]
    when = timezone.localtime(first.decided_at).strftime("%Y-%m-%d %H:%M") if first.decided_at else ""
    if not in_page_language:
        names = "、".join(_label(a.area, a.year, a.quarter) for a in locked[:5]) + ("等" if len(locked) > 5 else "")
        return (
            f"{names}的数据已于{when}经{_who(first.decided_by)}审核通过并锁定，不能再上传。"
            "如需更正，请联系系统管理员说明理由后解锁。"
        )
    label = _("%(area)s%(quarter)s")
    shown = [label % {"area": localized(a.area), "quarter": quarter_name(a.year, a.quarter)} for a in locked[:5]]
    names = _("、").join(shown)
    if len(locked) > 5:
        names = _("%(names)s等") % {"names": names}
    return _(
        "%(names)s的数据已于%(when)s经%(who)s审核通过并锁定，不能再上传。如需更正，请联系系统管理员说明理由后解锁。"
    ) % {"names": names, "when": when, "who": _who(first.decided_by)}


def _long_format_keys(file, name: str) -> pd.DataFrame | None:
    """The (area code, year, quarter) a long-format file touches, or None when it cannot be read (the pipeline will
    then reject it with its own message)."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        return None
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        rows = read_upload(data, extension, max_rows=settings.UPLOAD_MAX_ROWS).rows
    except (UnreadableFile, ValueError):
        return None
    if not {"area_code", "year", "quarter"} <= set(rows.columns):
        return None
    return rows[["area_code", "year", "quarter"]].dropna().drop_duplicates()


def quarter_lock_refusal(
    *, area: Area | None, year: int | None, quarter: int | None, file, name: str, user
) -> str | None:
    """Why an upload may not be taken because a quarter it writes is approved and locked (the refusal is recorded in
    the audit trail); None when it may."""
    locked = _locked_quarters(area=area, year=year, quarter=quarter, file=file, name=name)
    if locked:
        record(
            Kind.UPLOAD_REFUSED,
            f"上传“{name}”被拒绝：{_locked_message(locked)}",
            actor=user,
            area=area,
            year=year,
            quarter=quarter,
            after={"file": name},
        )
    return _locked_message(locked, in_page_language=True) if locked else None


def locked_message(*, area: Area, year: int, quarter: int) -> str | None:
    """Why nothing may be entered for the area's quarter (it is approved and locked), in the words an upload gets;
    None when it is open. For pages that refuse before anything is sent."""
    locked = _locked_quarters(area=area, year=year, quarter=quarter, file=None, name="")
    return _locked_message(locked, in_page_language=True) if locked else None


def _locked_quarters(*, area, year, quarter, file, name) -> list[QuarterApproval]:
    approved = QuarterApproval.objects.filter(status=Status.APPROVED).select_related("area", "decided_by")
    if area is not None and year and quarter:
        units = approval_units()
        return list(approved.filter(area_id=units.get(area.pk, area.pk), year=year, quarter=quarter))
    if not approved.exists():  # nothing is locked: no need to look inside the file
        return []
    keys = _long_format_keys(file, name)
    if keys is None or keys.empty:
        return []
    codes = dict(Area.objects.values_list("code", "pk"))
    units = approval_units()
    unit_ids = keys["area_code"].map(codes).map(units)
    touched = set(zip(unit_ids, keys["year"].astype(int), keys["quarter"].astype(int), strict=True))
    return [a for a in approved if (a.area_id, a.year, a.quarter) in touched]


ACTIONS = {
    "submit": ("提交审核", submit_quarter),
    "approve": ("审核通过", approve_quarter),
    "return": ("退回", return_quarter),
    "unlock": ("解锁", unlock_quarter),
}


def available_actions(user, area: Area, approval: QuarterApproval | None) -> list[str]:
    """The steps this person may take on the area's quarter now (the buttons a page shows)."""
    status = approval.status if approval else None
    actions = []
    if status not in (Status.SUBMITTED, Status.APPROVED) and user.can_upload_for(area):
        actions.append("submit")
    if status == Status.SUBMITTED and _is_provincial_staff(user):
        actions += ["approve", "return"]
    if status == Status.APPROVED and user.is_provincial_admin:
        actions.append("unlock")
    return actions


def take_action(action: str, *, area: Area, year: int, quarter: int, user, reason: str = "", request=None):
    """One door for every step, by name (the web page, the API and the command call it)."""
    if action not in ACTIONS:
        raise ApprovalRefused(f"未知的审核操作“{action}”。")
    step = ACTIONS[action][1]
    details = {"area": area, "year": year, "quarter": quarter, "user": user, "request": request}
    if action in ("return", "unlock"):
        details["reason"] = reason
    return step(**details)
