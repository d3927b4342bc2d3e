"""The story the progress engine reads from the demo data at the as-of quarter: every city behind on some themes and
none on all, one or two struggling, the steel towns behind on air, the coast mixed on sea water."""

import numpy as np
import pandas as pd
import pytest

from demo.generator import DEFAULT_AS_OF, generate
from demo.profiles import CITY_THEMES, COASTAL, PROVINCE, REPORTING_UNITS, theme_profiles
from demo.schedule import upload_schedule
from demo.story import BEHIND, BEHIND_SHARE, UNJUDGED, behind_shares, target_themes, themes_behind
from indicators.models import Area, Indicator
from progress import engine
from progress.services import FIRST_YEAR, build_assignments
from targets.models import Target

BOUNDS = (0, 4)  # themes behind, of the five a city is assessed on


@pytest.fixture
def rows(plan):
    """The engine's rows for the reporting units at the as-of quarter, from the values the schedule sends."""
    frame = generate(through=DEFAULT_AS_OF).observations
    sent = {
        (s.area_code, s.year, s.quarter) for s in upload_schedule([*REPORTING_UNITS, PROVINCE], DEFAULT_AS_OF, 2022)
    }
    area_of = dict(Area.objects.values_list("code", "pk"))
    city_of = {
        a.code: (a.code if a.parent is None or a.level != "county" else a.parent.code)
        for a in Area.objects.select_related("parent")
    }
    keep = [
        year == 2020 or (city_of[area], year, quarter) in sent
        for area, year, quarter in zip(frame["area_code"], frame["year"], frame["quarter"], strict=True)
    ]
    frame = frame[keep]
    indicator_of = dict(Indicator.objects.values_list("code", "pk"))
    observations = pd.DataFrame(
        {
            "area_id": frame["area_code"].map(area_of),
            "indicator_id": frame["indicator_code"].map(indicator_of),
            "year": frame["year"],
            "quarter": frame["quarter"],
            "value": frame["value"],
            "observation_id": np.arange(len(frame)),
        }
    )
    rules = pd.DataFrame.from_records(Indicator.objects.values("id", "aggregation")).rename(
        columns={"id": "indicator_id"}
    )
    province = area_of[PROVINCE]
    observations = engine.province_values(observations, rules, province, [a for a in area_of.values() if a != province])
    progress = engine.compute_progress(build_assignments(), observations, first_year=FIRST_YEAR, through=DEFAULT_AS_OF)
    units = [area_of[c] for c in REPORTING_UNITS]
    at = progress[(progress["year"] == DEFAULT_AS_OF[0]) & (progress["quarter"] == DEFAULT_AS_OF[1])]
    at = at[at["area_id"].isin(units)]
    code_of = {pk: code for code, pk in area_of.items()}
    return at.assign(area_code=at["area_id"].map(code_of))


@pytest.fixture
def behind(rows):
    shares = behind_shares(rows, target_themes())
    assert set(shares.columns) == set(CITY_THEMES)
    found = themes_behind(shares)
    return {code: found[area_id] for area_id, code in rows.groupby("area_id")["area_code"].first().items()}


def test_every_city_behind_on_some_themes_and_none_on_all(rows, behind):
    counts = {code: len(themes) for code, themes in behind.items()}
    assert set(counts) == set(REPORTING_UNITS)
    assert all(BOUNDS[0] <= n <= BOUNDS[1] for n in counts.values()), counts
    judged = rows[~rows["status"].isin(UNJUDGED)]
    lagging = judged["status"].isin(BEHIND).groupby(judged["area_code"]).sum()
    assert (lagging > 0).all(), "a city meets every target"  # no city meets everything
    assert sum(1 <= n <= 3 for n in counts.values()) >= 10, counts  # most cities: one to three themes behind


def test_one_or_two_struggling_and_a_few_leading(rows, behind):
    counts = {code: len(themes) for code, themes in behind.items()}
    assert 1 <= sum(n >= 4 for n in counts.values()) <= 2, counts
    judged = rows[~rows["status"].isin(UNJUDGED)]
    on_schedule = (~judged["status"].isin(BEHIND)).groupby(judged["area_code"]).mean()
    leading = [c for c in REPORTING_UNITS if counts[c] <= 1 and on_schedule[c] >= 0.85]
    assert 1 <= len(leading) <= 5, on_schedule.round(2).to_dict()
    struggling = [c for c in REPORTING_UNITS if counts[c] >= 4]
    assert on_schedule[struggling].max() < on_schedule[leading].min()


def test_steel_towns_behind_on_air_and_the_coast_mixed_on_sea_water(rows, behind):
    assert "blue_sky" in behind["210300"] and "blue_sky" in behind["210500"]  # 鞍山, 本溪
    sea = Target.objects.filter(indicator__code="sea_river_tn_concentration").values_list("pk", flat=True)
    coast = rows[rows["target_id"].isin(list(sea)) & rows["area_code"].isin(COASTAL)]
    assert len(coast) == len(COASTAL)
    assert coast["status"].isin(BEHIND).any() and (~coast["status"].isin(BEHIND)).any()


def test_two_cities_regress_on_one_theme(rows):
    """The two cities drawn to slide backwards on their weakest theme have targets there moving away from the plan."""
    profiles = theme_profiles()
    sliding = {(code, theme) for (code, theme), profile in profiles.items() if profile == "regressing"}
    assert len(sliding) == 2 and len({code for code, _ in sliding}) == 2
    themes = target_themes()
    regressing = rows[rows["status"] == "regressing"]
    found = {
        (code, themes[target]) for code, target in zip(regressing["area_code"], regressing["target_id"], strict=True)
    }
    assert sliding <= found


def test_cities_lag_on_different_themes(rows):
    """Not the same few cities behind on everything in the same order: a city's standing on one theme says little
    about its standing on another."""
    shares = behind_shares(rows, target_themes())
    ranks = shares.rank().corr().to_numpy()
    pairs = ranks[np.triu_indices(len(shares.columns), 1)]
    assert pairs.mean() < 0.5, pairs.round(2)
    sets = {theme: frozenset(shares.index[shares[theme] >= BEHIND_SHARE]) for theme in shares.columns}
    assert len(set(sets.values())) == len(sets)
