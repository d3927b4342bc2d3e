"""Writes an accepted upload's values in bulk: the values they replace are marked superseded, never overwritten.

The order rule: for each area, indicator and quarter, the value of the upload received last (the highest
`Upload.sequence`) is current, whatever order the uploads are processed in. An upload processed after a newer one
supersedes only older values; a value a newer upload already gave is stored as not current, `superseded_by` that
newer upload, so it stays on record.

PostgreSQL: the rows are COPYed into a temporary table, then one UPDATE … FROM supersedes and one INSERT … SELECT
adds, so 100,000 rows take a fraction of a second. Other databases (SQLite for the embedded demo) take the portable
path with the same effect.
"""

import pandas as pd
from django.db import connection, transaction
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
    """Supersede the current values of older uploads that the rows replace and add the rows, current unless a newer
    upload already gave that value; call inside a transaction. Returns how many rows arrived too late to be
    current."""
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
    return Observation.objects.filter(upload=upload, is_current=False).count()


def _store_postgresql(upload: Upload, rows: pd.DataFrame, now) -> None:
    table, uploads = Observation._meta.db_table, Upload._meta.db_table
    # The staging table lives until the end of the transaction: one is needed even when a caller has none open.
    with transaction.atomic(), connection.cursor() as cursor:
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
            f"FROM incoming_observation AS i, {uploads} AS u WHERE o.is_current AND o.area_id = i.area_id "
            "AND o.indicator_id = i.indicator_id AND o.year = i.year AND o.quarter = i.quarter "
            "AND u.id = o.upload_id AND u.sequence < %s",
            [upload.pk, now, upload.sequence],
        )
        # What is still current for a key now belongs to a newer upload: the row is kept, superseded by it.
        cursor.execute(
            f"INSERT INTO {table} (area_id, indicator_id, year, quarter, value, note, source_row, upload_id, "
            "is_current, superseded_by_id, superseded_at) "
            "SELECT i.area_id, i.indicator_id, i.year, i.quarter, i.value, i.note, i.source_row, %s, "
            "c.upload_id IS NULL, c.upload_id, CASE WHEN c.upload_id IS NULL THEN NULL ELSE %s::timestamptz END "
            f"FROM incoming_observation AS i LEFT JOIN {table} AS c ON c.is_current AND c.area_id = i.area_id "
            "AND c.indicator_id = i.indicator_id AND c.year = i.year AND c.quarter = i.quarter",
            [upload.pk, now],
        )
        cursor.execute("DROP TABLE incoming_observation")  # also when an outer transaction is still open


def _store_portable(upload: Upload, rows: pd.DataFrame, now) -> None:
    table, uploads = Observation._meta.db_table, Upload._meta.db_table
    key_columns = ["area_id", "indicator_id", "year", "quarter"]
    keys = list(zip(*(rows[c].tolist() for c in key_columns), strict=True))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET is_current = %s, superseded_by_id = %s, superseded_at = %s "
            "WHERE is_current AND area_id = %s AND indicator_id = %s AND year = %s AND quarter = %s "
            f"AND upload_id IN (SELECT id FROM {uploads} WHERE sequence < %s)",
            [(False, upload.pk, now, *key, upload.sequence) for key in keys],
        )
    # What is still current for a key now belongs to a newer upload: the row is kept, superseded by it.
    newer = pd.DataFrame.from_records(
        list(
            Observation.objects.filter(
                is_current=True,
                area_id__in=rows["area_id"].unique().tolist(),
                year__gte=int(rows["year"].min()),
                year__lte=int(rows["year"].max()),
            ).values_list(*key_columns, "upload_id")
        ),
        columns=[*key_columns, "newer"],
    ).astype({c: int for c in key_columns})
    merged = rows.astype({"year": int, "quarter": int}).merge(newer, on=key_columns, how="left")["newer"]
    newer_ids = [None if pd.isna(v) else int(v) for v in merged.tolist()]
    Observation.objects.bulk_create(
        [
            Observation(
                area_id=a,
                indicator_id=i,
                year=y,
                quarter=q,
                value=v,
                note=n,
                source_row=r,
                upload=upload,
                is_current=newer_id is None,
                superseded_by_id=newer_id,
                superseded_at=None if newer_id is None else now,
            )
            for (a, i, y, q, v, n, r), newer_id in zip(_python_rows(rows), newer_ids, strict=True)
        ],
        batch_size=2000,
    )
