"""Benchmark: the quarterly progress report on PostgreSQL.

1. The demo data (demo.loader.load_demo, through the real upload pipeline), the whole province, its latest quarter:
   the report's tables, XLSX (goal ≤ 5 s), CSV zip, PDF (goal ≤ 20 s).
2. The scale of bench_progress.py (340 areas × 180 targets, 61,380 rows a quarter): the XLSX of one quarter
   (goal ≤ 30 s), with the peak memory of the writing step at a quarter of the rows and at all of them (streamed
   writing: it should not grow with the row count) and the process's peak RSS.
Beside each, the time to read the same rows from the Progress table. Runs on a fresh database, dropped at the end.

    .venv/bin/python bench/bench_reports.py          (or `make bench`)
"""

import io
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import database_name, run_on_fresh_database  # noqa: E402

DB_NAME = database_name("reports")
GOALS = {"demo_xlsx": 5.0, "demo_pdf": 20.0, "scale_xlsx": 30.0}  # scale: export_report in its own process


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_rows(year: int, quarter: int) -> float:
    from progress.models import Progress

    started = time.perf_counter()
    rows = list(
        Progress.objects.filter(year=year, quarter=quarter).order_by("target__order", "area__order").values_list()
    )
    seconds = time.perf_counter() - started
    del rows
    return seconds


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def write_measured(report, writer) -> tuple[float, float, int]:
    """Seconds (a plain run), the writer's own peak Python allocation in MB (a second run under tracemalloc, which
    slows Python down), and the file's size. Written to a file on disk, as build_report does."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report"
        started = time.perf_counter()
        writer(report, str(path))
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        tracemalloc.start()
        writer(report, str(path))
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return seconds, peak, size


CHILD = """
import os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaoning_eco.settings")
import django
django.setup()
from django.core.management import call_command
call_command("export_report", *sys.argv[1:])
# VmHWM is this program's own peak (getrusage would count the parent's memory at the fork)
print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def export_report_process(*args: str) -> tuple[float, float]:
    """`export_report` in a process of its own: wall seconds (with Django's start) and its peak RSS (MB)."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-c", CHILD, *args, "-o", f"{folder}/r.xlsx"]
        started = time.perf_counter()
        done = subprocess.run(
            command, cwd=ROOT, env={**os.environ, "MEDIA_ROOT": folder}, capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - started
    peak_kb = int(done.stdout.strip().splitlines()[-1].split()[1])
    return seconds, peak_kb / 1024


def demo_phase(results: dict) -> None:
    from django.core.management import call_command

    from common.tabular import write_csv_zip, write_xlsx
    from demo.loader import load_demo
    from indicators.periods import latest_closed_quarter
    from reports.build import assemble, fill_cover
    from reports.pdf import write_pdf
    from reports.scope import ReportScope

    call_command("create_demo_users", stdout=io.StringIO())
    seconds, report = timed(load_demo)
    print(f"demo: {report.uploads} uploads, {report.observations:,} current observations, loaded in {seconds:.0f} s")
    call_command("recompute_progress", stdout=io.StringIO())
    year, quarter = latest_closed_quarter()
    scope = ReportScope(year=year, quarter=quarter)
    tables_s, built = timed(assemble, scope)
    fill_cover(built, user=None)
    xlsx_s, xlsx_peak, xlsx_size = write_measured(built, lambda r, out: write_xlsx(r.all_tables(), out))
    csv_s, _, csv_size = write_measured(built, lambda r, out: write_csv_zip(r.all_tables(), out))
    started = time.perf_counter()
    out = io.BytesIO()
    write_pdf(built, out)
    pdf_s = time.perf_counter() - started
    read_s = read_rows(year, quarter)
    rows = len(built.figures.rows)
    print(f"\ndemo, whole province, {year}Q{quarter}: {rows:,} target × area rows (read from Progress: {read_s:.3f} s)")
    print(f"  tables (assemble)                  {tables_s:7.2f} s")
    print(
        f"  XLSX  write {xlsx_s:6.2f} s · total {tables_s + xlsx_s:6.2f} s · {xlsx_size / 1e6:5.2f} MB"
        f" · writer peak {xlsx_peak:.1f} MB"
    )
    print(f"  CSV   write {csv_s:6.2f} s · total {tables_s + csv_s:6.2f} s · {csv_size / 1e6:5.2f} MB")
    print(f"  PDF   write {pdf_s:6.2f} s · total {tables_s + pdf_s:6.2f} s · {len(out.getvalue()) / 1e6:5.2f} MB")
    results["demo_xlsx"] = tables_s + xlsx_s
    results["demo_pdf"] = tables_s + pdf_s


def scale_phase(results: dict) -> None:
    from bench_progress import THROUGH, build_observations, build_plan, copy_observations
    from django.contrib.auth import get_user_model

    from common.tabular import write_xlsx
    from indicators.models import Area
    from progress.services import recompute_progress
    from reports.build import assemble, fill_cover
    from reports.scope import ReportScope
    from uploads.models import Upload

    user = get_user_model().objects.create_user(username="bench-reports", password=None, role="admin")
    areas, province_id, specs = build_plan()
    seed = Upload.objects.create(
        kind=Upload.Kind.LONG, file="bench/seed.csv", original_name="seed.csv", extension=".csv", size=0,
        sha256="b" * 64, uploaded_by=user, status=Upload.Status.ACCEPTED,
    )  # fmt: skip
    copy_observations(build_observations(areas, province_id, specs), seed.pk)
    recompute_progress(through=THROUGH)
    scope = ReportScope(year=THROUGH[0], quarter=THROUGH[1])
    read_s = read_rows(*THROUGH)
    print(f"\nscale of bench_progress.py, {THROUGH[0]}Q{THROUGH[1]} (read the quarter from Progress: {read_s:.3f} s)")
    tables_s, built = timed(assemble, scope)
    fill_cover(built, user=None)
    rows = len(built.figures.rows)
    quarter_of = _first_rows(built, rows // 4)
    small_s, small_peak, _ = write_measured(quarter_of, lambda r, out: write_xlsx(r, out))
    xlsx_s, xlsx_peak, size = write_measured(built, lambda r, out: write_xlsx(r.all_tables(), out))
    print(
        f"  {rows:,} rows: tables {tables_s:.2f} s · XLSX write {xlsx_s:.2f} s · total {tables_s + xlsx_s:.2f} s"
        f" · {size / 1e6:.1f} MB"
    )
    print(
        f"  writer's peak allocation: {small_peak:.1f} MB for a quarter of the rows ({small_s:.2f} s),"
        f" {xlsx_peak:.1f} MB for all"
    )
    year, quarter = str(THROUGH[0]), str(THROUGH[1])
    city = Area.objects.filter(pk=areas[0]).values_list("code", flat=True).get()
    one_s, one_rss = export_report_process("--year", year, "--quarter", quarter, "--area", city)
    all_s, all_rss = export_report_process("--year", year, "--quarter", quarter)
    print(f"  export_report in its own process: one city {one_s:.1f} s, peak RSS {one_rss:.0f} MB;")
    print(f"                                    the province, {rows:,} rows, {all_s:.1f} s, peak RSS {all_rss:.0f} MB")
    print(
        f"  (in this benchmark process, whose heap holds the recompute of 1.2 million rows, peak RSS "
        f"{peak_rss_mb():.0f} MB, Python's garbage collector slows the same work down)"
    )
    results["scale_xlsx"] = all_s  # the door people use, start to finish


def _first_rows(report, n: int):
    """The report's tables cut to their first n rows (the detail and provenance tables dominate)."""
    from common.tabular import Table

    return [Table(t.name, t.title, t.columns, t.frame.head(n)) for t in report.all_tables()]


def run() -> None:
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start · Python {platform.python_version()}")
    results = {}
    demo_phase(results)
    scale_phase(results)
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (a shared machine: figures move with it)")
    for key, goal in GOALS.items():
        ok = results[key] <= goal
        print(f"  {'PASS' if ok else 'FAIL'}  {key:<12} ≤ {goal:g} s   {results[key]:.2f} s")


def main() -> int:
    return run_on_fresh_database(DB_NAME, run, DEMO_MODE="1")


if __name__ == "__main__":
    sys.exit(main())
