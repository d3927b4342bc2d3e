"""Roll-ups of the engine's rows: the −5…+5 score of a row, sdg-build's band of a mean score, and the counts, mean
schedule ratio, mean score, yearly duties' years missed and furthest-behind rows per department, section or area
(docs/progress.md §10).

Pure pandas and numpy like progress.engine, no Django, no database.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .choices import SdgStatus, Status
from .engine import SDG_MED, STATUSES

# sdg-build's bands of a mean score (docs/progress.md §10), best first.
SCORE_BANDS = (
    (2.5, SdgStatus.SUBSTANTIAL),
    (0.0, SdgStatus.MODERATE),
    (-2.5, SdgStatus.LIMITED),
    (-math.inf, SdgStatus.DETERIORATION),
)


def progress_score(status, schedule_ratio) -> np.ndarray:
    """The −5…+5 score of each row: 5 when achieved, else sdg-build's method-2 score function applied to the
    schedule ratio r (which plays the part of sdg-build's R, with the same 0.95 / 0.60 / 0 thresholds):
    r ≥ 0.60: min(50/7·r − 30/7, 5); r < 0.60: max(25/6·r − 2.5, −5). NaN where r is NaN and not achieved."""
    status = np.asarray(status, dtype=object)
    r = np.asarray(schedule_ratio, dtype=float)
    with np.errstate(invalid="ignore"):
        upper = np.minimum(50.0 / 7.0 * r - 30.0 / 7.0, 5.0)
        lower = np.maximum(25.0 / 6.0 * r - 2.5, -5.0)
        score = np.where(r >= SDG_MED, upper, lower)
    return np.where(status == Status.ACHIEVED, 5.0, score)


def score_band(score) -> SdgStatus:
    """sdg-build's class of a mean score: substantial ≥ 2.5, moderate ≥ 0, limited ≥ −2.5, else deterioration;
    insufficient data where there is no score."""
    if score is None or not math.isfinite(score):
        return SdgStatus.INSUFFICIENT_DATA
    return next(band for floor, band in SCORE_BANDS if score >= floor)


MEANS = ("schedule_ratio", "progress_ratio", "gap_share")  # each also as mean_<name>: the ranking's tie-breaks


def rank_with_ties(frame: pd.DataFrame, order: list[tuple[str, bool]]) -> pd.DataFrame:
    """`frame` sorted by `order` ((column, ascending) pairs, empty values last) with `rank` (1, 2, 2, 4: rows equal on
    every column share the better place) and `tied` (such a row shares its place). Values are compared to nine
    decimals, so that two means that differ in their last bit are equal, as they read."""
    columns = [column for column, _ in order]
    ordered = frame.sort_values(
        columns, ascending=[ascending for _, ascending in order], na_position="last", kind="stable"
    ).reset_index(drop=True)
    values = ordered[columns].astype(float).round(9)
    before = values.shift()
    differs = (values.ne(before) & ~(values.isna() & before.isna())).any(axis=1)
    group = differs.cumsum()
    position = pd.Series(np.arange(1, len(ordered) + 1), index=ordered.index)
    return ordered.assign(
        rank=position.groupby(group).transform("min").astype(int),
        tied=group.map(group.value_counts()).gt(1).to_numpy(dtype=bool),
    )


def rollup(progress: pd.DataFrame, groups: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per ``key`` (department, section, …): counts by status, total, mean schedule ratio, progress ratio and gap
    share, mean score (−5…+5), the years of yearly duties whose deadline passed unmet (`years_missed`) and the three
    rows furthest behind as (area_id, target_id, gap_share).

    progress: rows of compute_progress for one quarter. groups: target_id, <key> and optionally area_id; a target
    mapped to several keys (a lead and a co-operating department) counts in each.
    """
    on = ["target_id", "area_id"] if "area_id" in groups.columns else ["target_id"]
    mapping = groups[[*on, key]].drop_duplicates()
    rows = progress.merge(mapping, on=on, how="inner")
    status = np.asarray(rows["status"], dtype=object)
    rows = rows.assign(
        _status=status,
        _score=progress_score(status, rows["schedule_ratio"].to_numpy(dtype=float)),
    )
    keys = pd.Index(mapping[key].drop_duplicates(), name=key)

    counts = rows.groupby([key, "_status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=keys, columns=STATUSES, fill_value=0).fillna(0).astype(int)
    result = counts.copy()
    result.columns.name = None
    result["total"] = counts.sum(axis=1)
    rows = rows.assign(**{column: np.nan for column in MEANS if column not in rows.columns})
    means = rows.groupby(key)[[*MEANS, "_score"]].mean().reindex(keys)
    for column in MEANS:
        result[f"mean_{column}"] = means[column].to_numpy(dtype=float)
    result["score"] = means["_score"].to_numpy(dtype=float)
    # A missed year of a yearly duty counts against its area here, besides pulling the row's schedule ratio down;
    # not on a duty the area never reported on (no data, like a one-off target: no chemical park, no park drills).
    if {"years_due", "years_met"} <= set(rows.columns):
        missed = (rows["years_due"].astype(float) - rows["years_met"].astype(float)).fillna(0)
        missed = missed.where(status != Status.NO_DATA, 0)
        result["years_missed"] = missed.groupby(rows[key]).sum().reindex(keys, fill_value=0).astype(int).to_numpy()
    else:
        result["years_missed"] = 0

    behind = rows[(rows["_status"] != Status.ACHIEVED) & rows["gap_share"].notna()]
    behind = behind.sort_values([key, "gap_share", "area_id", "target_id"], ascending=[True, False, True, True])
    top = behind.groupby(key, sort=False).head(3)
    triples = pd.Series(
        list(zip(top["area_id"].tolist(), top["target_id"].tolist(), top["gap_share"].tolist(), strict=True)),
        index=top.index,
        dtype=object,
    )
    worst = triples.groupby(top[key], sort=False).agg(list).reindex(keys)
    result["furthest_behind"] = [w if isinstance(w, list) else [] for w in worst.tolist()]
    return result.reset_index()
