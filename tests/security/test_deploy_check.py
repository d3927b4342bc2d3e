"""The production settings, run as production runs them: in a fresh process with the environment docs/deployment.md
documents (read from the document itself), not the test settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- production-env:start -->\s*```sh\n(.*?)```\s*<!-- production-env:end -->", re.S)


def documented_environment() -> dict[str, str]:
    """The block in docs/deployment.md, with a fresh key for the SECRET_KEY placeholder and the others filled in."""
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    lines = BLOCK.search(text).group(1).strip().splitlines()
    environment = dict(line.split("=", 1) for line in lines)
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    return {name: re.sub(r"<[^>]*>", "placeholder", value) for name, value in environment.items()}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """manage.py with the production settings module and only the given environment (no test variables)."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "liaoning_eco.settings", **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_the_documented_environment():
    environment = documented_environment()
    assert environment["DEBUG"] == "0" and environment["SECURE_HSTS_SECONDS"] == "31536000"
    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_short_secret_key_is_refused():
    environment = {**documented_environment(), "SECRET_KEY": "x" * 20 + "y" * 20 + "0123456789"[:9]}
    result = manage("check", **environment)
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_debug_is_off_unless_set_so_no_key_means_no_start():
    """Without DEBUG the settings are production's: with no SECRET_KEY they refuse to start, where DEBUG=1 would have
    fallen back to the development key."""
    environment = {k: v for k, v in documented_environment().items() if k not in ("DEBUG", "SECRET_KEY")}
    refused = manage("check", **environment)
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    assert manage("check", **environment, DEBUG="1").returncode == 0
