"""Recomputes the Progress table from the current observations: in full (nightly, by hand) or for the areas and
indicators an accepted upload touched. The arithmetic is progress.engine's; this module gathers its inputs as frames,
decides which areas each target is assessed for, and writes the result in bulk."""

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from indicators.models import Area, Indicator, Observation
from indicators.periods import latest_closed_quarter
from targets.models import Target, TargetAreaValue

from . import engine
from .models import Progress
from .pgcopy import binary_copy_payload

FIRST_YEAR = 2021  # the first year after the 2020 baseline: the 14th Five-Year Plan period
LOCK_KEY = 7322  # pg_advisory_xact_lock: one recompute at a time
PROGRESS_VERSION_KEY = "progress-version"  # bumped after every recompute; page caches key on it
_COPY_COLUMNS = [
    ("target_id", "int8"),
    ("area_id", "int8"),
    ("year", "int2"),
    ("quarter", "int2"),
    ("actual", "float8"),
    ("actual_year", "int2"),
    ("actual_quarter", "int2"),
    ("actual_observation_id", "int8"),
    ("actual_derived_from", "int2"),
    ("ytd_value", "float8"),
    ("yoy_change", "float8"),
    ("baseline", "float8"),
    ("baseline_source", "text"),
    ("baseline_observation_id", "int8"),
    ("target_value", "float8"),
    ("time_share", "float8"),
    ("expected", "float8"),
    ("progress_ratio", "float8"),
    ("gap", "float8"),
    ("gap_share", "float8"),
    ("status", "text"),
    ("projection", "float8"),
    ("projection_ratio", "float8"),
    ("projection_status", "text"),
    ("sdg_ratio", "float8"),
    ("sdg_status", "text"),
    ("schedule_ratio", "float8"),
    ("computed_at", "timestamptz"),
]


@dataclass
class RecomputeReport:
    rows_written: int
    assignments: int
    seconds: float
    through: tuple[int, int]


def build_assignments(*, target_ids=None, area_ids=None) -> pd.DataFrame:
    """One row per (target, area) the plan holds someone to, with everything the engine needs.

    Every target is assessed for the province. It is assessed for an area where the plan names the area
    (area_values), for every city where it binds each city (scope each_city), and for every city where it is a
    level, share, rate or deadline every city reports (a city's own PM2.5 against 34): not where the provincial figure
    is a total of the cities' (淘汰锅炉2000蒸吨, a reduction of 2.89万吨), which no single city is meant to reach."""
    province = Area.objects.get(level=Area.Level.PROVINCE)
    cities = list(Area.objects.filter(level__in=[Area.Level.CITY, Area.Level.PILOT_ZONE]).values_list("pk", flat=True))
    targets = pd.DataFrame.from_records(
        Target.objects.values(
            "id",
            "indicator_id",
            "comparator",
            "value",
            "target_year",
            "deadline",
            "baseline_year",
            "baseline_value",
            "scope",
        )
    ).rename(columns={"id": "target_id", "baseline_value": "plan_baseline"})
    indicators = pd.DataFrame.from_records(
        Indicator.objects.values("id", "direction", "kind", "seasonal", "aggregation", "reported_by")
    ).rename(columns={"id": "indicator_id"})
    targets = targets.merge(indicators, on="indicator_id", how="left")
    own = pd.DataFrame.from_records(
        TargetAreaValue.objects.values("target_id", "area_id", "value"), columns=["target_id", "area_id", "value"]
    ).rename(columns={"value": "own_value"})

    province_rows = targets.assign(area_id=province.pk)
    city_wide = targets[
        (targets["scope"] == Target.Scope.EACH_CITY)
        | (
            (targets["scope"] == Target.Scope.PROVINCE)
            & (targets["reported_by"] == Indicator.ReportedBy.CITY)
            & (targets["aggregation"] != Indicator.Aggregation.SUM)
            & (targets["comparator"] != Target.Comparator.REDUCE_ABS)
        )
    ]
    city_rows = city_wide.merge(pd.DataFrame({"area_id": cities}), how="cross").assign(plan_baseline=np.nan)
    named = targets.merge(own, on="target_id").assign(plan_baseline=np.nan)
    named = named[named["area_id"] != province.pk]
    frame = pd.concat([province_rows, city_rows, named.drop(columns="own_value")], ignore_index=True)
    frame = frame.drop_duplicates(["target_id", "area_id"], keep="last")
    frame = frame.merge(own, on=["target_id", "area_id"], how="left")
    is_done_by = frame["comparator"] == Target.Comparator.DONE_BY
    # A named area's own value wins; a completion target's named areas must reach 100 %.
    frame["value"] = frame["own_value"].where(frame["own_value"].notna() & ~is_done_by, frame["value"])
    frame["deadline"] = pd.to_datetime(frame["deadline"])
    if target_ids is not None:
        frame = frame[frame["target_id"].isin(list(target_ids))]
    if area_ids is not None:
        frame = frame[frame["area_id"].isin(list(area_ids))]
    return frame.drop(columns=["own_value", "scope", "aggregation", "reported_by"]).reset_index(drop=True)


def current_observations(*, indicator_ids=None) -> pd.DataFrame:
    """Current values with province values derived from the cities' where the province reported none."""
    observations = Observation.objects.filter(is_current=True)
    if indicator_ids is not None:
        observations = observations.filter(indicator_id__in=list(indicator_ids))
    frame = pd.DataFrame.from_records(
        observations.values_list("area_id", "indicator_id", "year", "quarter", "value", "id"),
        columns=["area_id", "indicator_id", "year", "quarter", "value", "observation_id"],
    )
    province = Area.objects.get(level=Area.Level.PROVINCE)
    others = list(Area.objects.exclude(pk=province.pk).values_list("pk", flat=True))
    rules = pd.DataFrame.from_records(Indicator.objects.values("id", "aggregation")).rename(
        columns={"id": "indicator_id"}
    )
    return engine.province_values(frame, rules, province.pk, others)


def recompute_progress(
    *,
    area_ids=None,
    indicator_ids=None,
    through: tuple[int, int] | None = None,
    assignments: pd.DataFrame | None = None,
    observations: pd.DataFrame | None = None,
) -> RecomputeReport:
    """Recompute progress for everything, or only for what an upload touched: the targets on `indicator_ids` in
    `area_ids` and the province (whose derived values move with any city's). One recompute runs at a time; each
    replaces its rows in one transaction, so readers never see a half-written table."""
    started = time.perf_counter()
    through = through or latest_closed_quarter()
    incremental = area_ids is not None or indicator_ids is not None
    if assignments is None:
        target_ids = None
        if indicator_ids is not None:
            target_ids = list(Target.objects.filter(indicator_id__in=indicator_ids).values_list("pk", flat=True))
        scope_areas = None
        if area_ids is not None:
            province = Area.objects.get(level=Area.Level.PROVINCE).pk
            scope_areas = {*area_ids, province}
        assignments = build_assignments(target_ids=target_ids, area_ids=scope_areas)
    if observations is None:
        observations = current_observations(
            indicator_ids=assignments["indicator_id"].unique().tolist() if incremental else None
        )
    rows = engine.compute_progress(assignments, observations, first_year=FIRST_YEAR, through=through)
    rows = rows.rename(columns={"target": "target_value"})
    rows["computed_at"] = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        _replace_rows(rows, assignments, incremental)
        transaction.on_commit(bump_version)
    return RecomputeReport(
        rows_written=len(rows), assignments=len(assignments), seconds=time.perf_counter() - started, through=through
    )


def bump_version() -> None:
    try:
        cache.incr(PROGRESS_VERSION_KEY)
    except ValueError:
        cache.set(PROGRESS_VERSION_KEY, 1, None)


def progress_version() -> int:
    return cache.get_or_set(PROGRESS_VERSION_KEY, 1, None)


def _replace_rows(rows: pd.DataFrame, assignments: pd.DataFrame, incremental: bool) -> None:
    table = Progress._meta.db_table
    pairs = assignments[["target_id", "area_id"]].drop_duplicates()
    with connection.cursor() as cursor:
        if not incremental and connection.vendor == "postgresql":
            # Deferred foreign-key checks of earlier writes in this transaction would block TRUNCATE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table}")
        elif not incremental:
            cursor.execute(f"DELETE FROM {table}")
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM {table} AS p USING unnest(%s::bigint[], %s::bigint[]) AS k(target_id, area_id) "
                "WHERE p.target_id = k.target_id AND p.area_id = k.area_id",
                [pairs["target_id"].tolist(), pairs["area_id"].tolist()],
            )
        else:
            cursor.executemany(
                f"DELETE FROM {table} WHERE target_id = %s AND area_id = %s",
                list(pairs.itertuples(index=False, name=None)),
            )
        if rows.empty:
            return
        if connection.vendor == "postgresql":
            names = ", ".join(name for name, _ in _COPY_COLUMNS)
            payload = binary_copy_payload(rows, _COPY_COLUMNS)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(payload)
        else:
            _insert_portable(rows)


def _insert_portable(rows: pd.DataFrame) -> None:
    """SQLite (the embedded demo): one executemany of plain Python values."""
    names = [name for name, _ in _COPY_COLUMNS]
    columns = []
    for name in names:
        series = rows[name]
        if name == "computed_at":  # one moment for the whole batch, in the backend's own format
            moment = connection.ops.adapt_datetimefield_value(series.iloc[0].to_pydatetime())
            columns.append([moment] * len(series))
            continue
        values = series.astype(object).where(series.notna(), None).tolist()
        columns.append(values)
    sql = f"INSERT INTO {Progress._meta.db_table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*columns, strict=True)))


def override_status(*, target, area, year: int, quarter: int, status: str, reason: str, user):
    """A provincial administrator replaces a computed status with a judgement of their own. The computed status stays
    in the Progress table beside it; every change of the override is kept in its history."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from .models import Status, StatusOverride

    if not user.is_provincial_admin:
        raise PermissionDenied("只有省级管理员可以人工认定状态。")
    if status not in Status.values:
        raise ValidationError(f"未知状态“{status}”。")
    if not reason.strip():
        raise ValidationError("人工认定必须写明理由。")
    override, _ = StatusOverride.objects.update_or_create(
        target=target,
        area=area,
        year=year,
        quarter=quarter,
        defaults={"status": status, "reason": reason.strip(), "created_by": user},
    )
    transaction.on_commit(bump_version)
    return override
