"""The methodology page (方法说明) for provincial staff: what 序时进度, each status, the ratios and the projection mean,
with a worked example drawn as a chart. The developers' definitions are docs/progress.md; this page says the same in
plain words, with no code."""

from __future__ import annotations

from django.utils.translation import gettext as _

from progress.choices import Status

from .. import figures
from .cells import Chart, cell

# The worked example: PM2.5 ≤ 34 by 2025 from 44 in 2020 (docs/progress.md §5, test_level_le_seasonal_on_track).
BASELINE, TARGET, FIRST, LAST = 44.0, 34.0, 2020, 2025
REPORTED = {2021: 41.5, 2022: 40.0, 2023: 38.0}  # 全年 values


def expected(year: int) -> float:
    """The straight line from the baseline to the target: where the value should be at the end of `year`."""
    share = (year - FIRST) / (LAST - FIRST)
    return round(BASELINE + share * (TARGET - BASELINE), 2)


def example_chart() -> Chart:
    years = list(range(FIRST, LAST + 1))
    x = [str(y) for y in years]
    figure = figures.line_chart(
        x=x,
        traces=[
            {
                "name": _("序时进度（应达到的值）"),
                "y": [expected(y) for y in years],
                "dash": "dash",
                "colour": "#56B4E9",
            },
            {
                "name": _("实际值（全年）"),
                "y": [BASELINE if y == FIRST else REPORTED.get(y) for y in years],
                "colour": "#0072B2",
            },
            {"name": _("目标值"), "y": [TARGET] * len(years), "dash": "dot", "colour": "#3D3D3D", "mode": "lines"},
        ],
        y_title=_("PM2.5（微克/立方米）"),
        height=300,
    )
    rows = [[_("基准值（2020年）"), f"{BASELINE:g}"], [_("目标值（2025年）"), f"{TARGET:g}"]]
    rows += [[_("%(year)s年 实际值 / 序时进度") % {"year": y}, f"{a:g} / {expected(y):g}"] for y, a in REPORTED.items()]
    return Chart(
        "example", _("示例：PM2.5 从 44 降到 34"), figure, [_("项目"), _("数值")], [[cell(a), cell(b)] for a, b in rows]
    )


def status_meanings() -> list[tuple[Status, str]]:
    """Each status with what it means, in the order the engine tests them (docs/progress.md §6)."""
    meanings = {
        Status.NO_DATA: _("规划期内还没有可评估的数值（季节性指标：尚无全年值）。"),
        Status.NO_BASELINE: _("无法确定基准值或目标值，又尚未达标，无从画出序时进度直线。"),
        Status.ACHIEVED: _("实际值已满足目标（如“不高于34”即不超过34；有完成期限的任务即完成100%）。"),
        Status.OVERDUE: _("目标年份或完成期限已到，仍未达标。"),
        Status.REGRESSING: _("比基准年更远离目标（完成进度为负），或“保持”类目标不再满足。"),
        Status.ON_TRACK: _("序时完成率不低于95%。"),
        Status.AT_RISK: _("序时完成率在60%至95%之间。"),
        Status.OFF_TRACK: _("序时完成率在0至60%之间。"),
    }
    return list(meanings.items())
