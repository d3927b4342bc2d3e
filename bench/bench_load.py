"""Benchmark: dashboards under load while every reporting area uploads a quarter at once, as production runs them.

Creates a PostgreSQL database of its own, migrates, loads the plan and the demo data (DEMO_MODE=1: the real upload
pipeline and recompute), collects the static files, and starts a private redis-server (broker and page cache on one
Redis, as docker-compose.yml has them), gunicorn (BENCH_WORKERS sync workers, 3 as in the Dockerfile) and a real
Celery worker (prefork, one process per core), each in a session of its own as containers or services run. Then,
BENCH_ROUNDS times (3):

1. without uploads: BENCH_CLIENTS concurrent clients (50), each logged in with its own session, read the dashboard
   pages round and round for BENCH_SECONDS (20);
2. with uploads: the same readers, while each of the 15 reporting areas (14 cities and 沈抚示范区) sends two quarterly
   templates for the latest closed quarter through the REST API, one right after the other (a first version and a
   correction, built with the demo's template builder; each round's values differ). Readers go on until every area's
   progress shows the correction, then BENCH_AFTER seconds more (5: while the pages are rebuilt), and at least
   BENCH_SECONDS in all.

Prints, per phase, throughput, p50/p95/max latency of the pages and the CPU used meanwhile by the web server, the
worker (with its reader processes), PostgreSQL, Redis, this benchmark and the whole machine (in cores); per upload the
time from its POST to finished and to the dashboard showing it (the Progress rows of its area recomputed and the
page-cache version bumped). Checks that nothing failed (no HTTP error, no upload rejected or failed) and nothing was
lost or misordered (after each round every area's current values are its correction's, every first version ends
superseded). Goal: those checks pass and the p95 of all the requests read with uploads is at most twice the p95 of
all those read without (each round's own ratio is printed too). With BENCH_TIMELINE=1, each round's pages' p95 and
second by second when the requests started, their p95 and the uploads finished. Everything it made is removed at the
end, whatever happens.

    .venv/bin/python bench/bench_load.py

Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), BENCH_CLIENTS (50), BENCH_SECONDS (20),
BENCH_ROUNDS (3), BENCH_AFTER (5), BENCH_WORKERS (3), BENCH_CELERY_CONCURRENCY (number of cores), BENCH_TIMELINE.
"""

import gzip
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from bench_pages import Client, free_port, manage  # noqa: E402
from benchdb import PG_URL, create_database, database_name, drop_database  # noqa: E402

DB_NAME = database_name("load")
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
AFTER = float(os.environ.get("BENCH_AFTER", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CELERY_CONCURRENCY", str(os.cpu_count() or 2)))
UPLOADER_PASSWORD = "bench-" + uuid.uuid4().hex[:12]
PAGES = [
    "/dashboard/",
    "/dashboard/?quarter=2025Q2&section=2.2",
    "/dashboard/city/210100/",
    "/dashboard/city/211400/?quarter=2025Q2&target=1-02",
    "/dashboard/league/",
    "/dashboard/departments/",
    "/dashboard/departments/eco/",
    "/dashboard/targets/1-02/",
    "/dashboard/map/",
]
SETTINGS = """\
from liaoning_eco.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""


def start_redis(workdir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    wait_for_port(port)
    return process, port


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def setup_django(env: dict) -> None:
    """This process reads the bench database too: to build the files and to check what became of them."""
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    for path in reversed(env["PYTHONPATH"].split(os.pathsep)):
        sys.path.insert(0, path)
    import django

    django.setup()


def prepare_uploads(rounds: int) -> dict:
    """For each reporting area: an uploader account, and for each round two filled templates for the latest closed
    quarter (a first version and a correction that moves every value a little), built as the demo builds its uploads;
    each round's values differ from the others', so no file is a copy of an earlier one."""
    from accounts.models import User
    from demo.loader import _filled_template
    from indicators.models import Area
    from indicators.periods import latest_closed_quarter
    from uploads.selectors import template_rows

    year, quarter = latest_closed_quarter()
    prepared = {}
    for area in Area.objects.reporting().order_by("order"):
        user, _ = User.objects.get_or_create(
            username=f"bench-{area.code}", defaults={"role": User.Role.CITY, "area": area}
        )
        user.set_password(UPLOADER_PASSWORD)
        user.save()
        rows = template_rows(area, year, quarter)
        whole = {(r.area_code, r.indicator_code) for r in rows if r.whole}
        files = []
        for n in range(rounds):
            share = 0.4 + 0.1 * n
            first = {
                (r.area_code, r.indicator_code): round(
                    r.min_value + (r.max_value - r.min_value) * share, 0 if r.whole else 2
                )
                for r in rows
            }
            correction = {key: round(value * 0.98, 0 if key in whole else 2) for key, value in first.items()}
            files.append([_filled_template(area, year, quarter, values) for values in (first, correction)])
        prepared[area.code] = {"user": user.username, "files": files, "period": (year, quarter)}
    return prepared


def log_in(base: str, username: str, password: str) -> Client:
    """A browser-like session for an uploader: one login (one password hash), then requests with its cookie."""
    client = Client(base)
    _status, body, headers = client.get("/accounts/login/")
    html = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base})
    with client.opener.open(request, timeout=60) as response:
        response.read()
    if not any(c.name == "sessionid" for c in client.cookies):
        raise RuntimeError(f"login failed for {username}")
    return client


def post_upload(client: Client, area: str, period: tuple[int, int], data: bytes, name: str) -> dict:
    """The REST API's upload, as a logged-in browser script sends it (session cookie and CSRF token)."""
    boundary = uuid.uuid4().hex
    fields = {"area": area, "year": str(period[0]), "quarter": str(period[1])}
    body = io.BytesIO()
    for key, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
    )
    body.write(data + f"\r\n--{boundary}--\r\n".encode())
    csrf = next(c.value for c in client.cookies if c.name == "csrftoken")
    request = urllib.request.Request(
        f"{client.base}/api/uploads/",
        data=body.getvalue(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": csrf,
                 "Referer": client.base},
    )  # fmt: skip
    with client.opener.open(request, timeout=60) as response:
        return json.loads(response.read())


class Readers:
    """CLIENTS logged-in clients reading the pages round and round until stopped; latencies and errors recorded."""

    def __init__(self, clients: list[Client]):
        self.clients = clients
        self.latencies: list[float] = []
        self.timeline: list[tuple[float, float, str]] = []  # (started, ms, page) to see when the slow requests happened
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def _run(self, index: int) -> None:
        client, n = self.clients[index], index
        while not self.stopping.is_set():
            path = PAGES[n % len(PAGES)]
            n += 1
            started = time.perf_counter()
            try:
                status, _body, _headers = client.get(path)
            except Exception as error:  # a refused or timed-out request counts as an error
                status = repr(error)
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.latencies.append(elapsed)
                self.timeline.append((started, elapsed, path))
                if status != 200:
                    self.errors.append(f"{path}: {status}")

    def start(self) -> None:
        self.started = time.perf_counter()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(len(self.clients))]
        for thread in self.threads:
            thread.start()

    def stop(self) -> dict:
        self.stopping.set()
        for thread in self.threads:
            thread.join(120)
        wall = time.perf_counter() - self.started
        ordered = sorted(self.latencies)
        return {
            "n": len(ordered),
            "rps": len(ordered) / wall,
            "p50": statistics.median(ordered),
            "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
            "max": ordered[-1],
            "errors": list(self.errors),
            "seconds": wall,
            "timeline": sorted(self.timeline),
            "latencies": ordered,
        }


def upload_everything(uploaders: dict, prepared: dict, round_: int) -> dict:
    """Every area sends its first version and its correction, one after the other, all areas at once."""
    sent = {}

    def send(code: str) -> None:
        spec = prepared[code]
        for version, data in enumerate(spec["files"][round_]):
            posted = time.perf_counter()
            name = f"{code}-r{round_ + 1}-v{version + 1}.xlsx"
            answer = post_upload(uploaders[code], code, spec["period"], data, name)
            sent.setdefault(code, []).append({"id": answer["id"], "posted": posted, "status": answer["status"]})

    with ThreadPoolExecutor(len(prepared)) as pool:
        list(pool.map(send, prepared))
    return sent


def follow(sent: dict, timeout: float = 300) -> dict:
    """Poll the database until every upload is finished and every area's progress reflects its correction: two small
    queries four times a second, so that the watching costs the machine under test next to nothing."""
    from django.db import close_old_connections
    from django.db.models import Max

    from progress.models import Progress
    from uploads.models import Upload

    by_id = {item["id"]: item for items in sent.values() for item in items}
    pending, recomputed = set(by_id), set()
    deadline = time.monotonic() + timeout
    while (pending or len(recomputed) < len(sent)) and time.monotonic() < deadline:
        close_old_connections()
        now = time.perf_counter()
        finished = Upload.objects.filter(pk__in=pending).exclude(status__in=Upload.PENDING)
        for pk, status, finished_at in finished.values_list("pk", "status", "finished_at"):
            by_id[pk].update(final=status, accepted_s=now - by_id[pk]["posted"], finished_at=finished_at)
            pending.discard(pk)
        waiting = {
            code: items[-1] for code, items in sent.items() if code not in recomputed and "finished_at" in items[-1]
        }
        if waiting:
            latest = (
                Progress.objects.filter(area__code__in=waiting).values_list("area__code").annotate(Max("computed_at"))
            )
            for code, computed_at in latest:
                if computed_at >= waiting[code]["finished_at"]:
                    waiting[code]["dashboard_s"] = now - waiting[code]["posted"]
                    recomputed.add(code)
        time.sleep(0.25)
    return sent


def verify(sent: dict) -> list[str]:
    """Nothing lost or misordered: every area's current values are its correction's, its first version superseded."""
    from uploads.models import Observation, Upload

    problems = []
    for code, (first, correction) in sent.items():
        statuses = dict(Upload.objects.filter(pk__in=[first["id"], correction["id"]]).values_list("pk", "status"))
        if statuses.get(correction["id"]) != Upload.Status.ACCEPTED:
            problems.append(f"{code}: the correction ended {statuses.get(correction['id'])}")
        if statuses.get(first["id"]) != Upload.Status.SUPERSEDED:
            problems.append(f"{code}: the first version ended {statuses.get(first['id'])}")
        current = Observation.objects.filter(area__code=code, upload_id=first["id"], is_current=True).count()
        if current:
            problems.append(f"{code}: {current} values of the first version are still current")
        if "dashboard_s" not in correction:
            problems.append(f"{code}: progress never showed the correction")
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


CPU_COLUMNS = ("web", "worker", "postgres", "redis", "benchmark", "machine")


def report(name: str, r: dict, cpu: dict) -> None:
    cores = " ".join(f"{cpu[column] / r['seconds']:>9.2f}" for column in CPU_COLUMNS)
    print(
        f"{name:<20} {r['n']:>6} {r['rps']:>6.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} {r['max']:>7.0f} "
        f"{len(r['errors']):>6} {r['seconds']:>5.1f}   {' ' * 16}{cores}",
        flush=True,
    )


def start_servers(env: dict) -> tuple[subprocess.Popen, subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "liaoning_eco.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(Path(PYTHON).parent / "celery"), "-A", "liaoning_eco", "worker", "--loglevel=warning",
         f"--concurrency={CONCURRENCY}", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    wait_for_port(port)
    return server, worker, f"http://127.0.0.1:{port}"


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(sessions: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system, with that of exited children reaped) so far, by who used it: each of `sessions` (a
    process session: gunicorn, the Celery worker with its pool and reader processes, Redis), PostgreSQL's processes,
    this benchmark's own (its reader and uploader threads), and the whole machine."""
    used = dict.fromkeys([*sessions, "postgres", "benchmark"], 0.0)
    owner = {sid: name for name, sid in sessions.items()}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        comm, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        seconds = sum(int(x) for x in fields[11:15]) / TICK
        if int(stat.parent.name) == os.getpid():
            used["benchmark"] += seconds
        elif comm.startswith("postgres"):
            used["postgres"] += seconds
        elif int(fields[3]) in owner:
            used[owner[int(fields[3])]] += seconds
    with open("/proc/stat") as machine:
        jiffies = [int(x) for x in machine.readline().split()[1:]]
    used["machine"] = (sum(jiffies) - jiffies[3] - jiffies[4]) / TICK  # all but idle and iowait
    return used


def phase(clients: list[Client], sessions: dict, run, after: float = 0.0) -> tuple[dict, dict, object]:
    """The readers read while run() runs, then `after` seconds more, and for at least SECONDS in all; their figures,
    the CPU used meanwhile, and what run() returned."""
    before = cpu_seconds(sessions)
    readers = Readers(clients)
    readers.start()
    started = time.monotonic()
    outcome = run()
    time.sleep(max(after, SECONDS - (time.monotonic() - started)))
    result = readers.stop()
    after = cpu_seconds(sessions)
    return result, {name: after[name] - before[name] for name in after}, outcome


def measure(base: str, prepared: dict, sessions: dict) -> list[dict]:
    """ROUNDS times the two phases: readers alone, then readers while every area uploads."""
    clients = [Client(base) for _ in range(CLIENTS)]
    for client in clients:
        client.login()
    for path in PAGES:  # warm the page cache once, as a running site has it
        clients[0].get(path)
    uploaders = {code: log_in(base, spec["user"], UPLOADER_PASSWORD) for code, spec in prepared.items()}
    print(f"\n{CLIENTS} concurrent readers over {len(PAGES)} dashboard pages; gunicorn {WORKERS} sync workers, "
          f"Celery prefork ×{CONCURRENCY}, on {os.cpu_count()} cores; {ROUNDS} rounds\n")  # fmt: skip
    header = (
        f"{'phase':<20} {'reqs':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'errors':>6} {'s':>5}"
        f"   CPU cores used: {' '.join(f'{name:>9}' for name in CPU_COLUMNS)}"
    )
    print(header + "\n" + "-" * len(header))
    rounds = []
    for n in range(ROUNDS):
        quiet, quiet_cpu, _ = phase(clients, sessions, lambda: None)
        report(f"{n + 1}: without uploads", quiet, quiet_cpu)
        # The pages are read on for AFTER seconds once progress shows every correction: while they are rebuilt.
        busy, busy_cpu, sent = phase(
            clients, sessions, lambda n=n: follow(upload_everything(uploaders, prepared, n)), after=AFTER
        )
        report(f"{n + 1}: with uploads", busy, busy_cpu)
        timeline(busy, sent)
        rounds.append({"quiet": quiet, "busy": busy, "sent": sent, "problems": verify(sent)})
    return rounds


def timeline(busy: dict, sent: dict) -> None:
    """When the slow page requests started, against when the uploads finished and progress showed them."""
    origin = min(item["posted"] for items in sent.values() for item in items)
    slow = [(t - origin, ms) for t, ms, _page in busy["timeline"] if ms > 2 * statistics.median(busy["latencies"])]
    finished = sorted(
        item["posted"] + item["accepted_s"] - origin for i in sent.values() for item in i if "accepted_s" in item
    )
    shown = sorted(i[-1]["posted"] + i[-1]["dashboard_s"] - origin for i in sent.values() if "dashboard_s" in i[-1])
    if finished and shown:
        print(f"    uploads finished {finished[0]:.1f}–{finished[-1]:.1f} s after the first POST; "
              f"progress showed them {shown[0]:.1f}–{shown[-1]:.1f} s")  # fmt: skip
    if slow:
        print(f"    {len(slow)} page requests slower than twice the median started {min(t for t, _ in slow):.1f}–"
              f"{max(t for t, _ in slow):.1f} s after the first POST")  # fmt: skip
    if os.environ.get("BENCH_TIMELINE"):  # second by second: requests started, their p95, uploads finished
        seconds = {}
        pages = {}
        for t, ms, page in busy["timeline"]:
            seconds.setdefault(int(t - origin + 100) - 100, []).append(ms)
            pages.setdefault(page, []).append(ms)
        for page, values in pages.items():
            print(f"    {page:<45} p50 {statistics.median(values):>6.0f}  p95 {percentile(values, 0.95):>6.0f} ms")
        for second, values in sorted(seconds.items()):
            done = sum(1 for f in finished if second <= f < second + 1)
            mark = " progress shown" if any(second <= f < second + 1 for f in shown) else ""
            print(f"    {second:>4} s {len(values):>4} reqs  p95 {percentile(values, 0.95):>6.0f} ms  "
                  f"{'#' * done}{mark}")  # fmt: skip


def summarise(rounds: list[dict]) -> bool:
    """The goal is judged on all rounds together: the p95 of every request read with uploads against that of every
    request read without (each round's own ratio is printed too)."""
    sent = [item for r in rounds for items in r["sent"].values() for item in items]
    finished = [item["accepted_s"] for item in sent if "accepted_s" in item]
    shown = [items[-1]["dashboard_s"] for r in rounds for items in r["sent"].values() if "dashboard_s" in items[-1]]
    areas = len(rounds[0]["sent"])
    print(f"\n{len(sent)} uploads ({len(rounds)} rounds × {areas} areas × 2) sent through the API, a round at once")
    for label, values in (
        ("POST → finished (accepted or superseded)", finished),
        ("POST of the correction → dashboard shows it (progress recomputed, cache version bumped)", shown),
    ):
        if values:
            print(f"{label}: p50 {statistics.median(values):.1f} s, p95 {percentile(values, 0.95):.1f} s, "
                  f"max {max(values):.1f} s")  # fmt: skip
    errors = [e for r in rounds for e in r["quiet"]["errors"] + r["busy"]["errors"]]
    problems = [p for r in rounds for p in r["problems"]] + [f"HTTP: {e}" for e in errors[:10]]
    quiet = [ms for r in rounds for ms in r["quiet"]["latencies"]]
    busy = [ms for r in rounds for ms in r["busy"]["latencies"]]
    ratio = percentile(busy, 0.95) / percentile(quiet, 0.95)
    each = ", ".join(f"{r['busy']['p95'] / r['quiet']['p95']:.2f}" for r in rounds)
    print(f"\np95 with uploads / without, all rounds: {percentile(busy, 0.95):.0f} / {percentile(quiet, 0.95):.0f} ms "
          f"= {ratio:.2f} (goal ≤ 2); round by round: {each}")  # fmt: skip
    print("Nothing lost or misordered, no error: " + ("PASS" if not problems else "FAIL"))
    for problem in problems[:20]:
        print("  " + problem)
    passed = not problems and ratio <= 2
    print(f"Goal: {'PASS' if passed else 'FAIL'}")
    return passed


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (workdir / "bench_settings.py").write_text(SETTINGS.format(static_root=str(workdir / "static")), encoding="utf-8")
    redis_process = server = worker = None
    try:
        redis_process, redis_port = start_redis(workdir)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),  # the settings refuse a key under 50 characters
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1
            "DEMO_MODE": "1",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(workdir / "media"),
            "CELERY_BROKER_URL": "",  # the demo data loads in-process; the servers below get the broker
        }
        print(f"Database {DB_NAME}; Redis on port {redis_port} (broker db 0, page cache db 1)", flush=True)
        create_database(DB_NAME)
        for command in (["migrate", "--noinput"], ["load_plan"], ["load_demo"], ["collectstatic", "--noinput"]):
            manage(env, *command)
        env.update(
            CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0", CACHE_URL=f"rediscache://127.0.0.1:{redis_port}/1"
        )
        setup_django(env)
        prepared = prepare_uploads(ROUNDS)
        print(f"  {len(prepared)} areas × 2 templates × {ROUNDS} rounds prepared", flush=True)
        server, worker, base = start_servers(env)
        sessions = {"web": server.pid, "worker": worker.pid, "redis": redis_process.pid}
        return 0 if summarise(measure(base, prepared, sessions)) else 1
    finally:
        stop(server)
        stop(worker)
        stop(redis_process)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        drop_database(DB_NAME)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
