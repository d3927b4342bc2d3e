"""A report assembled: its tables in order, the cover, and the snapshot id (a hash of the tables, so the same inputs
give the same id; the cover's times and the person who asked are left out of it)."""

from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Max
from django.utils import timezone, translation

from common.tabular import TEXT, Column, Table, tables_digest
from common.times import local_iso
from progress.models import Progress
from uploads.models import Upload

from . import changes
from .scope import ReportScope
from .tables import Figures, build_figures, detail_table, provenance_table, summary_tables, yearly_table

TITLE = "辽宁省深入打好污染防治攻坚战实施方案目标进度报告"


@dataclass
class Report:
    scope: ReportScope
    scope_label: str
    figures: Figures
    tables: list[Table]  # the body, in order; the cover is made from these
    snapshot_id: str
    cover: dict = field(default_factory=dict)

    def cover_table(self) -> Table:
        frame = pd.DataFrame({"item": list(self.cover), "value": [str(v) for v in self.cover.values()]})
        return Table("封面", TITLE, [Column("item", "项目", TEXT, 18), Column("value", "内容", TEXT, 80)], frame)

    def all_tables(self) -> list[Table]:
        return [self.cover_table(), *self.tables]


def data_as_of(scope: ReportScope) -> tuple[str, str]:
    """The latest accepted upload and the recompute the quarter's progress rows reflect."""
    latest = Upload.objects.filter(status=Upload.Status.ACCEPTED).order_by("-finished_at", "-pk").first()
    computed = Progress.objects.filter(year=scope.year, quarter=scope.quarter).aggregate(at=Max("computed_at"))["at"]
    upload = (
        f"第 {latest.pk} 号上传（{latest.original_name}，接受于 {local_iso(latest.finished_at)}）" if latest else "无"
    )
    return upload, local_iso(computed) or "尚未计算"


def assemble(scope: ReportScope, *, progress=None) -> Report:
    """Every table of the report. `progress(share, note)` is told how far it got (the page's progress bar)."""
    tell = progress or (lambda share, note: None)
    with translation.override("zh-hans"):
        tell(0.05, "读取进度数据")
        figures = build_figures(scope)
        target_ids = figures.rows["target_id"].unique().tolist()
        area_ids = list(scope.areas().values_list("pk", flat=True))
        tell(0.25, "整理数据来源")
        tables = [
            *summary_tables(figures),
            detail_table(figures, scope),
            yearly_table(figures, scope),
            provenance_table(figures),
        ]
        tell(0.4, "整理变更记录")
        tables += [
            changes.supersessions_table(scope, area_ids),
            changes.overrides_table(scope, target_ids, area_ids),
            changes.revisions_table(scope, scope.targets().values_list("code", flat=True)),
            changes.approvals_table(scope, area_ids),
            changes.completeness_table(scope),
            changes.plan_table(scope),
        ]
        return Report(
            scope=scope,
            scope_label=scope.describe(),
            figures=figures,
            tables=tables,
            snapshot_id=tables_digest(tables)[:16],
        )


def fill_cover(report: Report, *, user, generated_at=None) -> None:
    upload, computed = data_as_of(report.scope)
    rows = report.figures.rows
    report.cover = {
        "标题": TITLE,
        "报告期": report.scope.period,
        "范围": report.scope_label,
        "数据截至（最新被接受的上传）": upload,
        "进度计算时间": computed,
        "生成时间": local_iso(generated_at or timezone.now()),
        "生成人": (user.get_full_name() or user.get_username()) if user is not None else "命令行",
        "快照编号": report.snapshot_id,
        "目标×地区行数": len(rows),
        "实际值未经审核的行数": int((rows["actual"].notna() & ~rows["actual_approved"]).sum()),
        "说明": "快照编号是各表内容的哈希值：相同的数据生成相同的编号。时间均为北京时间。"
        "“实际值已审核”为“否”的数值所依据的季度数据尚未经省级审核通过。",
    }
