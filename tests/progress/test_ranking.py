"""Rankings break ties on further columns and mark the places still shared (progress.rollup.rank_with_ties)."""

import math

import pandas as pd

from progress.rollup import rank_with_ties

ORDER = [("score", False), ("mean_progress_ratio", False), ("mean_gap_share", True)]


def test_equal_scores_are_ordered_by_progress_then_gap_and_the_rest_share_a_place():
    cities = pd.DataFrame(
        {
            "key": ["a", "b", "c", "d", "e", "f"],
            "score": [5.0, 5.0, 5.0, 5.0, 2.0, math.nan],
            "mean_progress_ratio": [0.9, 1.0, 1.0, 1.0, 0.5, math.nan],
            "mean_gap_share": [-0.1, -0.2, -0.2 + 1e-13, -0.3, 0.4, math.nan],
        }
    )
    ranked = rank_with_ties(cities, ORDER)
    assert ranked["key"].tolist() == ["d", "b", "c", "a", "e", "f"]
    # b and c differ only in the 13th decimal of a mean: equal as they read, so they share second place.
    assert ranked["rank"].tolist() == [1, 2, 2, 4, 5, 6]
    assert ranked["tied"].tolist() == [False, True, True, False, False, False]


def test_cities_without_a_score_share_the_last_place():
    cities = pd.DataFrame(
        {"key": [1, 2, 3], "score": [math.nan, 1.0, math.nan], "mean_progress_ratio": [math.nan] * 3},
    ).assign(mean_gap_share=math.nan)
    ranked = rank_with_ties(cities, ORDER)
    assert ranked["key"].tolist() == [2, 1, 3]
    assert ranked["rank"].tolist() == [1, 2, 2] and ranked["tied"].tolist() == [False, True, True]


def test_an_empty_frame_ranks_to_nothing():
    empty = pd.DataFrame(columns=["key", "score", "mean_progress_ratio", "mean_gap_share"])
    ranked = rank_with_ties(empty, ORDER)
    assert ranked.empty and {"rank", "tied"} <= set(ranked.columns)
