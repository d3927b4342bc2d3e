"""One vocabulary: the statuses the engine gives are exactly the registry's (progress/choices.py), which the models
store and the pages show. Fails if the engine, the models or the registry drift apart."""

from progress.choices import BaselineSource, ProjectionStatus, SdgStatus, Status, YearState

from .test_engine import assignment, at, obs, run

# One area per row, each judged in 2023 Q4 (s = 0.6 against a 2020 baseline and a 2025 target) so that between
# them they give every status, every growth-ratio class, every projection class and every baseline source.
EVERY_KIND = [  # (area, the row's assignment, its observations)
    (10, {"plan_baseline": 75.0}, [(2023, 4, 96.0)]),  # achieved
    (11, {"plan_baseline": 75.0}, [(2023, 4, 88.0)]),  # on track · substantial · likely
    (12, {"plan_baseline": 75.0}, [(2023, 4, 83.0)]),  # at risk · moderate · needs acceleration
    (13, {"plan_baseline": 75.0}, [(2023, 4, 78.0)]),  # off track · limited
    (14, {"plan_baseline": 75.0}, [(2023, 4, 70.0)]),  # regressing · deterioration · stagnation
    (15, {"plan_baseline": 75.0, "target_year": 2022}, [(2023, 4, 90.0)]),  # overdue
    (16, {}, [(2023, 4, 90.0)]),  # no baseline (baseline source missing)
    (17, {"plan_baseline": 75.0}, []),  # no data · insufficient data
    (18, {}, [(2020, 4, 75.0), (2023, 4, 96.0)]),  # baseline observed
    (19, {"kind": "cumulative", "value": 2000.0}, [(2023, 4, 1200.0)]),  # baseline zero
]


def every_kind():
    rows = [assignment(area_id=area, comparator="ge", value=95.0) | fields for area, fields, _ in EVERY_KIND]
    observations = [
        obs(area, 100, year, quarter, value) for area, _, points in EVERY_KIND for year, quarter, value in points
    ]
    return run(rows, observations)


def test_the_engine_gives_every_registry_status_and_nothing_else():
    result = every_kind()
    for column, choices in (
        ("status", Status),
        ("sdg_status", SdgStatus),
        ("projection_status", ProjectionStatus),
        ("baseline_source", BaselineSource),
    ):
        assert list(result[column].cat.categories) == choices.values, column
        assert set(result[column].astype(str)) == set(choices.values), column
    assert [at(result, 2023, 4, area_id=area).status for area in range(10, 18)] == Status.values


def test_the_engine_and_the_models_store_the_same_codes():
    from progress.models import Progress, StatusOverride

    result = every_kind()
    for column in ("status", "sdg_status", "projection_status", "baseline_source", "year_state"):
        stored = [code for code, _label in Progress._meta.get_field(column).choices]
        assert list(result[column].cat.categories) == stored, column
    assert [code for code, _label in StatusOverride._meta.get_field("status").choices] == Status.values


def test_every_status_is_shown_by_its_own_colour_symbol_and_rank():
    assert len({s.colour for s in Status}) == len({s.symbol for s in Status}) == len(Status)
    assert sorted(s.rank for s in Status) == list(range(len(Status)))
    assert [s.value for s in Status.worst_first()][:2] == ["no_data", "no_baseline"]
    assert Status.best_first()[0] == Status.ACHIEVED
    assert {s for s in Status if s.behind} == {Status.AT_RISK, Status.OFF_TRACK, Status.REGRESSING, Status.OVERDUE}
    assert all(isinstance(s.colour, str) and s.colour.startswith("#") for s in [*Status, *SdgStatus])


def test_a_yearly_duty_gives_every_year_state_and_only_registry_statuses():
    from .test_yearly import yearly

    rows = [yearly(value=2.0)]
    result = run(rows, [obs(10, 100, 2022, 4, 2.0), obs(10, 100, 2023, 4, 1.0)], through=(2025, 2))
    assert list(result["year_state"].cat.categories) == YearState.values
    assert set(result["year_state"].dropna().astype(str)) == set(YearState.values)
    assert set(result["status"].astype(str)) <= set(Status.values)
    assert len({s.symbol for s in YearState}) == len(YearState)
    assert {s for s in YearState if s.behind} == {YearState.MISSED, YearState.NO_DATA}
