"""Benchmark: the progress recompute at national scale on PostgreSQL.

340 areas × 180 targets × 20 quarters (about 1.2 million progress rows): the full recompute (into an empty table,
then over a full one), the incremental recompute after one area's upload, the phases of each (assignments,
observations, compute, serialise the COPY payload, COPY + index, deferred foreign-key checks), and, on a 1 % sample,
a straightforward per-row Python implementation of the same status arithmetic for the ratio. PASS/FAIL against the
goals. Runs on a fresh database of its own, dropped at the end whatever happens.

    .venv/bin/python bench/bench_progress.py          (or `make bench`)

Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432).
"""

import datetime
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database_name, run_on_fresh_database  # noqa: E402

DB_NAME = database_name("progress")
N_AREAS = 340  # assessed areas (level city): the plan's own reporting units topped up with synthetic cities
N_TARGETS = 180
THROUGH = (2025, 4)
FIRST_YEAR = 2021
SYNTHETIC_CODE_BASE = 500000  # 500001…: far from Liaoning's 21xxxx
GOALS = {"full_seconds": 8.0, "incremental_seconds": 0.3}
SAMPLE_SHARE = 0.01

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
# Synthetic plan and observations
# ----------------------------------------------------------------------------------------------------------------------
def build_plan():
    """The plan's own targets give way to 180 synthetic ones (one indicator each, scope each_city); the plan's 15
    reporting units are topped up to 340 cities. Returns (the 340 city ids, the province id, a frame of the targets'
    specs with their indicator_id)."""
    import pandas as pd
    from django.db import connection

    from indicators.models import Area, Indicator
    from targets.models import Measure, Target, TargetAreaValue

    # Only the synthetic targets are assessed. Plain SQL: no post_delete signal queues a recompute per target.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TargetAreaValue._meta.db_table}")
        cursor.execute(f"DELETE FROM {Target._meta.db_table}")
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
    indicators = Indicator.objects.bulk_create(
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
    frame = pd.DataFrame(specs)
    frame["indicator_id"] = [ind.pk for ind in indicators]
    return areas, province.pk, frame


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


# ----------------------------------------------------------------------------------------------------------------------
# Timing the recompute phase by phase, on the real code path
# ----------------------------------------------------------------------------------------------------------------------
PHASES = [
    ("assignments", "build_assignments"),
    ("observations", "current_observations"),
    ("compute", "compute_progress (engine arithmetic)"),
    ("payload", "serialise COPY payload (pgcopy)"),
    ("copy", "TRUNCATE/DELETE + COPY + indexes (+ FK)"),
    ("fk", "FK checks still deferred at commit"),
    ("rest", "rest (target ids, lock, commit)"),
]


@contextmanager
def timed_phases(record: dict, keep: dict):
    """Wrap the functions recompute_progress calls so each phase is timed where it really runs. Foreign-key checks
    still deferred after the write are run right after it (SET CONSTRAINTS ALL IMMEDIATE) instead of inside COMMIT:
    the same work, visible on its own line. (Where the write itself makes the constraints immediate, as the full
    recompute does before its TRUNCATE, the checks run inside the COPY; write_breakdown separates them.)"""
    from django.db import connection

    from progress import engine
    from progress import services as svc

    originals = {
        "build_assignments": svc.build_assignments,
        "current_observations": svc.current_observations,
        "binary_copy_payload": svc.binary_copy_payload,
        "_replace_rows": svc._replace_rows,
        "compute_progress": engine.compute_progress,
    }

    def timed(phase, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            result = fn(*args, **kwargs)
            record[phase] = record.get(phase, 0.0) + time.perf_counter() - started
            keep[phase] = result
            if phase == "payload":  # and the columns the recompute wrote, for write_breakdown
                keep["payload columns"] = args[1]
            return result

        return wrapper

    def replace_rows(rows, assignments, incremental):
        started = time.perf_counter()
        originals["_replace_rows"](rows, assignments, incremental)
        record["write"] = time.perf_counter() - started
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        record["fk"] = time.perf_counter() - started

    svc.build_assignments = timed("assignments", originals["build_assignments"])
    svc.current_observations = timed("observations", originals["current_observations"])
    svc.binary_copy_payload = timed("payload", originals["binary_copy_payload"])
    engine.compute_progress = timed("compute", originals["compute_progress"])
    svc._replace_rows = replace_rows
    try:
        yield
    finally:
        svc.build_assignments = originals["build_assignments"]
        svc.current_observations = originals["current_observations"]
        svc.binary_copy_payload = originals["binary_copy_payload"]
        svc._replace_rows = originals["_replace_rows"]
        engine.compute_progress = originals["compute_progress"]


def run_recompute(**kwargs) -> tuple[dict, dict, object]:
    from progress.services import recompute_progress

    record, keep = {}, {}
    with timed_phases(record, keep):
        started = time.perf_counter()
        report = recompute_progress(through=THROUGH, **kwargs)
        record["total"] = time.perf_counter() - started
    record["copy"] = record.pop("write") - record.get("payload", 0.0)
    named = sum(record.get(p, 0.0) for p, _ in PHASES if p != "rest")
    record["rest"] = record["total"] - named
    return record, keep, report


def write_breakdown(payload: bytes, columns: list[tuple[str, str]]) -> dict:
    """The same COPY payload into two scratch copies of the progress table, rolled back afterwards: one without any
    index (the raw COPY), one with the table's indexes and checks but no foreign keys (LIKE … INCLUDING ALL copies
    no foreign key). What the real write takes beyond the second is the foreign-key checks."""
    from django.db import connection, transaction

    from progress.models import Progress

    table = Progress._meta.db_table
    names = ", ".join(name for name, _ in columns)  # those the recompute wrote (the payload's own)
    seconds = {}
    for label, like in (("raw", "INCLUDING DEFAULTS INCLUDING IDENTITY"), ("indexed", "INCLUDING ALL")):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE bench_scratch (LIKE {table} {like})")
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY bench_scratch ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(payload)
            seconds[label] = time.perf_counter() - started
            transaction.set_rollback(True)
    return seconds


# ----------------------------------------------------------------------------------------------------------------------
# The per-row reference: the same rules, one row at a time in plain Python
# ----------------------------------------------------------------------------------------------------------------------
def per_row_status(a, k: int, lookup: dict, first_year: int = FIRST_YEAR):
    """(expected, progress ratio, status) for assignment `a` (a dict) in quarter k of the grid."""
    from progress import engine

    eps = engine.EPS
    year, quarter = first_year + k // 4, k % 4 + 1
    base_year = int(a["baseline_year"]) if a["baseline_year"] == a["baseline_year"] else engine.DEFAULT_BASELINE_YEAR
    deadline = a["deadline"]
    if deadline is not None and deadline == deadline:  # NaT is not equal to itself
        end_year, end_quarter = deadline.year, (deadline.month - 1) // 3 + 1
    else:
        end_year, end_quarter = int(a["target_year"]), 4
    n_total = 4 * (end_year - base_year) + end_quarter - 4
    tau = 4 * (year - base_year) + quarter - 4
    seasonal = bool(a["seasonal"])
    tau_ref = tau - quarter if seasonal and quarter < 4 else tau
    share = min(max(tau_ref / n_total, 0.0), 1.0) if n_total > 0 else 1.0

    area, indicator = a["area_id"], a["indicator_id"]
    actual = None
    for back in range(k, -1, -1):  # the latest judged value up to this quarter (seasonal: full years only)
        y, q = first_year + back // 4, back % 4 + 1
        if seasonal and q != 4:
            continue
        v = lookup.get((area, indicator, y, q))
        if v is not None and v == v:
            actual = v
            break

    comparator = a["comparator"]
    if a["kind"] in ("cumulative", "completion") or comparator == "done_by":
        b = 0.0
    elif a["plan_baseline"] == a["plan_baseline"] and a["plan_baseline"] is not None:
        b = float(a["plan_baseline"])
    else:
        b = lookup.get((area, indicator, base_year, 4))
        b = None if b is None or b != b else b
    value = a["value"]
    if comparator == "done_by":
        t = 100.0
    elif comparator == "reduce_pct":
        t = None if b is None else b * (1 - value / 100)
    elif comparator == "reduce_abs":
        t = None if b is None else b - value
    else:
        t = value
    test = {"le": "le", "reduce_pct": "le", "reduce_abs": "le", "lt": "lt", "gt": "gt"}.get(comparator, "ge")

    def satisfies(x):
        tol = eps * max(1.0, abs(t))
        return {"le": x <= t + tol, "lt": x < t - tol, "ge": x >= t - tol, "gt": x > t + tol}[test]

    expected = ratio = None
    if b is not None and t is not None:
        expected = b + share * (t - b)
        flat = abs(t - b) <= eps * max(1.0, abs(t))
        maintain = flat or satisfies(b)
        ratio = None if maintain else (actual - b) / (t - b) if actual is not None else None
    if actual is None:
        status = "no_data"
    elif t is None:
        status = "no_baseline"
    elif satisfies(actual):
        status = "achieved"
    elif share >= 1 - eps:
        status = "overdue"
    elif b is None:
        status = "no_baseline"
    elif ratio is None:  # a level to maintain, lost
        status = "regressing"
    elif ratio >= engine.ON_TRACK_SHARE * share - eps:
        status = "on_track"
    elif ratio >= engine.AT_RISK_SHARE * share - eps:
        status = "at_risk"
    elif ratio >= -eps:
        status = "off_track"
    else:
        status = "regressing"
    return expected, ratio, status


def per_row_reference(assignments, observations, engine_rows) -> dict:
    import numpy as np

    n_q = 4 * (THROUGH[0] - FIRST_YEAR) + THROUGH[1]
    total = len(assignments) * n_q
    rng = np.random.default_rng(1)
    sample = np.sort(rng.choice(total, size=max(1, int(total * SAMPLE_SHARE)), replace=False))

    started = time.perf_counter()
    lookup = {}
    for row in observations[["area_id", "indicator_id", "year", "quarter", "value"]].itertuples(index=False):
        lookup[(int(row[0]), int(row[1]), int(row[2]), int(row[3]))] = float(row[4])
    index_seconds = time.perf_counter() - started

    records = assignments.astype(object).where(assignments.notna(), None).to_dict("records")
    started = time.perf_counter()
    results = [per_row_status(records[i // n_q], int(i % n_q), lookup) for i in sample]
    loop_seconds = time.perf_counter() - started

    engine_status = np.asarray(engine_rows["status"], dtype=object)[sample]
    engine_expected = engine_rows["expected"].to_numpy(float)[sample]
    engine_ratio = engine_rows["progress_ratio"].to_numpy(float)[sample]
    ours_expected = np.array([np.nan if r[0] is None else r[0] for r in results])
    ours_ratio = np.array([np.nan if r[1] is None else r[1] for r in results])
    same_status = sum(r[2] == s for r, s in zip(results, engine_status, strict=True))
    both = ~np.isnan(ours_expected) & ~np.isnan(engine_expected)
    both_ratio = ~np.isnan(ours_ratio) & ~np.isnan(engine_ratio)
    return {
        "rows": len(sample),
        "loop": loop_seconds,
        "index": index_seconds,
        "same_status": same_status,
        "expected_diff": float(np.max(np.abs(ours_expected[both] - engine_expected[both]), initial=0.0)),
        "ratio_diff": float(np.max(np.abs(ours_ratio[both_ratio] - engine_ratio[both_ratio]), initial=0.0)),
        "nan_mismatch": int(np.sum(np.isnan(ours_expected) != np.isnan(engine_expected))),
    }


# ----------------------------------------------------------------------------------------------------------------------
def simulate_upload(area_id: int, specs, user) -> tuple[float, list[int]]:
    """One area's quarterly template: a new 2025Q4 value for every indicator, written by the upload service."""
    import numpy as np
    import pandas as pd
    from django.db import transaction

    from uploads.models import Observation, Upload
    from uploads.storage import store_observations

    current = pd.DataFrame.from_records(
        Observation.objects.filter(area_id=area_id, year=2025, quarter=4, is_current=True).values(
            "indicator_id", "value"
        )
    ).set_index("indicator_id")["value"]
    ids = specs["indicator_id"].tolist()
    rows = pd.DataFrame(
        {
            "area_id": area_id,
            "indicator_id": ids,
            "year": 2025,
            "quarter": 4,
            "value": np.round(current.reindex(ids).fillna(50.0).to_numpy() * 0.99, 2),
            "row": np.arange(len(ids)) + 5,
        }
    )
    upload = Upload.objects.create(
        kind=Upload.Kind.TEMPLATE,
        file="bench/template.xlsx",
        original_name="template.xlsx",
        extension=".xlsx",
        size=0,
        sha256="c" * 64,
        uploaded_by=user,
        status=Upload.Status.ACCEPTED,
    )
    started = time.perf_counter()
    with transaction.atomic():
        store_observations(upload, rows)
    return time.perf_counter() - started, ids


def run() -> None:
    import platform

    import django
    import numpy as np
    import pandas as pd
    from django.contrib.auth import get_user_model
    from django.db import connection

    from progress.models import Progress
    from uploads.models import Upload

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"machine: {platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"Django {django.get_version()} · pandas {pd.__version__} · numpy {np.__version__} · PostgreSQL {server}"
    )
    user = get_user_model().objects.create_user(username="bench-admin", password=None, role="admin")

    started = time.perf_counter()
    areas, province_id, specs = build_plan()
    columns = build_observations(areas, province_id, specs)
    seed = Upload.objects.create(
        kind=Upload.Kind.LONG,
        file="bench/seed.csv",
        original_name="seed.csv",
        extension=".csv",
        size=0,
        sha256="b" * 64,
        uploaded_by=user,
        status=Upload.Status.ACCEPTED,
    )
    copy_seconds = copy_observations(columns, seed.pk)
    n_obs = len(columns["area_id"])
    comparators = specs["comparator"].value_counts().to_dict()
    kinds = specs["kind"].value_counts().to_dict()
    print(
        f"data: {N_AREAS} cities × {N_TARGETS} targets (scope each_city) + the province; targets by comparator "
        f"{comparators}; by kind {kinds}"
    )
    print(
        f"      {n_obs:,} observations (2020Q4 + 2021Q1–2025Q4, 2 % of quarters missing) COPYed in "
        f"{copy_seconds:.1f} s; set-up {time.perf_counter() - started:.1f} s (not timed below)"
    )

    # ---- full recompute, twice ------------------------------------------------------------------------------------
    empty, keep, report = run_recompute()
    n_rows = Progress.objects.count()
    assert n_rows == report.rows_written, (n_rows, report.rows_written)
    engine_rows = keep["compute"]
    assignments, observations = keep["assignments"], keep["observations"]
    full, full_keep, report_full = run_recompute()
    assert Progress.objects.count() == report_full.rows_written == n_rows
    statuses = engine_rows["status"].value_counts().to_dict()

    # ---- incremental after one area's upload --------------------------------------------------------------------
    area_id = areas[len(areas) // 2]
    upload_seconds, indicator_ids = simulate_upload(area_id, specs, user)
    incremental_runs = [run_recompute(area_ids=[area_id], indicator_ids=indicator_ids) for _ in range(3)]
    incremental, _, report_inc = min(incremental_runs, key=lambda r: r[0]["total"])
    assert Progress.objects.count() == n_rows
    moved = Progress.objects.filter(area_id=area_id, year=2025, quarter=4, actual_observation__upload__sha256="c" * 64)
    assert moved.count() == N_TARGETS, moved.count()

    # ---- where the write's time goes, and the per-row reference ----------------------------------------------------
    breakdown = write_breakdown(full_keep["payload"], full_keep["payload columns"])
    payload_mb = len(full_keep["payload"]) / 1e6
    del full_keep["payload"]
    reference = per_row_reference(assignments, observations, engine_rows)

    # ---- report ---------------------------------------------------------------------------------------------------
    print()
    print(f"{'phase':<42}{'full, empty table':>20}{'full, over full':>18}{'incremental (best of 3)':>26}")
    print("-" * 106)
    for phase, label in PHASES:
        print(
            f"{label:<42}{empty.get(phase, 0):>18.3f} s{full.get(phase, 0):>16.3f} s"
            f"{incremental.get(phase, 0):>24.3f} s"
        )
    print("-" * 106)
    print(
        f"{'TOTAL recompute_progress':<42}{empty['total']:>18.3f} s{full['total']:>16.3f} s"
        f"{incremental['total']:>24.3f} s"
    )
    print(
        f"{'rows written':<42}{report.rows_written:>20,}{report_full.rows_written:>18,}{report_inc.rows_written:>26,}"
    )
    print(
        f"{'rows/s':<42}{report.rows_written / empty['total']:>20,.0f}"
        f"{report_full.rows_written / full['total']:>18,.0f}{report_inc.rows_written / incremental['total']:>26,.0f}"
    )
    print(f"{'assignments':<42}{report.assignments:>20,}{report_full.assignments:>18,}{report_inc.assignments:>26,}")
    print(
        f"{'observations read':<42}{len(observations):>20,}{len(full_keep['observations']):>18,}"
        f"{len(incremental_runs[-1][1]['observations']):>26,}"
    )
    runs = ", ".join(f"{r[0]['total']:.3f}" for r in incremental_runs)
    print(f"incremental runs: {runs} s (area {area_id}, {len(indicator_ids)} indicators, + the province)")
    print(f"the area's upload itself (store_observations, {len(indicator_ids)} values): {upload_seconds:.3f} s")
    print(f"statuses of the full run: {statuses}")

    print()
    print(
        f"the full write, {report_full.rows_written:,} rows, {payload_mb:,.0f} MB binary COPY payload: "
        f"{full['copy'] + full['fk']:.2f} s in recompute_progress, of which"
    )
    print(f"  raw COPY into an unindexed copy of the table:        {breakdown['raw']:6.2f} s")
    print(
        f"  upkeep of its {len(Progress._meta.indexes) + 2} indexes (pkey, unique, 2 secondary): "
        f"{breakdown['indexed'] - breakdown['raw']:6.2f} s   (COPY with them: {breakdown['indexed']:.2f} s)"
    )
    rest = full["copy"] + full["fk"] - breakdown["indexed"]
    if rest > 0:
        print(f"  foreign-key checks (target, area) and TRUNCATE:     {rest:6.2f} s   (the rest)")
    else:  # the write beat a plain COPY into the indexed table: it rebuilds its indexes, or checks no foreign key
        print(f"  nothing beyond the indexed COPY (the write is {-rest:.2f} s faster than it)")

    scale = 1 / SAMPLE_SHARE
    per_row_full = reference["loop"] * scale + reference["index"]
    compute = min(empty["compute"], full["compute"])
    print()
    print(
        f"per-row Python reference on a {SAMPLE_SHARE:.0%} sample ({reference['rows']:,} rows): "
        f"{reference['loop']:.3f} s, ×{scale:g} = {reference['loop'] * scale:.1f} s, "
        f"+ {reference['index']:.1f} s to index the observations once = {per_row_full:.1f} s (extrapolated)"
    )
    print(
        f"  vs compute_progress ({compute:.3f} s for {report.rows_written:,} rows, all 27 columns): "
        f"{per_row_full / compute:.0f}× slower;  vs the whole full recompute ({full['total']:.2f} s): "
        f"{per_row_full / full['total']:.1f}×"
    )
    print("  (the reference computes expected, ratio and status only; the engine also the projection and SDG columns)")
    print(
        f"  agreement with the engine on the sample: status {reference['same_status']:,}/{reference['rows']:,}, "
        f"expected max |Δ| {reference['expected_diff']:.2g}, ratio max |Δ| {reference['ratio_diff']:.2g}, "
        f"missing-value mismatches {reference['nan_mismatch']}"
    )
    print()
    worst_full = max(empty["total"], full["total"])
    checks = [
        (
            f"full recompute ≤ {GOALS['full_seconds']:g} s (worse of the two)",
            worst_full <= GOALS["full_seconds"],
            worst_full,
        ),
        (
            f"incremental ≤ {GOALS['incremental_seconds']:g} s (best of 3)",
            incremental["total"] <= GOALS["incremental_seconds"],
            incremental["total"],
        ),
    ]
    for goal, ok, seconds in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {goal:<46} {seconds:.2f} s")
    if reference["same_status"] != reference["rows"]:
        print("  WARNING: the per-row reference and the engine disagree on some statuses")


def main() -> int:
    return run_on_fresh_database(DB_NAME, run)


if __name__ == "__main__":
    sys.exit(main())
