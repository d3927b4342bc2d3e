"""The test suite's settings: the project's own, plus the demo app (its generator is tested) and a fast password
hasher (the real one spends a fifth of a second per password on purpose)."""

import os

os.environ.setdefault("DEMO_MODE", "1")  # before the settings read it; Celery worker subprocesses inherit it

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
