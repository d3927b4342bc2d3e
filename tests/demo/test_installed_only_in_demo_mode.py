"""The demo app is installed only with DEMO_MODE=1: production settings leave it out, and nothing imports it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; from django.core.management import "
    "get_commands; print('demo' in settings.INSTALLED_APPS, 'load_demo' in get_commands())"
)


def _installed(demo_mode: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DEMO_MODE"}
    env["DJANGO_SETTINGS_MODULE"] = "liaoning_eco.settings"
    env.setdefault("SECRET_KEY", "a-production-like-secret-key-for-this-probe-only-0123456789")
    if demo_mode is not None:
        env["DEMO_MODE"] = demo_mode
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_production_settings_run_without_the_demo_app():
    assert _installed(None) == "False False"
    assert _installed("0") == "False False"


def test_demo_mode_installs_it():
    assert _installed("1") == "True True"
