"""docker-compose.yml, run without Docker: its web, worker and beat commands and their health checks, started as
the containers would start them (the compose file's environment, interpolated as compose does), with the hosts of the
compose network (db, redis) and the container's paths replaced by the test PostgreSQL or SQLite database, the test
Redis and a temporary folder."""

import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import redis
import yaml

from tests.live import TEST_REDIS_URL, database_url, free_port, wait_for

pytestmark = pytest.mark.worker
ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}")


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME:?error} and $$ (a literal $, left for the container's shell)."""

    def value(match):
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        if variables.get(name):
            return variables[name]
        if operator == ":?":
            raise AssertionError(f"compose requires {name}: {argument}")
        return argument or ""

    return VARIABLE.sub(value, text)


def compose_file() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture
def compose(transactional_db, tmp_path):
    """The services as plain data, each with the environment its container would get here."""
    spec = compose_file()
    dotenv = {"SECRET_KEY": secrets.token_urlsafe(50)}  # what .env would hold
    redis_host = TEST_REDIS_URL.rsplit("/", 1)[0].split("://", 1)[1]
    redis_db = TEST_REDIS_URL.rsplit("/", 1)[1]
    here = {  # what the compose network and the container's volumes are on this machine
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": TEST_REDIS_URL,
        "CACHE_URL": f"rediscache://{redis_host}/{redis_db}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BEAT_SCHEDULE": str(tmp_path / "celerybeat-schedule"),
        "PORT": str(free_port()),
    }
    services = {}
    for name, service in spec["services"].items():
        environment = {k: interpolate(str(v), dotenv) for k, v in service.get("environment", {}).items()}
        if name in ("web", "worker", "beat", "init"):
            assert set(here) <= set(environment), f"{name}: only settings the compose file sets are replaced"
            environment.update(here)
        services[name] = {**service, "env": environment}
    return services


class Service:
    """One service's command in a process group of its own, its output kept."""

    def __init__(self, command: list[str], environment: dict[str, str], log: Path):
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
        self.env = {"PATH": path, "HOSTNAME": socket.gethostname(), "PYTHONUNBUFFERED": "1", **environment}
        self.log = log
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def healthy(self, healthcheck: dict) -> bool:
        kind, *command = (interpolate(part, {}) for part in healthcheck["test"])
        command = ["sh", "-c", command[0]] if kind == "CMD-SHELL" else command
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, timeout=60).returncode == 0

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def start(compose, name, tmp_path) -> Service:
    service = compose[name]
    command = interpolate(service["command"], {})  # $$ → $, for the shell inside the "container"
    return Service(shlex.split(command), service["env"], tmp_path / f"{name}.log")


def test_the_compose_file_describes_the_stack():
    services = compose_file()["services"]
    assert services["init"]["profiles"] == ["init"] and "load_plan" in services["init"]["command"]
    assert services["web"]["environment"]["DEBUG"] == "0"
    for name in ("web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
        assert "media:/data/media" in services[name]["volumes"]
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["web"]["ports"] == ["${WEB_PUBLISH:-127.0.0.1:8000}:8000"]
    assert services["worker"]["cpu_shares"] < services["web"].get("cpu_shares", 1024)  # pages before uploads
    with pytest.raises(AssertionError, match="SECRET_KEY"):
        interpolate("${SECRET_KEY:?set SECRET_KEY in .env}", {})


def test_web_worker_and_beat_start_and_pass_their_health_checks(compose, tmp_path):
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    services = {name: start(compose, name, tmp_path) for name in ("web", "worker", "beat")}
    try:
        web, worker, beat = services["web"], services["worker"], services["beat"]
        port = compose["web"]["env"]["PORT"]

        def healthz():
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "localhost"})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.status == 200 and b'"database": "ok"' in response.read()
            except OSError:
                return False

        assert wait_for(healthz, timeout=90), web.output()
        assert web.healthy(compose["web"]["healthcheck"]), web.output()
        assert wait_for(lambda: " ready." in worker.output(), timeout=90), worker.output()
        assert worker.healthy(compose["worker"]["healthcheck"]), worker.output()
        assert wait_for(lambda: list(tmp_path.glob("celerybeat-schedule*")), timeout=60), beat.output()
        assert beat.healthy(compose["beat"]["healthcheck"]), beat.output()
        assert "beat: Starting" in beat.output()
        for name, service in services.items():
            assert service.process.poll() is None, f"{name} stopped:\n{service.output()}"
    finally:
        for service in services.values():
            service.stop()
