"""The synthetic plan and observations of bench_progress.py: 340 cities (the plan's reporting units topped up with
synthetic ones) × 180 synthetic targets, one indicator each, scope each_city, and about 1.26 million observations
(2020Q4 baselines and 2021Q1–2025Q4) inserted by binary COPY. Call after Django is set up."""

import datetime
import time

N_AREAS = 340  # assessed areas (level city): the plan's own reporting units topped up with synthetic cities
N_TARGETS = 180
SYNTHETIC_CODE_BASE = 500000  # 500001…: far from Liaoning's 21xxxx

# (kind, direction, comparator, aggregation, seasonal every n-th, how many, baseline level, target value)
# A mix like the real plan's: many completion and cumulative commitments, shares, levels, a few reductions.
TEMPLATES = [
    ("completion", "higher", "done_by", "mean", 0, 45, 0.0, None),
    ("cumulative", "higher", "ge", "sum", 0, 40, 0.0, 100.0),
    ("share", "higher", "ge", "mean", 3, 35, 60.0, 70.0),
    ("share", "lower", "le", "mean", 1, 10, 10.0, 5.0),
    ("level", "lower", "le", "mean", 1, 15, 45.0, 35.0),
    ("level", "lower", "lt", "max", 0, 5, 50.0, 40.0),
    ("level", "lower", "reduce_pct", "mean", 0, 10, 100.0, 15.0),
    ("count", "lower", "reduce_abs", "sum", 0, 5, 200.0, 20.0),
    ("count", "higher", "gt", "reported", 0, 5, 10.0, 20.0),
    ("count", "higher", "ge", "min", 0, 10, 10.0, 20.0),
]
DEADLINES = [datetime.date(2025, 12, 31), datetime.date(2023, 12, 31), datetime.date(2024, 6, 30)]


# ----------------------------------------------------------------------------------------------------------------------
# The plan: cities, indicators, targets
# ----------------------------------------------------------------------------------------------------------------------
def build_plan():
    """The plan's own targets give way to 180 synthetic ones (one indicator each, scope each_city); the plan's 15
    reporting units are topped up to 340 cities. Returns (the 340 city ids, the province id, a frame of the targets'
    specs with their indicator_id)."""
    import pandas as pd

    remove_plan_targets()
    areas, province = add_cities()
    specs = target_specs()
    indicators = create_indicators(specs)
    create_targets(specs, indicators)
    frame = pd.DataFrame(specs)
    frame["indicator_id"] = [ind.pk for ind in indicators]
    return areas, province.pk, frame


def remove_plan_targets() -> None:
    """Only the synthetic targets are assessed. Plain SQL: no post_delete signal queues a recompute per target."""
    from django.db import connection

    from targets.models import Target, TargetAreaValue

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TargetAreaValue._meta.db_table}")
        cursor.execute(f"DELETE FROM {Target._meta.db_table}")


def add_cities():
    """Synthetic cities under the province up to N_AREAS reporting units; returns (their ids, the province)."""
    from indicators.models import Area

    province = Area.objects.province()
    own = Area.objects.reporting().count()
    Area.objects.bulk_create(
        [
            Area(
                code=str(SYNTHETIC_CODE_BASE + i),
                name=f"基准测试市{i:03d}",
                name_en=f"Bench city {i:03d}",
                level=Area.Level.CITY,
                parent=province,
                order=10_000 + i,
            )
            for i in range(1, N_AREAS - own + 1)
        ]
    )
    areas = list(Area.objects.reporting().values_list("pk", flat=True))
    assert len(areas) == N_AREAS, len(areas)
    return areas, province


def target_specs() -> list[dict]:
    """One spec per synthetic target, from TEMPLATES."""
    specs, i = [], 0
    for kind, direction, comparator, aggregation, seasonal_every, count, base, value in TEMPLATES:
        for j in range(count):
            specs.append(
                {
                    "n": i,
                    "kind": kind,
                    "direction": direction,
                    "comparator": comparator,
                    "aggregation": aggregation,
                    "seasonal": bool(seasonal_every) and j % seasonal_every == 0,
                    "base": base,
                    "value": value,
                    "deadline": DEADLINES[j % len(DEADLINES)] if comparator == "done_by" else None,
                }
            )
            i += 1
    assert len(specs) == N_TARGETS
    return specs


def create_indicators(specs: list[dict]) -> list:
    from indicators.models import Indicator

    return Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"bench_{s['n']:03d}",
                name=f"基准测试指标{s['n']:03d}",
                unit="%" if s["kind"] in ("share", "completion") else "单位",
                kind=s["kind"],
                direction=s["direction"],
                min_value=0,
                max_value=100 if s["kind"] in ("share", "completion") else 100_000,
                aggregation=s["aggregation"],
                seasonal=s["seasonal"],
                reported_by="province" if s["aggregation"] == "reported" else "city",
                order=10_000 + s["n"],
            )
            for s in specs
        ]
    )


def create_targets(specs: list[dict], indicators: list) -> None:
    from targets.models import Measure, Target

    measure = Measure.objects.order_by("order").first()
    Target.objects.bulk_create(
        [
            Target(
                code=f"BENCH-{s['n']:03d}",
                section=measure.section,
                measure=measure,
                indicator=indicator,
                name=f"基准测试目标{s['n']:03d}",
                comparator=s["comparator"],
                value=s["value"],
                unit=indicator.unit,
                target_year=2025,
                deadline=s["deadline"],
                baseline_year=2020,
                scope=Target.Scope.EACH_CITY,
                source_text="基准测试",
                source_offset=0,
                order=10_000 + s["n"],
            )
            for s, indicator in zip(specs, indicators, strict=True)
        ]
    )


# ----------------------------------------------------------------------------------------------------------------------
# Observations
# ----------------------------------------------------------------------------------------------------------------------
def build_observations(areas, province_id, specs):
    """2020Q4 (the baseline) and 2021Q1–2025Q4 for every city and indicator (and the province where it reports its
    own value). Each series heads from its baseline towards the target at its own pace (−40 % … 150 % of the
    schedule), so every status occurs; 2 % of quarters and 1 % of baselines are missing."""
    import numpy as np

    rng = np.random.default_rng(340180)
    series_area, series_spec = [], []
    for j, spec in specs.iterrows():
        owners = [*areas, province_id] if spec["aggregation"] == "reported" else areas
        series_area += owners
        series_spec += [j] * len(owners)
    series_area = np.asarray(series_area, dtype=np.int64)
    series_spec = np.asarray(series_spec)
    n = len(series_area)
    comparator = specs["comparator"].to_numpy()[series_spec]
    base = specs["base"].to_numpy(float)[series_spec]
    value = specs["value"].astype(float).to_numpy()[series_spec]
    upper = np.where(np.isin(specs["kind"].to_numpy()[series_spec], ["share", "completion"]), 100.0, 100_000.0)

    b = np.where(base > 0, base * (1 + rng.normal(0, 0.05, n)), 0.0)
    t = np.select(
        [comparator == "done_by", comparator == "reduce_pct", comparator == "reduce_abs"],
        [100.0, b * (1 - value / 100), b - value],
        value,
    )
    pace = rng.uniform(-0.4, 1.5, n)
    s = (np.arange(20) + 1) / 20
    noise = rng.normal(0, 0.03, (n, 20)) * np.abs(t - b)[:, None]
    quarters = np.clip(
        np.round(b[:, None] + (t - b)[:, None] * pace[:, None] * s[None, :] + noise, 2), 0, upper[:, None]
    )
    values = np.concatenate([np.round(b, 2)[:, None], quarters], axis=1)  # column 0: 2020Q4
    present = rng.random((n, 21)) >= np.r_[0.01, [0.02] * 20][None, :]

    years = np.r_[2020, np.repeat(np.arange(2021, 2026), 4)]
    qs = np.r_[4, np.tile(np.arange(1, 5), 5)]
    keep = present.ravel()
    indicator_ids = specs["indicator_id"].to_numpy(np.int64)[series_spec]
    return {
        "area_id": np.repeat(series_area, 21)[keep],
        "indicator_id": np.repeat(indicator_ids, 21)[keep],
        "year": np.tile(years, n)[keep],
        "quarter": np.tile(qs, n)[keep],
        "value": values.ravel()[keep],
    }


def copy_observations(columns, upload_id: int) -> float:
    """Binary COPY straight into the observation table; returns the seconds it took."""
    import numpy as np
    from django.db import connection

    from progress.pgcopy import SIGNATURE, TRAILER
    from uploads.models import Observation

    n = len(columns["area_id"])
    layout = np.dtype(
        [
            ("count", ">i2"),
            ("l_area", ">i4"),
            ("area", ">i8"),
            ("l_indicator", ">i4"),
            ("indicator", ">i8"),
            ("l_year", ">i4"),
            ("year", ">i2"),
            ("l_quarter", ">i4"),
            ("quarter", ">i2"),
            ("l_value", ">i4"),
            ("value", ">f8"),
            ("l_note", ">i4"),  # '' : length 0, no bytes
            ("l_upload", ">i4"),
            ("upload", ">i8"),
            ("l_current", ">i4"),
            ("current", "u1"),
        ]
    )
    block = np.empty(n, dtype=layout)
    block["count"] = 8
    for name, size in (("area", 8), ("indicator", 8), ("year", 2), ("quarter", 2), ("value", 8), ("upload", 8)):
        block[f"l_{name}"] = size
    block["l_current"], block["current"], block["l_note"] = 1, 1, 0
    block["area"], block["indicator"] = columns["area_id"], columns["indicator_id"]
    block["year"], block["quarter"], block["value"] = columns["year"], columns["quarter"], columns["value"]
    block["upload"] = upload_id
    payload = SIGNATURE + block.tobytes() + TRAILER
    table = Observation._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Seeding our own throw-away database: skip the per-row foreign-key triggers when we may (superuser).
        try:
            cursor.execute("SET session_replication_role = replica")
            replica = True
        except Exception:
            replica = False
        try:
            names = "area_id, indicator_id, year, quarter, value, note, upload_id, is_current"
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(payload)
        finally:
            if replica:
                cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started
