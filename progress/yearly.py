"""Yearly duties (每年…): every year judged on its own, and a row's status read from the record of the years
(docs/progress.md §15).

A yearly duty asks for at least t of a quantity in every year from its first to its last year (每年至少开展一次, 每年
建设5个示范县), or for a task done — completion 100 % — by a day of every year (每年9月底前完成). Its indicator restarts
every January, so a year is read on its own reports only: the latest value reported for that year up to the quarter
shown, capped at the quarter of the year's deadline (a later report does not change the year's verdict), never a
value of another year. Within the year the line runs from 0 on 1 January to t in the deadline's quarter (序时进度).

Pure numpy like progress.engine, which lays these cells over its own for the assignments that recur. The engine's
(assignment × quarter) grid starts in the first quarter of a year, so grid quarter k lies in grid year k // 4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .choices import ProjectionStatus, SdgStatus, Status, YearState
from .rules import (
    EPS,
    GE,
    ON_TRACK_SHARE,
    PROJECTION_ACCELERATE,
    PROJECTION_LIKELY,
    category,
    first_that_holds,
    satisfies,
)


def read_years(duties: pd.DataFrame, target: np.ndarray, year, quarter, reported, ids, derived) -> dict:
    """The engine's cells for yearly duties, by the engine's column names (plus ``source_k`` and ``has_actual``).

    duties: the recurring assignments (first_year, last_year, deadline_in_year "MM-DD" or empty for the year's end);
    target: their level t (the value; 100 for a completion); year, quarter: the grid's (Q,); reported, ids, derived:
    (R, Q) matrices of each grid quarter's reported year-to-date value, its observation id and cities aggregated.
    """
    first = pd.to_numeric(duties["first_year"]).to_numpy(float)[:, None]
    last = pd.to_numeric(duties["last_year"]).to_numpy(float)[:, None]
    month = pd.to_numeric(duties["deadline_in_year"].astype(str).str[:2], errors="coerce").fillna(12).to_numpy()
    due_quarter = ((month.astype(np.int64) - 1) // 3 + 1)[:, None]
    t = target[:, None]
    source = _judged_source(reported, quarter, due_quarter)
    in_period = (year >= first) & (year <= last)
    source = np.where(in_period, source, -1)  # outside its years a duty has no value, nor a status to judge
    has_actual = source >= 0
    safe = np.where(has_actual, source, 0)

    def pick(matrix):
        return np.where(has_actual, np.take_along_axis(matrix, safe, axis=1), np.nan)

    a = pick(reported)
    share = np.minimum(quarter, due_quarter) / due_quarter  # the year's 序时进度 share
    met = in_period & satisfies(a, t, GE)
    due = quarter >= due_quarter
    verdicts = [(met, YearState.MET), (due & has_actual, YearState.MISSED), (due, YearState.NO_DATA)]
    state = np.where(in_period, first_that_holds(verdicts, YearState.NOT_DUE), -1).astype(np.int8)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.clip(np.nan_to_num(a) / (share * t), 0.0, 1.0)  # the share of the year's due work done
        cells = _record(state, ratio, in_period, met, due)
        reported_any = np.cumsum(in_period & ~np.isnan(reported), axis=1) > 0  # late reports too
        behind = np.nan_to_num(a) < ON_TRACK_SHARE * share * t - EPS * np.maximum(1.0, t)
        cells["status"] = _status(reported_any, cells, met, year > last, behind)
        cells["schedule_ratio"] = np.where(cells["status"] == category(Status.NO_DATA), np.nan, cells["schedule_ratio"])
        projection = np.where(in_period, a / share, np.nan)  # the year's value at its deadline at this pace
        cells.update(
            actual=a,
            has_actual=has_actual,
            source_k=safe,
            actual_observation_id=pick(ids),
            actual_derived_from=pick(derived),
            time_share=np.where(in_period, share, np.nan),
            expected=np.where(in_period, share * t, np.nan),
            progress_ratio=a / t,
            gap=t - a,
            gap_share=(t - a) / t,
            projection=projection,
            projection_ratio=projection / t,
            projection_status=_projection_status(projection / t),
            sdg_ratio=np.full(a.shape, np.nan),  # b = 0: no growth rate, as for every zero baseline (§9)
            sdg_status=np.where(met, category(SdgStatus.ACHIEVED), category(SdgStatus.INSUFFICIENT_DATA)),
            year_state=state,
        )
    return cells


def _judged_source(reported: np.ndarray, quarter: np.ndarray, due_quarter: np.ndarray) -> np.ndarray:
    """Per cell, the grid quarter of the latest report of the cell's own year up to the year's deadline quarter (or
    up to the cell, before it); −1 where the year has none."""
    k = np.arange(reported.shape[1])
    seen = np.where(np.isnan(reported), -1, k)
    np.maximum.accumulate(seen, axis=1, out=seen)
    seen = np.where(seen >= k - (quarter - 1), seen, -1)  # nothing carried over from an earlier year
    capped = k - np.maximum(quarter - due_quarter, 0)  # past the deadline: read at the deadline's quarter
    return np.take_along_axis(seen, capped, axis=1)


def _record(state, ratio, in_period, met, due) -> dict:
    """The record of the years up to each cell: years met, years whose verdict is in, and the mean over the duty's
    years so far of each year's share of its due work done (a finished year's value against t, the current year's
    against its 序时进度), which is the row's schedule ratio."""
    n_q = state.shape[1]
    grid_year = np.arange(n_q) // 4
    year_end = np.minimum(4 * np.arange(grid_year[-1] + 1) + 3, n_q - 1)  # the cell holding each year's verdict

    def before(per_year: np.ndarray) -> np.ndarray:  # (R, years) → per cell, the sum over the years before its own
        return (np.cumsum(per_year, axis=1) - per_year)[:, grid_year]

    counted = in_period[:, year_end]
    met_before = before(state[:, year_end] == category(YearState.MET))
    due_before = before(counted)
    started = due_before + in_period > 0
    return {
        "years_met": np.where(started, met_before + met, np.nan),
        "years_due": np.where(started, due_before + (in_period & (met | due)), np.nan),
        "schedule_ratio": (before(np.where(counted, ratio[:, year_end], 0.0)) + np.where(in_period, ratio, 0.0))
        / (due_before + in_period),
    }


def _status(reported_any, record: dict, met, after, behind) -> np.ndarray:
    """A yearly duty's status from its record: no data while nothing of its years was reported; off track once a
    year's deadline passed without it met (missed or unreported); achieved while every year so far is met, the current
    one included; else on track, or at risk while the current year is behind its 序时进度."""
    with np.errstate(invalid="ignore"):
        return first_that_holds(
            [
                (~reported_any, Status.NO_DATA),
                (record["years_due"] > record["years_met"], Status.OFF_TRACK),
                (met | after, Status.ACHIEVED),
                (behind, Status.AT_RISK),
            ],
            Status.ON_TRACK,
        ).astype(np.int8)


def _projection_status(ratio: np.ndarray) -> np.ndarray:
    """The class of the year's pace to its deadline, as in docs §8."""
    with np.errstate(invalid="ignore"):
        return first_that_holds(
            [
                (np.isnan(ratio), ProjectionStatus.INSUFFICIENT_DATA),
                (ratio >= PROJECTION_LIKELY - EPS, ProjectionStatus.LIKELY),
                (ratio >= PROJECTION_ACCELERATE - EPS, ProjectionStatus.NEEDS_ACCELERATION),
            ],
            ProjectionStatus.STAGNATION,
        ).astype(np.int8)
