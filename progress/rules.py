"""The thresholds of the progress reading and the whole-array helpers its rule tables are written with, shared by the
engine (progress/engine.py) and the reading of yearly duties (progress/yearly.py). Pure numpy, no Django.

Every threshold is explained in docs/progress.md (§6–§9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .choices import BaselineSource, ProjectionStatus, SdgStatus, Status, YearState

# 序时进度 thresholds, as fractions of the time-elapsed share s.
ON_TRACK_SHARE = 0.95
AT_RISK_SHARE = 0.60
# Open SDG / sdg-build default thresholds for the growth ratio R (method 2, quantitative target).
SDG_HIGH = 0.95
SDG_MED = 0.60
SDG_LOW = 0.0
# UNSD-style projection ratio thresholds.
PROJECTION_LIKELY = 0.95
PROJECTION_ACCELERATE = 0.10
# Relative tolerance for comparisons, so that 44.6 × 0.85 compares equal to a typed 37.91.
EPS = 1e-9

# The test a value must pass once a target is turned into a level t.
LE, LT, GE, GT = 0, 1, 2, 3


def satisfies(x: np.ndarray, t: np.ndarray, test: np.ndarray) -> np.ndarray:
    """Whether x passes the comparator test (LE | LT | GE | GT) against level t (NaN never does), with a relative
    tolerance."""
    tol = EPS * np.maximum(1.0, np.abs(t))
    with np.errstate(invalid="ignore"):
        return np.select(
            [test == LE, test == LT, test == GE, test == GT],
            [x <= t + tol, x < t - tol, x >= t - tol, x > t + tol],
            False,
        )


# Each registry member's category code in the engine's categorical columns: its position in its registry.
_CODES = {
    choices: {member: i for i, member in enumerate(choices)}
    for choices in (Status, SdgStatus, ProjectionStatus, BaselineSource, YearState)
}


def category(member) -> int:
    """The category code of a registry member (progress/choices.py) in the engine's categorical columns."""
    return _CODES[type(member)][member]


def first_that_holds(rules: list, otherwise) -> np.ndarray:
    """Per cell, the category code of the first (condition, member) rule whose condition holds, else `otherwise`."""
    return np.select(
        [condition for condition, _ in rules], [category(member) for _, member in rules], category(otherwise)
    )


def categorical(codes: np.ndarray, choices) -> pd.Categorical:
    """Category codes (−1 for none) as a categorical over the registry's values."""
    return pd.Categorical.from_codes(codes, categories=choices.values)


def keep_in_range(cells: dict, low: np.ndarray, high: np.ndarray) -> None:
    """Values no reading can take stay out of the tables (docs/progress.md §8): the projection and the expected value
    of each (assignment × quarter) cell are held to the indicator's valid range `low`…`high` (per assignment; a
    straight line runs past 100 % for a rate near its ceiling) and the completion shares to 0…1; a projection so held
    is flagged in `projection_clipped`. Statuses were read before, on the open line: the target lies inside the range
    and the thresholds inside 0…1, so holding never changes one."""
    low, high = low[:, None], high[:, None]
    projection = cells["projection"]
    held = np.clip(projection, low, high)
    with np.errstate(invalid="ignore"):
        cells["projection_clipped"] = ~np.isnan(projection) & (held != projection)
    cells["projection"] = held
    cells["expected"] = np.clip(cells["expected"], low, high)
    for name in ("progress_ratio", "projection_ratio"):
        cells[name] = np.clip(cells[name], 0.0, 1.0)
