"""The report's figures as tables, read in whole columns from the Progress table and what it points at: the summary,
every target × area, the provenance of every figure, and the plan. (reports.changes holds the changes and the
completeness.) A fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass

import pandas as pd
from django.db.models import Q

from common.tabular import INTEGER, NUMBER, TIME, Column, Table
from indicators.models import Area
from progress.choices import YearState
from progress.models import BaselineSource, Progress, ProjectionStatus, Status, StatusOverride
from progress.selectors import yearly_records
from targets.models import Responsibility, Section
from uploads.approval import approval_units, approved_frame
from uploads.models import Observation, Upload

from .scope import ReportScope

YES, NO = "是", "否"
BEHIND = (Status.OFF_TRACK, Status.REGRESSING)
_PROGRESS_FIELDS = [
    "target_id",
    "area_id",
    "actual",
    "actual_year",
    "actual_quarter",
    "actual_observation_id",
    "actual_derived_from",
    "baseline",
    "baseline_source",
    "baseline_observation_id",
    "target_value",
    "time_share",
    "expected",
    "progress_ratio",
    "gap",
    "status",
    "projection",
    "projection_clipped",
    "projection_status",
    "computed_at",
]


def labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def frame_of(queryset, fields: list[str], names: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*fields)), columns=names or fields)


def target_frame(scope: ReportScope) -> pd.DataFrame:
    """The targets in scope with their theme (the chapter's: 蓝天, 碧水 …) and lead departments."""
    targets = frame_of(
        scope.targets(),
        ["pk", "code", "name", "unit", "order", "section__code", "measure_id"],
        ["target_id", "target_code", "target_name", "unit", "target_order", "section_code", "measure_id"],
    )
    sections = {code: (theme, title, parent) for code, theme, title, parent in Section.objects.values_list(
        "code", "theme", "title", "parent__code"
    )}  # fmt: skip
    theme_labels = labels(Section.Theme)

    def theme_of(code):
        while code:
            theme, title, parent = sections[code]
            if theme:
                return theme_labels[theme]
            if parent is None:
                return title
            code = parent
        return ""

    targets["theme"] = targets["section_code"].map(theme_of)
    leads = frame_of(
        Responsibility.objects.filter(role=Responsibility.Role.LEAD).order_by("order"),
        ["measure_id", "department__name"],
        ["measure_id", "lead"],
    )
    leads = leads.groupby("measure_id", sort=False)["lead"].agg("、".join)
    targets["lead_departments"] = targets["measure_id"].map(leads).fillna("")
    return targets


def area_frame() -> pd.DataFrame:
    return frame_of(
        Area.objects.all(),
        ["pk", "code", "name", "order", "level"],
        ["area_id", "area_code", "area_name", "area_order", "area_level"],
    )


@dataclass
class Figures:
    """One quarter's progress rows in scope, and the observations their actuals and baselines come from."""

    rows: pd.DataFrame
    observations: pd.DataFrame  # indexed by observation id, with the upload and the approval of each


def build_figures(scope: ReportScope) -> Figures:
    targets = target_frame(scope)
    progress = Progress.objects.filter(
        year=scope.year, quarter=scope.quarter, target_id__in=targets["target_id"].tolist()
    )
    if scope.area:
        progress = progress.filter(area_id__in=list(scope.areas().values_list("pk", flat=True)))
    rows = frame_of(progress, _PROGRESS_FIELDS).merge(targets, on="target_id").merge(area_frame(), on="area_id")
    overrides = frame_of(
        StatusOverride.objects.filter(year=scope.year, quarter=scope.quarter),
        ["target_id", "area_id", "status", "reason"],
        ["target_id", "area_id", "override_status", "override_reason"],
    )
    rows = rows.merge(overrides, on=["target_id", "area_id"], how="left")
    rows["final_status"] = rows["override_status"].fillna(rows["status"])
    rows = rows.sort_values(["target_order", "area_order", "area_code"], kind="stable").reset_index(drop=True)
    used = Observation.objects.filter(
        Q(pk__in=progress.values("actual_observation_id")) | Q(pk__in=progress.values("baseline_observation_id"))
    )
    observations = observations_with_uploads(used)
    rows["actual_approved"] = rows["actual_observation_id"].map(observations["approved"]).eq(True)
    derived = rows["actual_derived_from"].notna()
    rows.loc[derived, "actual_approved"] = _every_city_approved(rows.loc[derived])
    rows["baseline_approved"] = rows["baseline_observation_id"].map(observations["approved"]).eq(True) | rows[
        "baseline_source"
    ].isin([BaselineSource.PLAN, BaselineSource.ZERO])
    return Figures(rows=rows, observations=observations)


def observations_with_uploads(observations) -> pd.DataFrame:
    """Observations with the upload each came from and the approval of its area's quarter (a county's with its
    city's)."""
    frame = frame_of(
        observations,
        [
            "pk", "area_id", "year", "quarter", "value", "note", "upload_id", "upload__original_name",
            "upload__sha256", "upload__uploaded_by__username", "upload__created_at", "upload__finished_at",
            "upload__source",
        ],
        [
            "observation_id", "obs_area_id", "obs_year", "obs_quarter", "obs_value", "note", "upload_id",
            "file_name", "sha256", "uploaded_by", "uploaded_at", "accepted_at", "upload_source",
        ],
    )  # fmt: skip
    frame["upload_source"] = frame["upload_source"].map(labels(Upload.Source))
    frame["unit_id"] = frame["obs_area_id"].map(approval_units())
    approved = approved_frame().rename(columns={"year": "obs_year", "quarter": "obs_quarter"})
    frame = frame.merge(approved, on=["unit_id", "obs_year", "obs_quarter"], how="left")
    frame["approved"] = frame["approved_by"].notna()
    return frame.set_index("observation_id")


def _every_city_approved(rows: pd.DataFrame) -> pd.Series:
    """A province value derived from the cities' rests on every city's quarter."""
    approved = approved_frame()
    cities = set(Area.objects.reporting().values_list("pk", flat=True))
    complete = {
        (int(y), int(q)) for (y, q), group in approved.groupby(["year", "quarter"]) if cities <= set(group["unit_id"])
    }
    periods = zip(rows["actual_year"].astype(int), rows["actual_quarter"].astype(int), strict=True)
    return pd.Series([period in complete for period in periods], index=rows.index, dtype=bool)


def _period(years: pd.Series, quarters: pd.Series) -> pd.Series:
    text = years.astype("Int64").astype(str) + "年第" + quarters.astype("Int64").astype(str) + "季度"
    return text.where(years.notna(), "")


def _yes_no(flags: pd.Series) -> pd.Series:
    return flags.map({True: YES, False: NO})


def detail_table(figures: Figures, scope: ReportScope) -> Table:
    rows = figures.rows
    status, projection = labels(Status), labels(ProjectionStatus)
    frame = rows.assign(
        actual_period=_period(rows["actual_year"], rows["actual_quarter"]),
        carried=_yes_no(
            rows["actual"].notna() & ((rows["actual_year"] != scope.year) | (rows["actual_quarter"] != scope.quarter))
        ),
        baseline_source=rows["baseline_source"].map(labels(BaselineSource)),
        computed_status=rows["status"].map(status),
        override_status=rows["override_status"].map(status),
        final_status=rows["final_status"].map(status),
        projection_status=rows["projection_status"].map(projection),
        projection_clipped=_yes_no(rows["projection_clipped"].astype(bool)),
        actual_approved=_yes_no(rows["actual_approved"]),
        baseline_approved=_yes_no(rows["baseline_approved"]),
        upload_id=rows["actual_observation_id"].map(figures.observations["upload_id"]),
    )
    columns = [
        Column("target_code", "目标编号", width=10),
        Column("target_name", "目标名称", width=28),
        Column("theme", "领域", width=10),
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("unit", "单位（各行不同）", width=12),
        Column("actual", "实际值（按单位列）", NUMBER),
        Column("actual_period", "实际值所属季度", width=15),
        Column("carried", "是否结转", width=8),
        Column("baseline", "基准值（按单位列）", NUMBER),
        Column("baseline_source", "基准值来源", width=12),
        Column("target_value", "目标值（按单位列）", NUMBER),
        Column("expected", "序时进度值（按单位列）", NUMBER),
        Column("time_share", "时间进度（0—1）", NUMBER),
        Column("progress_ratio", "完成进度（0—1）", NUMBER),
        Column("gap", "距目标差距（按单位列）", NUMBER),
        Column("computed_status", "计算状态"),
        Column("override_status", "人工认定状态"),
        Column("override_reason", "认定理由", width=24),
        Column("final_status", "最终状态"),
        Column("projection", "目标年预测值（按单位列）", NUMBER),
        Column("projection_clipped", "预测值已截至有效范围", width=8),
        Column("projection_status", "预测"),
        Column("actual_approved", "实际值已审核", width=8),
        Column("baseline_approved", "基准值已审核", width=8),
        Column("upload_id", "实际值上传编号", INTEGER, width=9),
        Column("actual_derived_from", "汇总城市数", INTEGER, width=8),
    ]
    return Table("进度明细", "各目标、各地区进度", columns, frame)


def provenance_table(figures: Figures) -> Table:
    """Every figure (actual and baseline) → its observation → its upload, the quarter it came from, its approval."""
    rows = figures.rows
    parts = []
    figures_of = (("实际值", "actual", "actual_observation_id"), ("基准值", "baseline", "baseline_observation_id"))
    for figure, value, observation in figures_of:
        part = rows.loc[rows[value].notna(), ["target_code", "area_code", "area_name", value, observation]]
        part = part.rename(columns={value: "value", observation: "observation_id"}).assign(figure=figure)
        if figure == "实际值":
            part["derived_from"] = rows.loc[part.index, "actual_derived_from"]
            part["source"] = part["derived_from"].map(
                lambda n: "上传数据" if pd.isna(n) else f"由 {int(n)} 个城市数值汇总"
            )
        else:
            part["source"] = rows.loc[part.index, "baseline_source"].map(labels(BaselineSource))
        parts.append(part)
    frame = pd.concat(parts).sort_index(kind="stable").reset_index(drop=True)
    # A part with no observation at all (no baseline uploaded) leaves the ids as objects: join on whole numbers.
    frame["observation_id"] = pd.to_numeric(frame["observation_id"]).astype("Int64")
    frame = frame.join(figures.observations, on="observation_id")
    frame["period"] = _period(frame["obs_year"], frame["obs_quarter"])
    columns = [
        Column("target_code", "目标编号", width=10),
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("figure", "数值项", width=8),
        Column("value", "数值", NUMBER),
        Column("source", "来源", width=14),
        Column("period", "所属季度（结转自）", width=15),
        Column("observation_id", "观测值编号", INTEGER),
        Column("note", "填报备注", width=24),
        Column("upload_id", "上传编号", INTEGER, width=9),
        Column("upload_source", "填报方式", width=10),
        Column("file_name", "文件名", width=24),
        Column("sha256", "SHA-256", width=20),
        Column("uploaded_by", "上传人", width=14),
        Column("uploaded_at", "上传时间（北京时间）", TIME, width=19),
        Column("accepted_at", "接受时间（北京时间）", TIME, width=19),
        Column("approved_by", "审核人", width=14),
        Column("approved_at", "审核时间（北京时间）", TIME, width=19),
        Column("derived_from", "汇总城市数", INTEGER, width=8),
    ]
    return Table("数据来源", "每个数值的来源：观测值、上传文件与审核", columns, frame)


YEARLY_TABLE = "年度任务逐年情况"


def yearly_table(figures: Figures, scope: ReportScope) -> Table:
    """Each duty the plan sets every year (每年…), year by year: one row per target × area × year so far, with the
    year's verdict as it stands at the report's quarter (docs/progress.md §15), its value, target and deadline. One
    query (progress.selectors.yearly_records)."""
    rows = figures.rows
    records = yearly_records(
        year=scope.year,
        quarter=scope.quarter,
        target_ids=rows["target_id"].unique().tolist(),
        area_ids=rows["area_id"].unique().tolist(),
    )
    years = pd.DataFrame.from_records(
        [
            (target_id, area_id, y.year, y.state, y.value, y.target, y.expected, y.deadline.isoformat())
            for (target_id, area_id), record in records.items()
            for y in record
        ],
        columns=["target_id", "area_id", "year", "state", "value", "target", "expected", "deadline"],
    )
    keys = ["target_id", "area_id", "target_code", "target_name", "unit", "area_code", "area_name"]
    frame = rows[[*keys, "target_order", "area_order"]].merge(years, on=["target_id", "area_id"])
    frame = frame.sort_values(["target_order", "area_order", "area_code", "year"], kind="stable")
    frame["expected"] = frame["expected"].where(frame["state"] == YearState.NOT_DUE)  # the target once due
    frame["state"] = frame["state"].map(labels(YearState)).fillna("未计算")
    columns = [
        Column("target_code", "目标编号", width=10),
        Column("target_name", "目标名称", width=28),
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("year", "年份", INTEGER, width=7),
        Column("state", "本年完成情况", width=10),
        Column("value", "本年实际值（按单位列）", NUMBER),
        Column("target", "本年目标值（按单位列）", NUMBER),
        Column("expected", "序时进度值（未到期年份）", NUMBER),
        Column("unit", "单位", width=10),
        Column("deadline", "本年期限", width=11),
    ]
    note = "每年的任务逐年评估，每一年只看当年（截至期限）的报送值；过了期限仍未完成或未报送的年份计为未完成。"
    return Table(YEARLY_TABLE, "每年的任务：逐年完成情况", columns, frame.reset_index(drop=True), note=note)


def _status_counts(rows: pd.DataFrame, key: str, order: list) -> pd.DataFrame:
    counts = pd.crosstab(rows[key], rows["final_status"]).reindex(index=order, columns=Status.values, fill_value=0)
    counts = counts.fillna(0).astype(int)
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index().rename(columns={key: "group"})


def summary_tables(figures: Figures) -> list[Table]:
    """Status counts (after overrides) per theme and per area, and the targets off track or regressing."""
    rows = figures.rows
    count_columns = [Column(value, f"{label}（项）", INTEGER, width=9) for value, label in labels(Status).items()]
    count_columns.append(Column("total", "合计（项）", INTEGER, width=9))
    themes = _status_counts(rows, "theme", list(dict.fromkeys(rows["theme"])))
    areas = _status_counts(rows, "area_name", list(dict.fromkeys(rows.sort_values("area_order")["area_name"])))
    behind = rows[rows["final_status"].isin(BEHIND)]
    behind = behind.assign(final_status=behind["final_status"].map(labels(Status)))
    return [
        Table("汇总-领域", "各领域目标状态（含人工认定）", [Column("group", "领域", width=14), *count_columns], themes),
        Table("汇总-地区", "各地区目标状态（含人工认定）", [Column("group", "地区", width=12), *count_columns], areas),
        Table(
            "滞后与倒退",
            "明显滞后和倒退的目标及其牵头部门",
            [
                Column("target_code", "目标编号", width=10),
                Column("target_name", "目标名称", width=28),
                Column("area_name", "地区", width=10),
                Column("final_status", "状态"),
                Column("progress_ratio", "完成进度（0—1）", NUMBER),
                Column("time_share", "时间进度（0—1）", NUMBER),
                Column("gap", "距目标差距（按单位列）", NUMBER),
                Column("unit", "单位", width=12),
                Column("lead_departments", "牵头部门", width=30),
            ],
            behind,
        ),
    ]
