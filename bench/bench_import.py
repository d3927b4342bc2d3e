"""Benchmark: a 100,000-row long-format upload (CSV and XLSX) through the one upload service, on PostgreSQL.

Prints rows/s for parse (read_upload), validate (upload_context + validate + current_values_for) and store
(store_observations), the end-to-end time through receive_upload(queue=False) + process_upload(recompute=False), and,
on the same rows, a naive per-row ORM loop and django-import-export (default and bulk), with the ratios and PASS/FAIL
against the goals. Runs on a fresh database of its own, dropped at the end whatever happens.

    .venv/bin/python bench/bench_import.py          (or `make bench`)

Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), BENCH_SLICE (rows for the comparators,
default 5000; they are extrapolated to 100,000).
"""

import csv
import io
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database_name, run_on_fresh_database  # noqa: E402

DB_NAME = database_name("import")
N_ROWS = 100_000
SLICE = int(os.environ.get("BENCH_SLICE", "5000"))
QUARTERS = [(y, q) for y in range(2021, 2026) for q in range(1, 5)]  # 2021Q1–2025Q4: all closed
AREA_CODE_BASE = 218000  # 218001…: no GB/T 2260 code of the plan's areas (2101xx–2114xx, 219900) is in this range
GOALS = {"csv_seconds": 1.5, "xlsx_seconds": 3.0, "vs_naive": 20.0}


def best(fn, repeat: int):
    """(best seconds, all seconds, last result) of `repeat` calls."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), times, result


# ----------------------------------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------------------------------
def make_areas(n_areas: int) -> list[str]:
    from indicators.models import Area

    province = Area.objects.province()
    areas = [
        Area(
            code=str(AREA_CODE_BASE + i),
            name=f"基准测试县{i:03d}",
            name_en=f"Bench county {i:03d}",
            level=Area.Level.COUNTY,
            parent=province,
            order=10_000 + i,
        )
        for i in range(1, n_areas + 1)
    ]
    clash = set(Area.objects.filter(code__in=[a.code for a in areas]).values_list("code", flat=True))
    if clash:
        raise RuntimeError(f"synthetic area codes clash with the plan's: {sorted(clash)}")
    Area.objects.bulk_create(areas)
    return [a.code for a in areas]


def build_rows():
    """100,000 distinct (area, indicator, quarter) rows with plausible values: every indicator the cities report,
    20 quarters, as many synthetic counties as needed; each series moves by at most an eighth of the indicator's
    plausible change per quarter, so the file is clean (no errors, no warnings)."""
    import numpy as np
    import pandas as pd

    from indicators.models import Indicator
    from indicators.units import counts_whole
    from uploads.validation import SHARE_GROUPS

    second_shares = {second for _first, second in SHARE_GROUPS}  # keep clear of the "shares add up over 100" check
    indicators = pd.DataFrame.from_records(
        Indicator.objects.filter(reported_by=Indicator.ReportedBy.CITY)
        .exclude(code__in=second_shares)
        .order_by("code")
        .values("code", "unit", "min_value", "max_value", "max_change")
    )
    per_area = len(indicators) * len(QUARTERS)
    n_areas = math.ceil(N_ROWS / per_area)
    area_codes = make_areas(n_areas)

    rng = np.random.default_rng(2021)
    n_series = n_areas * len(indicators)
    lo = np.tile(indicators["min_value"].to_numpy(float), n_areas)
    hi = np.tile(indicators["max_value"].to_numpy(float), n_areas)
    span = np.minimum(hi - lo, 1e6)
    change = indicators["max_change"].astype(float).to_numpy()
    step_limit = np.tile(np.where(np.isnan(change), span[: len(indicators)] / 200, change / 8), n_areas)
    base = lo + span * rng.uniform(0.3, 0.7, n_series)
    slope = rng.uniform(-1, 1, n_series) * step_limit
    k = np.arange(len(QUARTERS))
    values = np.clip(np.round(base[:, None] + slope[:, None] * k[None, :], 2), lo[:, None], hi[:, None])
    whole = np.tile(indicators["unit"].map(counts_whole).to_numpy(bool), n_areas)
    values[whole] = np.round(values[whole])  # counts of things are whole numbers

    frame = pd.DataFrame(
        {
            "area_code": np.repeat(area_codes, per_area),
            "indicator_code": np.tile(np.repeat(indicators["code"].to_numpy(), len(QUARTERS)), n_areas),
            "year": np.tile([y for y, _ in QUARTERS], n_series),
            "quarter": np.tile([q for _, q in QUARTERS], n_series),
            "value": values.ravel(),
        }
    )
    # The same values nudged by one hundredth, inside the range: a second file that changes every value.
    upper = np.repeat(hi, len(QUARTERS))
    nudge = np.where(np.repeat(whole, len(QUARTERS)), 1.0, 0.01)
    nudged = np.where(values.ravel() + nudge <= upper, values.ravel() + nudge, values.ravel() - nudge)
    changed = frame.assign(value=np.round(nudged, 2))
    return frame.iloc[:N_ROWS].reset_index(drop=True), changed.iloc[:N_ROWS], len(indicators), n_areas


def csv_bytes(frame) -> bytes:
    return frame.to_csv(index=False, float_format="%.2f").encode("utf-8")


def xlsx_bytes(frame) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("长表")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------------------------------
# Helpers on the database
# ----------------------------------------------------------------------------------------------------------------------
def clear_observations() -> None:
    """Back to an empty observation table (and no uploads, so the same file is not a duplicate next time)."""
    from django.db import connection

    from uploads.models import Observation, Upload

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Observation._meta.db_table}")
        cursor.execute(f"DELETE FROM {Upload._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Observation._meta.db_table}")


def observation_count() -> int:
    from uploads.models import Observation

    return Observation.objects.filter(is_current=True).count()


def accepted_upload(user, note: str):
    """An accepted long-format upload for rows stored without going through the upload service."""
    from tests.factories import AcceptedUploadFactory

    return AcceptedUploadFactory(original_name=f"{note}.csv", uploaded_by=user)


# ----------------------------------------------------------------------------------------------------------------------
# The service, phase by phase and end to end
# ----------------------------------------------------------------------------------------------------------------------
def phases(data: bytes, extension: str, user) -> dict:
    from django.conf import settings
    from django.db import connection, transaction

    from uploads.models import Upload
    from uploads.reading import read_upload
    from uploads.services import current_values_for, upload_context
    from uploads.storage import store_observations
    from uploads.validation import validate

    parse, _, read = best(lambda: read_upload(data, extension, max_rows=settings.UPLOAD_MAX_ROWS), 3)
    assert len(read.rows) == N_ROWS, len(read.rows)
    probe = Upload(area=None, year=None, quarter=None)

    def check():
        return validate(read, upload_context(probe), current_values_for)

    validate_s, _, checked = best(check, 3)
    if checked.errors or len(checked.rows) != N_ROWS:
        raise RuntimeError(f"validation refused the bench file: {[e.message for e in checked.errors[:5]]}")

    def store():
        """Seconds for store_observations and its commit; and, of those, the foreign-key checks PostgreSQL defers
        to the commit (run here by SET CONSTRAINTS ALL IMMEDIATE just before it: the same work, timed apart)."""
        clear_observations()
        upload = accepted_upload(user, f"store{extension}")
        started = time.perf_counter()
        with transaction.atomic():
            store_observations(upload, checked.rows)
            checks = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            checks = time.perf_counter() - checks
        seconds = time.perf_counter() - started
        assert observation_count() == N_ROWS
        return seconds, checks

    store_s, fk_s = min(store() for _ in range(2))
    clear_observations()
    return {
        "parse": parse,
        "validate": validate_s,
        "store": store_s,
        "store_fk": fk_s,
        "warnings": len(checked.warnings),
    }


def end_to_end(data: bytes, name: str, user, *, clear: bool = True, rows: int = N_ROWS) -> tuple[float, object]:
    from django.core.files.base import ContentFile

    from uploads.models import Upload
    from uploads.services import process_upload, receive_upload

    if clear:
        clear_observations()
    started = time.perf_counter()
    upload = receive_upload(file=ContentFile(data, name=name), user=user, original_name=name, queue=False)
    upload = process_upload(upload.pk, recompute=False)
    seconds = time.perf_counter() - started
    if upload.status != Upload.Status.ACCEPTED or upload.rows_total != rows:
        raise RuntimeError(f"{name}: {upload.status} {upload.rows_total} rows, errors {upload.errors[:3]}")
    return seconds, upload


# ----------------------------------------------------------------------------------------------------------------------
# Comparators
# ----------------------------------------------------------------------------------------------------------------------
def naive_loop(slice_csv: str, user) -> float:
    """What a first version would do: read the CSV, per row two look-ups and one INSERT, each committed alone."""
    from indicators.models import Area, Indicator
    from uploads.models import Observation

    clear_observations()
    upload = accepted_upload(user, "naive")
    started = time.perf_counter()
    for row in csv.DictReader(io.StringIO(slice_csv)):
        Observation.objects.create(
            area=Area.objects.get(code=row["area_code"]),
            indicator=Indicator.objects.get(code=row["indicator_code"]),
            year=int(row["year"]),
            quarter=int(row["quarter"]),
            value=float(row["value"]),
            upload=upload,
        )
    seconds = time.perf_counter() - started
    assert observation_count() == SLICE
    return seconds


def run_import_export(slice_csv: str, user, *, bulk: bool) -> float:
    import tablib
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from indicators.models import Area, Indicator
    from uploads.models import Observation

    clear_observations()
    upload = accepted_upload(user, f"iexp{int(bulk)}")

    class ObservationResource(resources.ModelResource):
        area = fields.Field(attribute="area", column_name="area_code", widget=ForeignKeyWidget(Area, "code"))
        indicator = fields.Field(
            attribute="indicator", column_name="indicator_code", widget=ForeignKeyWidget(Indicator, "code")
        )

        class Meta:
            model = Observation
            fields = ("id", "area", "indicator", "year", "quarter", "value")
            # The documented fast path for creating many rows: bulk_create in batches, no per-row diff, no
            # instance look-up.
            use_bulk = bulk
            batch_size = 1000
            skip_diff = bulk
            force_init_instance = bulk

        def init_instance(self, row=None):
            instance = super().init_instance(row)
            instance.upload = upload
            return instance

    started = time.perf_counter()
    dataset = tablib.Dataset().load(slice_csv, format="csv")
    result = ObservationResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("django-import-export reported errors")
    assert observation_count() == SLICE, observation_count()
    return seconds


# ----------------------------------------------------------------------------------------------------------------------
# The run: set-up, measurements, report
# ----------------------------------------------------------------------------------------------------------------------
@dataclass
class BenchFiles:
    frame: object  # the 100,000 rows
    changed: object  # the same keys, every value changed
    csv: bytes
    xlsx: bytes


@dataclass
class Figures:
    """What the report prints: per format (CSV, XLSX) the seconds of parse, validate, store (store_fk: of which the
    deferred foreign-key checks), end_to_end (best) and its runs, and the warnings; the re-import's seconds and upload;
    the three comparators' seconds on the slice."""

    results: dict
    reimport: float
    reimport_upload: object
    naive: float
    iexp_default: float
    iexp_bulk: float


def print_machine() -> None:
    import platform
    from importlib.metadata import version

    import django
    import import_export
    import pandas as pd
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"machine: {platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"Django {django.get_version()} · pandas {pd.__version__} · python-calamine "
        f"{version('python-calamine')} · django-import-export {import_export.__version__} · "
        f"PostgreSQL {server}"
    )


def set_up() -> BenchFiles:
    """The synthetic counties and rows, as CSV and XLSX; prints what was built."""
    started = time.perf_counter()
    frame, changed, n_indicators, n_areas = build_rows()
    data_csv = csv_bytes(frame)
    data_xlsx = xlsx_bytes(frame)
    print(
        f"data: {len(frame):,} rows = {n_areas} synthetic counties × {n_indicators} city-reported indicators × "
        f"{len(QUARTERS)} quarters (2021Q1–2025Q4, last county partly); CSV {len(data_csv) / 1e6:.1f} MB, "
        f"XLSX {len(data_xlsx) / 1e6:.1f} MB; built in {time.perf_counter() - started:.1f} s (not timed below)"
    )
    return BenchFiles(frame=frame, changed=changed, csv=data_csv, xlsx=data_xlsx)


def measure(files: BenchFiles, user) -> Figures:
    # Warm up imports and caches once, so the first timed step does not pay for them.
    end_to_end(csv_bytes(files.frame.iloc[:1000]), "warmup.csv", user, rows=1000)

    results = {}
    for label, data, extension in (("CSV", files.csv, ".csv"), ("XLSX", files.xlsx, ".xlsx")):
        steps = phases(data, extension, user)
        runs = [end_to_end(data, f"bench{extension}", user)[0] for _ in range(3)]
        steps["end_to_end"] = min(runs)
        steps["runs"] = runs
        results[label] = steps

    # A second file over the first: every value changes, so all 100,000 current values are superseded.
    end_to_end(files.csv, "first.csv", user)
    reimport, upload = end_to_end(csv_bytes(files.changed), "second.csv", user, clear=False)
    assert observation_count() == N_ROWS

    slice_csv = csv_bytes(files.frame.iloc[:SLICE]).decode("utf-8")
    naive = naive_loop(slice_csv, user)
    iexp_default = run_import_export(slice_csv, user, bulk=False)
    iexp_bulk = run_import_export(slice_csv, user, bulk=True)
    clear_observations()
    return Figures(
        results=results,
        reimport=reimport,
        reimport_upload=upload,
        naive=naive,
        iexp_default=iexp_default,
        iexp_bulk=iexp_bulk,
    )


def print_steps(f: Figures) -> None:
    results, scale = f.results, N_ROWS / SLICE
    print()
    print(f"{'step':<58}{'seconds':>10}{'rows/s':>12}")
    print("-" * 80)

    def line(step: str, seconds: float, rows: int = N_ROWS, note: str = "") -> None:
        print(f"{step:<58}{seconds:>10.3f}{rows / seconds:>12,.0f}{note}")

    for label, steps in results.items():
        line(f"{label}  parse (read_upload)", steps["parse"])
        line(f"{label}  validate (upload_context + validate)", steps["validate"])
        line(f"{label}  store (store_observations, COPY, commit)", steps["store"])
        line(f"{label}    of which FK checks deferred to the commit", steps["store_fk"])
        line(f"{label}  sum of the three", steps["parse"] + steps["validate"] + steps["store"])
        runs = ", ".join(f"{r:.3f}" for r in steps["runs"])
        line(f"{label}  END TO END receive_upload + process_upload", steps["end_to_end"], note=f"  (runs {runs})")
    line("CSV  re-import over 100,000 current values (all superseded)", f.reimport)
    note = f"  (measured on {SLICE:,} rows, ×{scale:g})"
    line("naive per-row ORM loop (get, get, create; autocommit)", f.naive * scale, note=note)
    line("django-import-export, default (per-row save)", f.iexp_default * scale, note=note)
    line("django-import-export, use_bulk + skip_diff + force_init", f.iexp_bulk * scale, note=note)
    print()
    print("rows/s for the three comparators: the figure on the slice; seconds: extrapolated to 100,000 rows.")
    print(f"warnings in the clean file: CSV {results['CSV']['warnings']}, XLSX {results['XLSX']['warnings']}")
    upload = f.reimport_upload
    print(f"re-import: upload #{upload.pk} new {upload.rows_new}, changed {upload.rows_changed}")


def print_ratios_and_goals(f: Figures) -> None:
    iexp_default, iexp_bulk, scale = f.iexp_default, f.iexp_bulk, N_ROWS / SLICE
    csv_e2e, xlsx_e2e = f.results["CSV"]["end_to_end"], f.results["XLSX"]["end_to_end"]
    naive_full, iexp_full = f.naive * scale, min(iexp_default, iexp_bulk) * scale
    print()
    print("ratios (end to end, CSV):")
    print(
        f"  vs naive per-row loop:                  {naive_full / csv_e2e:7.1f}×   (XLSX {naive_full / xlsx_e2e:.1f}×)"
    )
    print(f"  vs django-import-export default:        {iexp_default * scale / csv_e2e:7.1f}×")
    print(f"  vs django-import-export bulk:           {iexp_bulk * scale / csv_e2e:7.1f}×")
    print()
    checks = [
        (f"CSV end to end ≤ {GOALS['csv_seconds']} s", csv_e2e <= GOALS["csv_seconds"], f"{csv_e2e:.2f} s"),
        (f"XLSX end to end ≤ {GOALS['xlsx_seconds']} s", xlsx_e2e <= GOALS["xlsx_seconds"], f"{xlsx_e2e:.2f} s"),
        (
            f"≥ {GOALS['vs_naive']:g}× the per-row loop (CSV)",
            naive_full / csv_e2e >= GOALS["vs_naive"],
            f"{naive_full / csv_e2e:.1f}×",
        ),
        ("ahead of django-import-export (best of both)", csv_e2e < iexp_full, f"{iexp_full / csv_e2e:.1f}×"),
    ]
    for goal, ok, figure in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {goal:<46} {figure}")


def run() -> None:
    from tests.factories import UserFactory

    user = UserFactory(username="bench-admin", role="admin", password=None)
    print_machine()
    figures = measure(set_up(), user)
    print_steps(figures)
    print_ratios_and_goals(figures)


def main() -> int:
    media = tempfile.mkdtemp(prefix="bench_import_media_")
    try:
        return run_on_fresh_database(DB_NAME, run, MEDIA_ROOT=media)
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
