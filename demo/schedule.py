"""When each file is sent, and which first attempts go wrong: the texture of real quarterly reporting.

Officers send on working days (Monday to Friday, not a public holiday, 8:30–17:30 Beijing time), most in the last week
before the deadline, a few cities early, and one or two late now and then. A dozen first attempts carry a mistake a
person makes (a unit typed in a cell, a share as a fraction, a row left empty, values in the wrong rows, last
quarter's file); the correction follows the same or the next working day. Pure and deterministic for a seed: no
database, so the tests can read the whole schedule at once. Public holidays (国庆, 春节 and their 调休 days off) come
from the `holidays` package, which knows China's calendar offline.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from indicators.periods import quarter_end, quarters_between, submission_deadline

from .profiles import PROVINCE, rng_for

BEIJING = ZoneInfo("Asia/Shanghai")
DAY_START, DAY_END = dt.time(8, 30), dt.time(17, 30)
LATE_CITY = "210900"  # 阜新市: late now and then, and the latest quarter not yet in
EARLY = 2  # cities that send in the first days after a quarter ends
LATE_PRONE = 2  # cities late some quarters (LATE_CITY and one drawn)
LATE_SHARE = 0.3  # of a late-prone city's quarters
N_MISTAKES = 12
# Rejected kinds first, so that even a short demo has a rejected attempt and its correction.
MISTAKES = ("unit_in_cell", "wrong_quarter", "share_as_fraction", "missing_row", "wrong_row")
REJECTED = ("unit_in_cell", "wrong_quarter")  # the others are taken with a warning, then replaced


@dataclass(frozen=True)
class Sending:
    """One file sent: a clean one, or a first attempt with `mistake` (its correction is a clean Sending)."""

    area_code: str
    year: int
    quarter: int
    at: dt.datetime  # aware, Beijing time
    mistake: str | None = None

    @property
    def late(self) -> bool:
        return self.at.date() > submission_deadline(self.year, self.quarter)


def is_working_day(day: dt.date, calendar: holidays.HolidayBase) -> bool:
    return day.weekday() < 5 and day not in calendar


def working_days(start: dt.date, end: dt.date, calendar) -> list[dt.date]:
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [day for day in days if is_working_day(day, calendar)]


def time_of_day(rng: np.random.Generator) -> dt.time:
    """Mornings from 8:30, afternoons after the lunch break, none after 17:30."""
    minutes = rng.uniform(8.5 * 60, 11.75 * 60) if rng.random() < 0.45 else rng.uniform(13.5 * 60, 17.4 * 60)
    return dt.time(int(minutes // 60), int(minutes % 60), int(rng.integers(0, 60)))


def _moment(day: dt.date, rng) -> dt.datetime:
    return dt.datetime.combine(day, time_of_day(rng), tzinfo=BEIJING)


def habits(codes: list[str], seed: int) -> dict[str, str]:
    """early | steady | late_prone, per unit. The province's office is steady."""
    rng = rng_for(seed, "habits")
    others = [c for c in sorted(codes) if c not in (LATE_CITY, PROVINCE)]
    order = [others[i] for i in rng.permutation(len(others))]
    found = {code: "steady" for code in codes}
    found.update({code: "early" for code in order[:EARLY]})
    late = ([LATE_CITY] if LATE_CITY in codes else []) + order[EARLY : EARLY + LATE_PRONE]
    found.update({code: "late_prone" for code in late[:LATE_PRONE]})
    return found


def _send_day(habit: str, year: int, quarter: int, calendar, rng) -> dt.date:
    due = submission_deadline(year, quarter)
    window = working_days(quarter_end(year, quarter) + dt.timedelta(days=1), due, calendar)
    if habit == "late_prone" and rng.random() < LATE_SHARE:
        after = working_days(due + dt.timedelta(days=1), due + dt.timedelta(days=20), calendar)
        return after[min(int(rng.geometric(0.35)) - 1, len(after) - 1)]
    if habit == "early":
        return window[int(rng.integers(0, max(1, len(window) * 2 // 5)))]
    last_week = [day for day in window if day > due - dt.timedelta(days=7)] or window[-1:]
    weights = np.linspace(1, 2.5, len(last_week))  # busier towards the deadline
    return last_week[rng.choice(len(last_week), p=weights / weights.sum())]


def _correction_time(first: dt.datetime, calendar, rng) -> dt.datetime:
    """The same afternoon if the first attempt came early enough, otherwise the next working morning."""
    same_day = first + dt.timedelta(minutes=float(rng.uniform(35, 150)))
    if same_day.time() <= dt.time(17, 20) and rng.random() < 0.6:
        return same_day
    later = working_days(first.date() + dt.timedelta(days=1), first.date() + dt.timedelta(days=14), calendar)
    moment = rng.uniform(8.75 * 60, 11.5 * 60)
    return dt.datetime.combine(
        later[0], dt.time(int(moment // 60), int(moment % 60), int(rng.integers(0, 60))), BEIJING
    )


def _mistake_slots(codes: list[str], quarters: list[tuple[int, int]], seed: int) -> dict[tuple, str]:
    """(area code, year, quarter) → mistake kind: N_MISTAKES first attempts, at most two per city, never the
    province's, never in the first quarter (nothing earlier to compare with or to confuse it with)."""
    rng = rng_for(seed, "mistakes")
    cities = sorted(c for c in codes if c != PROVINCE)
    candidates = [(c, y, q) for c in cities for (y, q) in quarters[1:]]
    order = [candidates[i] for i in rng.permutation(len(candidates))]
    chosen, per_city = [], dict.fromkeys(cities, 0)
    for slot in order:
        if per_city[slot[0]] < 2 and len(chosen) < N_MISTAKES:
            chosen.append(slot)
            per_city[slot[0]] += 1
    return {slot: MISTAKES[i % len(MISTAKES)] for i, slot in enumerate(chosen)}


def upload_schedule(codes: list[str], as_of: tuple[int, int], seed: int) -> list[Sending]:
    """Every file the units send for the quarters from 2021 Q1 to `as_of`, in the order they arrive. LATE_CITY's
    file for `as_of` is not in yet."""
    quarters = quarters_between((2021, 1), as_of)
    calendar = holidays.China(years=range(2021, as_of[0] + 2))
    habit = habits(codes, seed)
    mistakes = _mistake_slots(codes, quarters, seed)
    sendings = []
    for code in sorted(codes):
        rng = rng_for(seed, "timing", code)
        for year, quarter in quarters:
            if code == LATE_CITY and (year, quarter) == as_of:
                continue
            at = _moment(_send_day(habit[code], year, quarter, calendar, rng), rng)
            kind = mistakes.get((code, year, quarter))
            if kind is not None:
                sendings.append(Sending(code, year, quarter, at, kind))
                at = _correction_time(at, calendar, rng)
            sendings.append(Sending(code, year, quarter, at))
    return sorted(sendings, key=lambda s: (s.at, s.area_code))


def baseline_moment() -> dt.datetime:
    """The provincial back-fill of 2020, before the first quarterly files."""
    return dt.datetime(2021, 3, 2, 9, 41, 17, tzinfo=BEIJING)
