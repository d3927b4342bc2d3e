"""When the demo's files arrive: working days and hours near the deadline, a few early and late, first attempts with
mistakes followed by their corrections, up to the as-of quarter."""

import datetime as dt
from collections import Counter, defaultdict

import holidays
import numpy as np
import pytest

from demo.generator import DEFAULT_AS_OF
from demo.profiles import PROVINCE, REPORTING_UNITS
from demo.schedule import LATE_CITY, MISTAKES, REJECTED, is_working_day, upload_schedule
from indicators.periods import quarters_between, submission_deadline

UNITS = [*REPORTING_UNITS, PROVINCE]


@pytest.fixture(scope="module")
def sendings():
    return upload_schedule(UNITS, DEFAULT_AS_OF, 2022)


def test_the_as_of_quarter_is_the_last_one_sent(sendings):
    periods = {(s.year, s.quarter) for s in sendings}
    assert periods == set(quarters_between((2021, 1), DEFAULT_AS_OF))
    assert not [s for s in upload_schedule(UNITS, (2022, 3), 2022) if (s.year, s.quarter) > (2022, 3)]


def test_every_unit_sends_every_quarter_but_one_city_the_last(sendings):
    sent = {(s.area_code, s.year, s.quarter) for s in sendings}
    quarters = quarters_between((2021, 1), DEFAULT_AS_OF)
    missing = {(a, y, q) for a in UNITS for y, q in quarters} - sent
    assert missing == {(LATE_CITY, *DEFAULT_AS_OF)}


def test_only_on_working_days_and_hours(sendings):
    calendar = holidays.China(years=range(2021, 2027))
    local = [s.at.astimezone(dt.timezone(dt.timedelta(hours=8))) for s in sendings]
    assert all(t.weekday() < 5 for t in local)
    assert all(is_working_day(t.date(), calendar) for t in local)  # not in 国庆 or 春节 either
    assert all(dt.time(8, 30) <= t.time() <= dt.time(17, 30) for t in local)


def test_times_are_spread(sendings):
    minutes = np.array([s.at.hour * 60 + s.at.minute for s in sendings])
    assert len({s.at.time() for s in sendings}) > 0.9 * len(sendings)
    assert minutes.std() > 90  # mornings and afternoons, not one hour
    assert len({s.at.weekday() for s in sendings}) == 5


def test_most_in_the_last_week_a_few_early_some_late(sendings):
    first = {}
    for s in sendings:
        first.setdefault((s.area_code, s.year, s.quarter), s)
    days_left = np.array([(submission_deadline(s.year, s.quarter) - s.at.date()).days for s in first.values()])
    assert ((days_left >= 0) & (days_left < 7)).mean() > 0.6
    assert (days_left >= 7).sum() >= 10  # the early cities
    late_cities = {s.area_code for s in first.values() if s.late}
    assert LATE_CITY in late_cities and 1 <= len(late_cities) <= 3
    assert (days_left < 0).sum() < 0.1 * len(days_left)


def test_mistakes_in_several_cities_each_followed_by_its_correction(sendings):
    by_period = defaultdict(list)
    for s in sendings:
        by_period[(s.area_code, s.year, s.quarter)].append(s)
    mistaken = [files for files in by_period.values() if files[0].mistake]
    assert len(mistaken) >= 10
    assert Counter(files[0].mistake for files in mistaken).keys() == set(MISTAKES)
    rejected_cities = {files[0].area_code for files in mistaken if files[0].mistake in REJECTED}
    assert len(rejected_cities) >= 3
    assert len({files[0].area_code for files in mistaken}) >= 6
    assert PROVINCE not in {files[0].area_code for files in mistaken}
    for first, *rest in mistaken:
        assert len(rest) == 1 and rest[0].mistake is None
        gap = rest[0].at - first.at
        assert dt.timedelta(0) < gap < dt.timedelta(days=4)  # the same day, or the next working day
    assert all(len(files) == 1 for files in by_period.values() if not files[0].mistake)


def test_deterministic_for_a_seed(sendings):
    assert upload_schedule(UNITS, DEFAULT_AS_OF, 2022) == sendings
    other = upload_schedule(UNITS, DEFAULT_AS_OF, 7)
    assert [s.at for s in other] != [s.at for s in sendings]
