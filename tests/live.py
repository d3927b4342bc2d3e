"""Real services for the tests that need them: a Celery worker process on the test database, and a private Redis
server a test may stop and start."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import redis
from django.db import connection
from kombu import pools

from liaoning_eco.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def _test_redis_url() -> str:
    """Redis for the worker tests; each pytest-xdist worker (gw0, gw1, …) takes a database of its own, counting down
    from the configured one, so two workers never consume each other's tasks."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base, db = url.rsplit("/", 1)
    return f"{base}/{int(db) - int(worker[2:])}"


TEST_REDIS_URL = _test_redis_url()


def database_url() -> str:
    """The URL of the test database this process is using (pytest-django created it)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    """`celery worker` in a subprocess, sharing this test's database and media folder."""

    def __init__(self, broker_url: str, media_root: str, *, app: str = "liaoning_eco", pool: str = "solo", **env_extra):
        self.broker_url = broker_url
        self.output: list[str] = []
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(media_root),
            "PYTHONUNBUFFERED": "1",
            **env_extra,
        }
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                app,
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--loglevel=info",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(60):
            self.stop()
            raise RuntimeError("the Celery worker did not start:\n" + "".join(self.output[-40:]))

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self.ready.set()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(20)
        self.process.stdout.close()

    def children(self) -> list[int]:
        """The worker's own child processes (a prefork pool's workers, a reader's child)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []


@contextmanager
def publishing_to(broker_url: str):
    """Make this process send tasks to `broker_url` instead of running them in-process."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, broker_url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        # kombu keeps producer pools in a registry keyed by the broker URL: a later test publishing to the same URL
        # would otherwise be handed this test's closed pool ("Acquire on closed pool").
        pools.reset()
        conf.task_always_eager, conf.broker_url = saved


class RedisServer:
    """A private redis-server on a free port, which a test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self):
        binary = shutil.which("redis-server")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
