"""Benchmark: the dashboard pages served by gunicorn on PostgreSQL with the demo data, as production runs them.

Creates a database of its own, migrates, loads the plan and the demo data (DEMO_MODE=1: the real upload pipeline and
the real recompute), collects the static files into a temporary folder, and serves the site with gunicorn (DEBUG=0,
Redis as the shared cache when it answers, else each worker's own memory). Then, for every page: one cold request
(empty cache: the page is built from the Progress table), a warm-up, and BENCH_REQUESTS requests from BENCH_CLIENTS
concurrent clients, each logged in with its own session. Prints p50 / p95 / max latency, requests per second, and the
page's size as sent gzip-compressed and uncompressed; then PASS/FAIL against the goal (p95 ≤ 300 ms on every page).
Everything it made (database, cache keys, server, temporary folder) is removed at the end, whatever happens.

    .venv/bin/python bench/bench_pages.py          (or `make bench`)

Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL (default
redis://127.0.0.1:6379/14), BENCH_CLIENTS (10), BENCH_REQUESTS (200 per page), BENCH_WORKERS (gunicorn workers, 3 as
in the Dockerfile).
"""

import gzip
import http.cookiejar
import os
import re
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import PG_URL, create_database, database_name, drop_database  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DB_NAME = database_name("pages")
CACHE_PREFIX = f"bench-pages-{os.getpid()}"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
WARM_UP = 2 * CLIENTS
GOAL_P95_MS = 300.0
USER, PASSWORD = "demo-province", "demo"

PAGES = [
    ("overview", "/dashboard/"),
    ("overview 2025Q2 蓝天", "/dashboard/?quarter=2025Q2&section=2.2"),
    ("city 沈阳", "/dashboard/city/210100/"),
    ("city 葫芦岛 1-02 2025Q2", "/dashboard/city/211400/?quarter=2025Q2&target=1-02"),
    ("league", "/dashboard/league/"),
    ("league 1-03", "/dashboard/league/?target=1-03"),
    ("departments", "/dashboard/departments/"),
    ("department 生态环境厅", "/dashboard/departments/eco/"),
    ("target 1-02", "/dashboard/targets/1-02/"),
    ("map pm25", "/dashboard/map/"),
    ("map status 2025Q2", "/dashboard/map/?quarter=2025Q2&colour=status"),
    ("map counties ZL4-1-01 gap", "/dashboard/map/?indicator=sewage_pipe_built_km&level=county&colour=gap"),
    ("plan (home)", "/"),
    ("plan 大连 生态环境厅", "/?area=210200&department=eco"),
    ("indicators", "/indicators/"),
    ("indicator pm25", "/indicators/pm25/"),
    ("xlsx indicator pm25", "/indicators/pm25/?export=values&format=xlsx"),
    ("csv heat map", "/dashboard/?export=heatmap"),
]

SETTINGS = """\
from liaoning_eco.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
CACHES = {caches!r}
"""


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def forget_cache_keys() -> None:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        for key in client.scan_iter(match=f"{CACHE_PREFIX}:*", count=1000):
            client.delete(key)
    except Exception:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    started = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"  manage.py {' '.join(args)}: {time.perf_counter() - started:.1f} s", flush=True)


class Client:
    """One logged-in browser-like client: its own cookies, gzip accepted, nothing decompressed (sizes as sent)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.base + path, headers={"Accept-Encoding": "gzip"})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def login(self) -> None:
        _status, body, headers = self.get("/accounts/login/")
        html = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data, headers={"Referer": self.base})
        with self.opener.open(request, timeout=60) as response:
            response.read()
        if not any(c.name == "sessionid" for c in self.cookies):
            raise RuntimeError("login failed")


def measure(clients: list[Client], path: str) -> dict:
    """Cold request, warm-up, then REQUESTS requests spread over the clients, all running at once."""
    started = time.perf_counter()
    status, body, headers = clients[0].get(path)
    cold_ms = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    compressed = len(body)
    plain = len(gzip.decompress(body)) if headers.get("Content-Encoding") == "gzip" else len(body)
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(lambda i: clients[i % len(clients)].get(path), range(WARM_UP)))
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    per_client = [REQUESTS // len(clients) + (1 if i < REQUESTS % len(clients) else 0) for i in range(len(clients))]

    def run(index: int) -> None:
        for _ in range(per_client[index]):
            t0 = time.perf_counter()
            code, _body, _headers = clients[index].get(path)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                if code != 200:
                    errors.append(code)

    wall = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(run, range(len(clients))))
    wall = time.perf_counter() - wall
    ordered = sorted(latencies)
    return {
        "cold_ms": cold_ms,
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
        "rps": len(ordered) / wall,
        "gzip_kb": compressed / 1024,
        "plain_kb": plain / 1024,
        "errors": len(errors),
        "n": len(ordered),
    }


def cache_settings(use_redis: bool) -> dict:
    return (
        {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                     "KEY_PREFIX": CACHE_PREFIX}}
        if use_redis
        else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-pages"}}
    )  # fmt: skip


def server_environment(workdir: Path, caches: dict) -> dict:
    """The settings module (static files and cache) written into `workdir`, and the environment that selects it."""
    (workdir / "bench_settings.py").write_text(
        SETTINGS.format(static_root=str(workdir / "static"), caches=caches), encoding="utf-8"
    )
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + os.urandom(32).hex(),  # production refuses keys under 50 characters
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1
        "DEMO_MODE": "1",
        "LOG_LEVEL": "WARNING",
        "CELERY_BROKER_URL": "",
    }


def load_database(env: dict) -> None:
    create_database(DB_NAME)
    manage(env, "migrate", "--noinput")
    manage(env, "load_plan")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")


def start_server(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "liaoning_eco.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip


def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def plotly_size(client: Client) -> float | None:
    """KB of plotly.min.js as sent, found in the overview page's HTML; None if the page does not load it."""
    page = client.get("/dashboard/")[1]
    html = gzip.decompress(page).decode()
    script = re.search(r'src="(/static/vendor/plotly\.min\.[0-9a-f]+\.js)"', html)
    plotly_kb = None
    if script:
        status, body, _headers = client.get(script.group(1))
        plotly_kb = len(body) / 1024 if status == 200 else None
    return plotly_kb


def measure_pages(clients: list[Client]) -> list[str]:
    """Measure every page and print its line; returns the names of the pages that missed the goal or had errors."""
    print(f"\n{CLIENTS} concurrent clients, {REQUESTS} requests per page after {WARM_UP} warm-up requests; "
          f"gunicorn {WORKERS} sync workers on {os.cpu_count()} cores\n")  # fmt: skip
    header = f"{'page':<26} {'cold ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'req/s':>6} "
    header += f"{'gzip KB':>8} {'raw KB':>7} {'errors':>6}"
    print(header)
    print("-" * len(header))
    failed = []
    for name, path in PAGES:
        r = measure(clients, path)
        print(
            f"{name:<26} {r['cold_ms']:8.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['max']:7.1f} {r['rps']:6.1f} "
            f"{r['gzip_kb']:8.1f} {r['plain_kb']:7.1f} {r['errors']:6d}",
            flush=True,
        )
        if r["p95"] > GOAL_P95_MS or r["errors"]:
            failed.append(name)
    return failed


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    use_redis = redis_answers()
    env = server_environment(workdir, cache_settings(use_redis))
    server = None
    print(f"Database {DB_NAME}; cache: {'Redis ' + REDIS_URL if use_redis else 'per-worker memory'}", flush=True)
    try:
        load_database(env)
        port = free_port()
        server = start_server(env, port)
        wait_for_port(port)
        clients = [Client(f"http://127.0.0.1:{port}") for _ in range(CLIENTS)]
        for client in clients:
            client.login()
        plotly_kb = plotly_size(clients[0])
        forget_cache_keys()  # the first measured request of each page is a cold one
        failed = measure_pages(clients)
        if plotly_kb is not None:
            print(f"\nplotly.min.js (served once, then cached by the browser): {plotly_kb:.0f} KB as sent "
                  f"(whitenoise's precompressed copy)")  # fmt: skip
        print(f"\nGoal p95 ≤ {GOAL_P95_MS:.0f} ms on every page: {'FAIL ' + ', '.join(failed) if failed else 'PASS'}")
        return 1 if failed else 0
    finally:
        if server is not None:
            stop_server(server)
        forget_cache_keys()
        drop_database(DB_NAME)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
