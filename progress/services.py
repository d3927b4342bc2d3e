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

from indicators.models import Area, Indicator
from indicators.periods import latest_closed_quarter
from targets.models import Target, TargetAreaValue
from uploads.models import Observation

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
    ("projection_clipped", "bool"),
    ("projection_ratio", "float8"),
    ("projection_status", "text"),
    ("sdg_ratio", "float8"),
    ("sdg_status", "text"),
    ("schedule_ratio", "float8"),
    ("year_state", "text"),
    ("years_met", "int2"),
    ("years_due", "int2"),
    ("computed_at", "timestamptz"),
]
_YEARLY = {"year_state", "years_met", "years_due"}  # set for yearly duties only (docs/progress.md §15)


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
    province = Area.objects.province()
    cities = list(Area.objects.reporting().values_list("pk", flat=True))
    targets = _targets(target_ids)
    if area_ids is not None:
        cities = [c for c in cities if c in set(area_ids)]
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


def _targets(target_ids=None) -> pd.DataFrame:
    """The targets (all, or `target_ids`) with their indicator's direction, kind, seasonality, aggregation and
    reporter: two queries."""
    target_columns = [
        "id",
        "indicator_id",
        "comparator",
        "value",
        "target_year",
        "deadline",
        "recurrence",
        "first_year",
        "last_year",
        "deadline_in_year",
        "baseline_year",
        "baseline_value",
        "scope",
    ]
    indicator_columns = ["id", "direction", "kind", "seasonal", "aggregation", "reported_by", "min_value", "max_value"]
    # Explicit columns, so an empty plan gives an empty frame rather than one without columns.
    targets = pd.DataFrame.from_records(Target.objects.values(*target_columns), columns=target_columns).rename(
        columns={"id": "target_id", "baseline_value": "plan_baseline"}
    )
    indicators = pd.DataFrame.from_records(
        Indicator.objects.values(*indicator_columns), columns=indicator_columns
    ).rename(columns={"id": "indicator_id"})
    targets = targets.merge(indicators, on="indicator_id", how="left")
    if target_ids is not None:  # narrow before the cross join, not after
        targets = targets[targets["target_id"].isin(list(target_ids))]
    return targets


_OBS_FIELDS = ["area_id", "indicator_id", "year", "quarter", "value", "observation_id"]
_OBS_LAYOUT = np.dtype(
    [
        ("count", ">i2"),
        ("l0", ">i4"),
        ("area_id", ">i8"),
        ("l1", ">i4"),
        ("indicator_id", ">i8"),
        ("l2", ">i4"),
        ("year", ">i2"),
        ("l3", ">i4"),
        ("quarter", ">i2"),
        ("l4", ">i4"),
        ("value", ">f8"),
        ("l5", ">i4"),
        ("observation_id", ">i8"),
    ]
)


def _read_observations(queryset) -> pd.DataFrame:
    """Rows of `queryset` as a frame; on PostgreSQL one binary COPY parsed by numpy (every field is NOT NULL, so
    every row has the same layout), several times faster than building Python tuples for a million rows."""
    rows = queryset.values_list("area_id", "indicator_id", "year", "quarter", "value", "id")
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(rows, columns=_OBS_FIELDS)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    start = 19 + int.from_bytes(data[15:19], "big")  # signature, flags, header extension
    body = np.frombuffer(data, dtype=_OBS_LAYOUT, offset=start, count=(len(data) - start - 2) // _OBS_LAYOUT.itemsize)
    return pd.DataFrame({name: body[name].astype(np.float64 if name == "value" else np.int64) for name in _OBS_FIELDS})


def current_observations(*, indicator_ids=None, area_ids=None) -> pd.DataFrame:
    """Current values with province values derived from the other areas' where the province reported none.

    With area_ids (an incremental recompute) only those areas' rows are read, and the province's derived values are
    aggregated by the database: the same mean/sum/min/max over every other area as engine.province_values, without
    reading a million rows to recompute one city."""
    observations = Observation.objects.filter(is_current=True)
    if indicator_ids is not None:
        observations = observations.filter(indicator_id__in=list(indicator_ids))
    province = Area.objects.province()
    rules = pd.DataFrame.from_records(Indicator.objects.values("id", "aggregation")).rename(
        columns={"id": "indicator_id"}
    )
    if area_ids is None:
        frame = _read_observations(observations)
        others = list(Area.objects.exclude(pk=province.pk).values_list("pk", flat=True))
        return engine.province_values(frame, rules, province.pk, others)
    frame = _read_observations(observations.filter(area_id__in=list(area_ids)))
    frame["derived_from"] = np.nan
    if province.pk not in set(area_ids):
        return frame
    from django.db.models import Avg, Count, Max, Min, Sum

    aggregated = rules.loc[rules["aggregation"].isin(engine.AGGREGATIONS), "indicator_id"].tolist()
    stats = pd.DataFrame.from_records(
        observations.exclude(area_id=province.pk)
        .filter(indicator_id__in=aggregated)
        .values("indicator_id", "year", "quarter")
        .annotate(mean=Avg("value"), sum=Sum("value"), min=Min("value"), max=Max("value"), count=Count("id"))
        .order_by(),
        columns=["indicator_id", "year", "quarter", "mean", "sum", "min", "max", "count"],
    )
    stats["indicator__aggregation"] = stats["indicator_id"].map(rules.set_index("indicator_id")["aggregation"])
    period = ["indicator_id", "year", "quarter"]
    own = frame.loc[frame["area_id"] == province.pk, period].drop_duplicates()
    stats = stats.merge(own.assign(_own=True), on=period, how="left")
    stats = stats[stats["_own"].isna()]
    if stats.empty:
        return frame
    rule = stats["indicator__aggregation"].to_numpy(dtype=object)
    derived = pd.DataFrame(
        {
            "area_id": province.pk,
            "indicator_id": stats["indicator_id"].to_numpy(),
            "year": stats["year"].to_numpy(),
            "quarter": stats["quarter"].to_numpy(),
            "value": np.select(
                [rule == "mean", rule == "sum", rule == "min", rule == "max"],
                [stats["mean"], stats["sum"], stats["min"], stats["max"]],
                np.nan,
            ).astype(float),
            "observation_id": np.nan,
            "derived_from": stats["count"].to_numpy(dtype=float),
        }
    )
    return pd.concat([frame, derived], ignore_index=True)


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
            province = Area.objects.province().pk
            scope_areas = {*area_ids, province}
        assignments = build_assignments(target_ids=target_ids, area_ids=scope_areas)
    if observations is None:
        observations = current_observations(
            indicator_ids=assignments["indicator_id"].unique().tolist() if incremental else None,
            area_ids=assignments["area_id"].unique().tolist() if area_ids is not None else None,
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
    """Replace the Progress rows of `assignments` (all of them in a full recompute) by `rows`."""
    table = Progress._meta.db_table
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if not incremental and postgresql:
            # Deferred foreign-key checks of earlier writes in this transaction would block TRUNCATE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table}")
            # The unique key and the secondary indexes are built once after the COPY, from sorted input, faster
            # than kept up row by row. DDL is transactional here: if anything fails, the old table and its indexes
            # come back untouched, and readers wait for the commit.
            meta = Progress._meta
            with connection.schema_editor(atomic=False) as editor:
                for constraint in meta.constraints:
                    editor.remove_constraint(Progress, constraint)
                for index in meta.indexes:
                    editor.remove_index(Progress, index)
                _copy_rows(cursor, rows)
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sort each index in memory
                for constraint in meta.constraints:
                    editor.add_constraint(Progress, constraint)
                for index in meta.indexes:
                    editor.add_index(Progress, index)
            return
        pairs = assignments[["target_id", "area_id"]].drop_duplicates()
        if not incremental:
            cursor.execute(f"DELETE FROM {table}")
        elif postgresql:
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
        if postgresql:
            _copy_rows(cursor, rows)
        elif not rows.empty:
            _insert_portable(rows)


def _copy_rows(cursor, rows: pd.DataFrame) -> None:
    if rows.empty:
        return
    # Where no target recurs the yearly columns are NULL in every row: left out, the table fills them in, and the
    # write costs what it did before they existed (every field of a million rows counts).
    columns = [(name, kind) for name, kind in _COPY_COLUMNS if name not in _YEARLY or rows[name].notna().any()]
    names = ", ".join(name for name, _ in columns)
    payload = binary_copy_payload(rows, columns)
    with cursor.cursor.copy(f"COPY {Progress._meta.db_table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(payload)


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


MIN_REASON_LENGTH = 10


def check_override(*, target, area, year: int, quarter: int, status: str, reason: str) -> None:
    """An override must name a quarter whose status was computed (inside the plan period, with data) and give a real
    reason. Raises ValidationError with a Chinese message per field; the admin form and override_status share it."""
    from django.core.exceptions import ValidationError

    from .models import Status

    errors = {}
    if status not in Status.values:
        errors["status"] = f"未知状态“{status}”。"
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = f"季度应为 1—4，不能是 {quarter}。"
    elif target is not None and area is not None:
        computed = Progress.objects.filter(target=target, area=area)
        if not computed.filter(year=year, quarter=quarter).exists():
            first = computed.order_by("year", "quarter").values_list("year", "quarter").first()
            last = computed.order_by("-year", "-quarter").values_list("year", "quarter").first()
            span = f"{first[0]}年第{first[1]}季度至{last[0]}年第{last[1]}季度" if first else "尚无任何季度"
            errors["year"] = (
                f"{year}年第{quarter}季度没有“{target.code}”在{area.name}的计算状态，无从认定：可认定的季度为{span}。"
            )
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        errors["reason"] = f"理由至少 {MIN_REASON_LENGTH} 个字：请写明依据，如监测站点搬迁、数据经核定剔除等。"
    if errors:
        raise ValidationError(errors)


def override_status(
    *, target, area, year: int, quarter: int, status: str, reason: str, user, document_number: str = ""
):
    """A provincial administrator replaces a computed status with a judgement of their own. The computed status stays
    in the Progress table beside it; every change of the override is kept in its history."""
    from django.core.exceptions import PermissionDenied

    from .models import StatusOverride

    if not user.is_provincial_admin:
        raise PermissionDenied("只有省级管理员可以人工认定状态。")
    check_override(target=target, area=area, year=year, quarter=quarter, status=status, reason=reason)
    override, _ = StatusOverride.objects.update_or_create(
        target=target,
        area=area,
        year=year,
        quarter=quarter,
        defaults={
            "status": status,
            "reason": reason.strip(),
            "document_number": document_number.strip(),
            "created_by": user,
        },
    )
    transaction.on_commit(bump_version)
    return override
