"""The demo's story as the progress rows tell it: for each city, the themes on which it is behind its 序时进度.

A city is behind on a theme when at least half of its judged targets there (achieved, on track, at risk, off track,
regressing, overdue) are behind: at risk, off track, regressing or overdue. Rows are the engine's or the Progress
table's, for one quarter.
"""

import pandas as pd

BEHIND = ("at_risk", "off_track", "regressing", "overdue")
UNJUDGED = ("no_data", "no_baseline")
BEHIND_SHARE = 0.5
THEME_NAMES = {
    "low_carbon": "绿色低碳",
    "blue_sky": "蓝天",
    "clear_water": "碧水",
    "clean_soil": "净土",
    "eco_security": "生态安全",
    "governance": "治理能力",
}


def behind_shares(rows: pd.DataFrame, target_themes: dict[int, str]) -> pd.DataFrame:
    """area_id × theme: the share of the area's judged targets on the theme that are behind."""
    judged = rows[~rows["status"].isin(UNJUDGED)]
    judged = judged.assign(
        theme=judged["target_id"].map(target_themes), behind=judged["status"].isin(BEHIND).astype(float)
    )
    return judged.groupby(["area_id", "theme"])["behind"].mean().unstack()


def themes_behind(shares: pd.DataFrame) -> pd.Series:
    """area_id → the themes it is behind on, weakest first."""
    return shares.apply(
        lambda row: [t for t in row.sort_values(ascending=False).index if row[t] >= BEHIND_SHARE], axis=1
    )


def target_themes() -> dict[int, str]:
    from targets.models import Target

    from .profiles import indicator_themes

    themes = indicator_themes()
    return {pk: themes[code] for pk, code in Target.objects.values_list("pk", "indicator__code")}


def story_lines(as_of: tuple[int, int]) -> list[str]:
    """One line per reporting unit from the Progress table: the themes it is behind on, and its share of targets
    achieved or on track."""
    from indicators.models import Area
    from progress.models import Progress

    units = {area.pk: area.name for area in Area.objects.reporting()}
    rows = pd.DataFrame.from_records(
        Progress.objects.filter(year=as_of[0], quarter=as_of[1], area_id__in=list(units)).values(
            "target_id", "area_id", "status"
        ),
        columns=["target_id", "area_id", "status"],
    )
    shares = behind_shares(rows, target_themes())
    behind = themes_behind(shares)
    judged = rows[~rows["status"].isin(UNJUDGED)]
    good = (~judged["status"].isin(BEHIND)).groupby(judged["area_id"]).mean()
    lines = []
    for area_id in good.sort_values(ascending=False).index:
        names = "、".join(THEME_NAMES[t] for t in behind[area_id]) or "无"
        lines.append(f"  {units[area_id]:\u3000<6}达到序时进度 {good[area_id]:4.0%}，落后领域：{names}")
    return lines
