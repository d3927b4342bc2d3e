"""The report's record of what changed and who sent what: superseded values, status overrides, plan revisions,
approvals and unlocks of the quarter, completeness per city, and the plan's commitments in scope."""

import datetime

import pandas as pd
from django.utils import timezone

from common.tabular import INTEGER, NUMBER, TEXT, TIME, Column, Table
from indicators.models import Area
from indicators.periods import submission_deadline
from progress.models import Status, StatusOverride
from targets.models import PlanRevision
from targets.selectors import PLAN_COLUMNS, plan_export_rows, targets_with_responsibility
from uploads.models import Observation, QuarterApproval
from uploads.selectors import completeness_grid

from .scope import ReportScope
from .tables import frame_of, labels

HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "撤销"}


def quarter_start(scope: ReportScope) -> datetime.datetime:
    start = datetime.date(scope.year, 3 * scope.quarter - 2, 1)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time()))


def supersessions_table(scope: ReportScope, area_ids: list[int]) -> Table:
    """The quarter's values replaced by a later upload: old → new value, which uploads, when."""
    old = frame_of(
        Observation.objects.filter(
            year=scope.year, quarter=scope.quarter, area_id__in=area_ids, is_current=False
        ).order_by("superseded_at", "pk"),
        ["area_id", "area__code", "area__name", "indicator_id", "indicator__name", "indicator__unit", "value",
         "upload_id", "superseded_by_id", "superseded_at", "superseded_by__uploaded_by__username"],
        ["area_id", "area_code", "area_name", "indicator_id", "indicator", "unit", "old_value", "old_upload",
         "new_upload", "superseded_at", "superseded_by"],
    )  # fmt: skip
    new = frame_of(
        Observation.objects.filter(upload_id__in=old["new_upload"].unique().tolist()),
        ["area_id", "indicator_id", "year", "quarter", "upload_id", "value"],
        ["area_id", "indicator_id", "year", "quarter", "new_upload", "new_value"],
    )
    new = new[(new["year"] == scope.year) & (new["quarter"] == scope.quarter)].drop(columns=["year", "quarter"])
    frame = old.merge(new, on=["area_id", "indicator_id", "new_upload"], how="left")
    columns = [
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("indicator", "指标", width=24),
        Column("unit", "单位", width=12),
        Column("old_value", "原值（按单位列）", NUMBER),
        Column("new_value", "新值（按单位列）", NUMBER),
        Column("old_upload", "原上传编号", INTEGER, width=9),
        Column("new_upload", "新上传编号", INTEGER, width=9),
        Column("superseded_by", "替代上传人", width=14),
        Column("superseded_at", "替代时间（北京时间）", TIME, width=19),
    ]
    return Table("数值替代", "本季度被后续上传替代的数值", columns, frame)


def overrides_table(scope: ReportScope, target_ids: list[int], area_ids: list[int]) -> Table:
    """Every change of a status override for the quarter (django-simple-history keeps each one)."""
    history = StatusOverride.history.filter(
        year=scope.year, quarter=scope.quarter, target_id__in=target_ids, area_id__in=area_ids
    ).order_by("history_date", "history_id")
    frame = frame_of(
        history,
        ["history_date", "history_type", "history_user__username", "target__code", "area__name", "status", "reason"],
        ["changed_at", "change", "changed_by", "target_code", "area_name", "status", "reason"],
    )
    frame["change"] = frame["change"].map(HISTORY_TYPES)
    frame["status"] = frame["status"].map(labels(Status))
    columns = [
        Column("changed_at", "时间（北京时间）", TIME, width=19),
        Column("change", "操作", width=8),
        Column("changed_by", "操作人", width=14),
        Column("target_code", "目标编号", width=10),
        Column("area_name", "地区", width=10),
        Column("status", "人工认定状态"),
        Column("reason", "理由", width=30),
    ]
    return Table("人工认定", "本季度状态人工认定及其修改", columns, frame)


def revisions_table(scope: ReportScope, target_codes: list[str]) -> Table:
    """Plan revisions made since the quarter began, of the targets in scope (and of the outline, which every
    target sits in)."""
    revisions = PlanRevision.objects.filter(revised_at__gte=quarter_start(scope)).order_by("revised_at", "pk")
    frame = frame_of(
        revisions,
        ["revised_at", "revised_by__username", "model", "object_key", "field", "old_value", "new_value", "reason",
         "document_number"],
        ["revised_at", "revised_by", "model", "object_key", "field", "old_value", "new_value", "reason",
         "document_number"],
    )  # fmt: skip
    target_models = {"target", "targetareavalue"}
    codes = set(target_codes)
    in_scope = ~frame["model"].isin(target_models) | frame["object_key"].str.split("@").str[0].isin(codes)
    frame = frame[in_scope].assign(
        old_value=lambda f: f["old_value"].map(repr_value), new_value=lambda f: f["new_value"].map(repr_value)
    )
    columns = [
        Column("revised_at", "修订时间（北京时间）", TIME, width=19),
        Column("revised_by", "修订人", width=14),
        Column("model", "对象类型", width=14),
        Column("object_key", "对象", width=14),
        Column("field", "字段", width=12),
        Column("old_value", "原值", width=14),
        Column("new_value", "新值", width=14),
        Column("reason", "修订理由", width=30),
        Column("document_number", "文号", width=16),
    ]
    return Table("方案修订", "本季度开始以来的方案修订", columns, frame)


def repr_value(value) -> str:
    return "" if value is None else str(value)


def approvals_table(scope: ReportScope, area_ids: list[int]) -> Table:
    """Each step of the quarter's approvals: submitted, approved, returned, unlocked, with the reason."""
    history = QuarterApproval.history.filter(year=scope.year, quarter=scope.quarter, area_id__in=area_ids).order_by(
        "history_date", "history_id"
    )
    frame = frame_of(
        history,
        ["history_date", "history_user__username", "area__code", "area__name", "status", "reason"],
        ["changed_at", "changed_by", "area_code", "area_name", "status", "reason"],
    )
    frame["status"] = frame["status"].map(labels(QuarterApproval.Status))
    columns = [
        Column("changed_at", "时间（北京时间）", TIME, width=19),
        Column("changed_by", "操作人", width=14),
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("status", "审核状态", width=16),
        Column("reason", "退回或解锁理由", width=30),
    ]
    return Table("审核与解锁", "本季度数据的提交、审核、退回与解锁", columns, frame)


def completeness_table(scope: ReportScope) -> Table:
    """Per reporting unit: on time, late or missing, the upload, and whether the quarter is approved."""
    period = (scope.year, scope.quarter)
    areas, _quarters, grid = completeness_grid(start=period, end=period, today=timezone.localdate(), approvals=True)
    records = []
    for area in areas:
        if scope.area and area.code != scope.area:
            continue
        cell = grid[(area.pk, *period)]
        approval = cell.approval
        records.append(
            {
                "area_code": area.code,
                "area_name": area.name,
                "status": cell.label,
                "deadline": submission_deadline(*period).isoformat(),
                "upload_id": cell.upload.pk if cell.upload else None,
                "uploaded_at": cell.upload.created_at if cell.upload else None,
                "approval": approval.get_status_display() if approval else "未提交审核",
                "approved_by": approval.decided_by.username if approval and approval.is_locked else None,
                "approved_at": approval.decided_at if approval and approval.is_locked else None,
            }
        )
    columns = [
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("status", "报送情况", width=10),
        Column("deadline", "截止日期", width=11),
        Column("upload_id", "上传编号", INTEGER, width=9),
        Column("uploaded_at", "首次被接受的上传时间（北京时间）", TIME, width=19),
        Column("approval", "审核状态", width=16),
        Column("approved_by", "审核人", width=14),
        Column("approved_at", "审核时间（北京时间）", TIME, width=19),
    ]
    return Table(
        "填报完成情况",
        "各地区本季度填报与审核情况",
        columns,
        pd.DataFrame.from_records(records, columns=[c.key for c in columns]),
    )


def plan_table(scope: ReportScope) -> Table:
    """The commitments in scope, as export_plan writes them: a row per target, then each area's own value."""
    in_scope = scope.targets().values("pk")
    rows = list(plan_export_rows(targets_with_responsibility().filter(pk__in=in_scope).order_by("order"),
                                 province_code=Area.objects.province().code))  # fmt: skip
    if scope.area:
        rows = [r for r in rows if r["area_code"] in (scope.area, Area.objects.province().code)]
    labels_zh = {
        "code": "目标编号", "area_code": "区划代码", "section": "章节", "name": "目标名称", "indicator": "指标代码",
        "comparator": "比较方式", "target_value": "目标值或期限", "unit": "单位", "baseline_year": "基准年",
        "baseline_value": "基准值", "target_year": "目标年份", "recurrence": "重复周期", "first_year": "首个年度",
        "last_year": "最后年度", "deadline_in_year": "年内期限", "scope": "适用范围", "lead_departments": "牵头部门",
        "cooperating_departments": "配合部门", "special_column": "专栏", "source_text": "方案原文",
    }  # fmt: skip
    kinds = {
        "baseline_year": INTEGER, "baseline_value": NUMBER, "target_year": INTEGER, "first_year": INTEGER,
        "last_year": INTEGER,
    }  # fmt: skip
    columns = [
        Column(key, labels_zh[key], kinds.get(key, TEXT), width=30 if key == "source_text" else 12)
        for key in PLAN_COLUMNS
    ]
    return Table("方案目标", "方案中的目标（分地区目标各占一行）", columns, pd.DataFrame(rows, columns=PLAN_COLUMNS))
