"""The demo observations: believable, complete, inside every check the upload pipeline makes, deterministic."""

import time

import numpy as np
import pandas as pd
import pytest

from demo.generator import ANCHOR_CITY, CITY_PROFILES, REGRESSING_CITY, demo_observations
from indicators.models import Area, Indicator
from targets.models import Target

THROUGH = (2026, 3)
N_QUARTERS = (THROUGH[0] - 2020) * 4 + THROUGH[1]


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


def test_regressing_city_worsens_while_shenyang_improves(frame):
    full_year = frame[(frame["indicator_code"] == "pm25") & (frame["quarter"] == 4)]
    huludao = full_year[full_year["area_code"] == REGRESSING_CITY].set_index("year")["value"]
    shenyang = full_year[full_year["area_code"] == ANCHOR_CITY].set_index("year")["value"]
    assert (huludao.loc[2022:2025].diff().dropna() > 0).all() and huludao[2022] > huludao[2021]
    assert (shenyang.diff().dropna() < 0).all()
    assert shenyang[2025] <= 34 < huludao[2025]


def test_profiles_name_one_regressing_city(plan):
    assert CITY_PROFILES[REGRESSING_CITY] == "regressing"
    assert CITY_PROFILES[ANCHOR_CITY] == "on_track"
    assert set(CITY_PROFILES) == set(
        Area.objects.filter(level__in=["city", "pilot_zone"]).values_list("code", flat=True)
    )
    assert list(CITY_PROFILES.values()).count("regressing") == 1
    assert {"ahead", "behind"} <= set(CITY_PROFILES.values())
    assert list(CITY_PROFILES.values()).count("on_track") > len(CITY_PROFILES) / 2


def test_on_track_city_completes_dated_work_by_the_deadline(frame):
    shenyang = frame[(frame["area_code"] == ANCHOR_CITY) & (frame["year"] == 2025) & (frame["quarter"] == 4)]
    for target in Target.objects.filter(scope="each_city", comparator="done_by", deadline__year__lte=2025):
        if target.indicator.reported_by == "city":
            value = shenyang.loc[shenyang["indicator_code"] == target.indicator.code, "value"]
            assert value.iloc[0] >= 99.5, target.code


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


def test_fast_enough_for_the_whole_plan(plan):
    start = time.perf_counter()
    demo_observations(through=THROUGH)
    assert time.perf_counter() - start < 2
