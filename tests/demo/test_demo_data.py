"""The demo observations: believable, complete, inside every check the upload pipeline makes, deterministic."""

import numpy as np
import pandas as pd
import pytest

from demo.generator import DEFAULT_AS_OF, demo_observations, generate
from demo.profiles import CITY_THEMES, LEANINGS, REPORTING_UNITS, indicator_themes, theme_profiles
from indicators.models import Area, Indicator
from targets.models import Section, Target

THROUGH = DEFAULT_AS_OF
N_QUARTERS = (THROUGH[0] - 2020) * 4 + THROUGH[1]
SHENYANG = "210100"


@pytest.fixture
def frame(plan):
    return demo_observations(through=THROUGH)


@pytest.fixture
def indicators(plan):
    fields = ("code", "kind", "min_value", "max_value", "max_change", "seasonal")
    return pd.DataFrame(list(Indicator.objects.values(*fields)))


def _with_indicators(frame, indicators):
    merged = frame.merge(indicators, left_on="indicator_code", right_on="code", validate="many_to_one")
    return merged.sort_values(["indicator_code", "area_code", "year", "quarter"]).reset_index(drop=True)


def test_shape_and_columns(frame):
    assert list(frame.columns) == ["area_code", "indicator_code", "year", "quarter", "value"]
    assert frame["area_code"].str.fullmatch(r"\d{6}").all()
    assert frame["quarter"].between(1, 4).all()
    assert frame["value"].dtype == float
    assert not frame["value"].isna().any()
    assert not frame.duplicated(["area_code", "indicator_code", "year", "quarter"]).any()
    periods = frame[["year", "quarter"]].drop_duplicates().sort_values(["year", "quarter"])
    assert len(periods) == N_QUARTERS
    assert tuple(periods.iloc[0]) == (2020, 1)
    assert tuple(periods.iloc[-1]) == THROUGH


def test_through_limits_the_periods(plan):
    short = demo_observations(through=(2021, 2))
    assert short[["year", "quarter"]].drop_duplicates().shape[0] == 6
    assert (short["year"] * 10 + short["quarter"]).max() == 20212
    with pytest.raises(ValueError):
        demo_observations(through=(2021, 5))


def test_every_value_is_inside_the_indicators_range(frame, indicators):
    merged = _with_indicators(frame, indicators)
    outside = merged[(merged["value"] < merged["min_value"]) | (merged["value"] > merged["max_value"])]
    assert outside.empty, outside.head()


def test_quarter_on_quarter_changes_stay_within_max_change(frame, indicators):
    merged = _with_indicators(frame, indicators)
    series = merged.groupby(["indicator_code", "area_code"])["value"]
    change = (merged["value"] - series.shift()).abs()
    jumps = merged[merged["max_change"].notna() & (change > merged["max_change"] + 1e-9)]
    assert jumps.empty, jumps.head()
    # seasonal year-to-date values are compared with the same quarter a year earlier
    seasonal = merged[merged["seasonal"]]
    a_year_earlier = seasonal.groupby(["indicator_code", "area_code", "quarter"])["value"].shift()
    same_quarter = (seasonal["value"] - a_year_earlier).abs()
    assert not (same_quarter > seasonal["max_change"] + 1e-9).any()


def test_who_reports_what(frame, plan):
    units = set(Area.objects.filter(level__in=["city", "pilot_zone"]).values_list("code", flat=True))
    assert len(units) == 15
    reported = frame.groupby("indicator_code")["area_code"].agg(set)
    counts = frame.groupby(["indicator_code", "area_code"]).size()
    for indicator in Indicator.objects.all():
        if indicator.reported_by == "city":
            expected = units
        elif indicator.reported_by == "province":
            expected = {"210000"}
        else:
            expected = set(
                Target.objects.filter(indicator=indicator).values_list("area_values__area__code", flat=True)
            ) - {None}
        assert reported.get(indicator.code, set()) == expected, indicator.code
        for area in expected:
            assert counts[(indicator.code, area)] == N_QUARTERS, (indicator.code, area)


def test_cumulative_quantities_start_in_2021_and_never_fall(frame, indicators):
    merged = _with_indicators(frame, indicators)
    cumulative = merged[merged["kind"] == "cumulative"]
    assert not cumulative.empty
    assert (cumulative.loc[cumulative["year"] == 2020, "value"] == 0).all()
    steps = cumulative.groupby(["indicator_code", "area_code"])["value"].diff().dropna()
    assert (steps >= 0).all()
    assert (cumulative.groupby(["indicator_code", "area_code"])["value"].last() > 0).mean() > 0.8


def test_pm25_is_a_winter_heavy_year_to_date_mean(frame):
    pm25 = frame[frame["indicator_code"] == "pm25"].pivot_table(
        index=["area_code", "year"], columns="quarter", values="value"
    )
    full_years = pm25.dropna()
    assert (full_years[1] > full_years[4]).mean() > 0.9
    assert (full_years[3] < full_years[4]).mean() > 0.9  # 1–9月 is the cleanest stretch
    good = frame[frame["indicator_code"] == "good_air_days_ratio"].pivot_table(
        index=["area_code", "year"], columns="quarter", values="value"
    )
    assert (good.dropna()[1] < good.dropna()[4]).mean() > 0.9


def test_baselines_are_plausible(frame):
    def in_2020(code):
        return frame[(frame["indicator_code"] == code) & (frame["year"] == 2020) & (frame["quarter"] == 4)]["value"]

    pm25, good = in_2020("pm25"), in_2020("good_air_days_ratio")
    assert pm25.between(38.5, 46.5).all() and pm25.std() > 1
    assert good.between(79.5, 86.5).all()
    assert in_2020("energy_intensity").between(0.8, 1.0).all()


def test_the_default_quarter_lies_inside_the_plan_period():
    """序时进度 shows only before the 2025 targets fall due: the demo's latest data must come before 2025 Q4."""
    assert (2021, 1) <= DEFAULT_AS_OF < (2025, 4)


def test_a_weak_theme_shows_in_the_values(frame):
    """鞍山 and 本溪 (steel) are behind on air: their PM2.5 stays further above the 34 target than 大连's."""
    full_year = frame[(frame["indicator_code"] == "pm25") & (frame["quarter"] == 4)].set_index(["area_code", "year"])
    last = full_year["value"].xs(THROUGH[0], level="year")
    assert min(last["210300"], last["210500"]) > last["210200"]
    assert last["210200"] <= 36


def test_every_indicator_has_a_theme_of_the_plan(plan):
    themes = indicator_themes()
    used = set(Target.objects.values_list("indicator__code", flat=True))
    assert set(themes) == used
    assert set(themes.values()) <= set(Section.Theme.values)
    assert themes["pm25"] == "blue_sky" and themes["rural_sewage_treatment_rate"] == "clean_soil"


def test_profiles_per_city_and_theme():
    profiles = theme_profiles()
    for code in REPORTING_UNITS:
        behind = [t for t in CITY_THEMES if profiles[(code, t)] in ("behind", "regressing")]
        strength = LEANINGS[code][0]
        expected = {4} if strength <= -1 else {1} if strength >= 1 else {1, 2, 3}
        assert len(behind) in expected, (code, behind)
    assert profiles[("210300", "blue_sky")] == profiles[("210500", "blue_sky")] == "behind"  # the steel towns
    assert sum(p == "regressing" for p in profiles.values()) == 2
    by_theme = {t: sum(profiles[(c, t)] in ("behind", "regressing") for c in REPORTING_UNITS) for t in CITY_THEMES}
    assert max(by_theme.values()) <= 8, by_theme  # no theme behind nearly everywhere


def test_series_follow_their_theme_but_not_all_alike(plan):
    series = generate(through=THROUGH).series
    cities = series[series["area_code"].isin(REPORTING_UNITS)]
    profiles = theme_profiles()
    theme_profile = [profiles[(a, t)] for a, t in zip(cities["area_code"], cities["theme"], strict=True)]
    mix = pd.crosstab(pd.Series(theme_profile, name="theme"), cities["profile"].to_numpy(), normalize="index")
    assert mix.loc["behind", "behind"] > 0.6 and mix.loc["on_track", "on_track"] > 0.7
    assert mix.loc["behind"].get("on_track", 0) > 0 and mix.loc["on_track"].get("behind", 0) > 0


def test_dated_work_on_track_is_done_by_its_deadline(plan):
    """A city's commitment dated before the as-of quarter is complete where its series is on track or ahead, and not
    everywhere where it is behind."""
    data = generate(through=THROUGH)
    series = data.series.set_index(["area_code", "indicator_code"])["profile"]
    last = data.observations[(data.observations["year"] == THROUGH[0]) & (data.observations["quarter"] == THROUGH[1])]
    last = last.set_index(["area_code", "indicator_code"])["value"]
    done, short = [], []
    dated = Target.objects.filter(
        comparator="done_by", deadline__lte=f"{THROUGH[0] - 1}-12-31", indicator__kind="completion"
    )
    for target in dated.filter(indicator__reported_by="city").select_related("indicator"):
        for city in REPORTING_UNITS:
            profile = series[(city, target.indicator.code)]
            value = last[(city, target.indicator.code)]
            if profile in ("on_track", "ahead"):
                done.append(value >= 99.5)
            elif profile == "behind":
                short.append(value < 99.5)
    assert done and all(done)
    assert len(done) > 10 and any(short)


def test_surface_water_shares_add_up_to_at_most_100(frame):
    shares = frame[frame["indicator_code"].isin(["surface_water_good_share", "surface_water_worse_v_share"])]
    total = shares.groupby(["area_code", "year", "quarter"])["value"].sum()
    assert len(total) > 0
    assert (total <= 100).all()


def test_deterministic_for_one_seed(frame):
    again = demo_observations(through=THROUGH)
    pd.testing.assert_frame_equal(frame, again)
    other = demo_observations(through=THROUGH, seed=7)
    assert len(other) == len(frame)
    assert not np.array_equal(other["value"].to_numpy(), frame["value"].to_numpy())
