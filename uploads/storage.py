"""Writes an accepted upload's values in bulk: the values they replace are marked superseded, never overwritten.

PostgreSQL: the rows are COPYed into a temporary table, then one UPDATE … FROM supersedes and one INSERT … SELECT
adds, so 100,000 rows take a fraction of a second. Other databases (SQLite for the embedded demo) take the portable
path with the same effect.
"""

import pandas as pd
from django.db import connection
from django.utils import timezone

from .models import Observation, Upload

_COLUMNS = ["area_id", "indicator_id", "year", "quarter", "value", "note", "source_row"]
LOCK_NAMESPACE = 7321  # first key of pg_advisory_xact_lock: "upload writes", second key: the area


def lock_areas(area_ids) -> None:
    """Serialise writers of the same areas until the transaction ends: two uploads of one city-quarter processed at
    the same moment then run one after the other and leave exactly one current set. SQLite serialises all writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, a) FROM unnest(%s::int[]) AS a ORDER BY a",
                [LOCK_NAMESPACE, sorted({int(a) for a in area_ids})],
            )


def _python_rows(rows: pd.DataFrame):
    columns = [rows[c].tolist() for c in _COLUMNS]  # plain Python values, which every driver adapts
    return zip(*columns, strict=True)


def store_observations(upload: Upload, rows: pd.DataFrame) -> int:
    """Supersede the current values the rows replace and add the rows as current; call inside a transaction."""
    rows = rows.assign(
        note=rows["note"].fillna("").astype(str).str.slice(0, 500) if "note" in rows else "",
        area_id=rows["area_id"].astype(int),
        indicator_id=rows["indicator_id"].astype(int),
        value=rows["value"].astype(float),
        source_row=rows["row"].astype(int),
    )
    lock_areas(rows["area_id"].unique())
    now = timezone.now()
    if connection.vendor == "postgresql":
        _store_postgresql(upload, rows, now)
    else:
        _store_portable(upload, rows, now)
    # An earlier upload none of whose values remain current has been superseded as a whole.
    Upload.objects.filter(
        status=Upload.Status.ACCEPTED, pk__in=Observation.objects.filter(superseded_by=upload).values("upload_id")
    ).exclude(observations__is_current=True).update(status=Upload.Status.SUPERSEDED)
    return len(rows)


def _store_postgresql(upload: Upload, rows: pd.DataFrame, now) -> None:
    table = Observation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE incoming_observation (area_id bigint, indicator_id bigint, year smallint, "
            "quarter smallint, value double precision, note text, source_row integer) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY incoming_observation ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in _python_rows(rows):
                copy.write_row(row)
        cursor.execute("ANALYZE incoming_observation")
        cursor.execute(
            f"UPDATE {table} AS o SET is_current = false, superseded_by_id = %s, superseded_at = %s "
            "FROM incoming_observation AS i WHERE o.is_current AND o.area_id = i.area_id "
            "AND o.indicator_id = i.indicator_id AND o.year = i.year AND o.quarter = i.quarter",
            [upload.pk, now],
        )
        cursor.execute(
            f"INSERT INTO {table} (area_id, indicator_id, year, quarter, value, note, source_row, upload_id, "
            "is_current) SELECT area_id, indicator_id, year, quarter, value, note, source_row, %s, true "
            "FROM incoming_observation",
            [upload.pk],
        )
        cursor.execute("DROP TABLE incoming_observation")  # also when an outer transaction is still open


def _store_portable(upload: Upload, rows: pd.DataFrame, now) -> None:
    table = Observation._meta.db_table
    keys = list(zip(*(rows[c].tolist() for c in ("area_id", "indicator_id", "year", "quarter")), strict=True))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET is_current = %s, superseded_by_id = %s, superseded_at = %s "
            "WHERE is_current AND area_id = %s AND indicator_id = %s AND year = %s AND quarter = %s",
            [(False, upload.pk, now, *key) for key in keys],
        )
    Observation.objects.bulk_create(
        [
            Observation(area_id=a, indicator_id=i, year=y, quarter=q, value=v, note=n, source_row=r, upload=upload)
            for a, i, y, q, v, n, r in _python_rows(rows)
        ],
        batch_size=2000,
    )
