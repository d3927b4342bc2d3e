"""The test suite's settings: the project's own (production defaults), plus the demo app (its generator is tested), a
fast password hasher (the real one spends a fifth of a second per password on purpose), plain HTTP for the test client
and the live server, and static files straight from the app folders (the tests do not run collectstatic)."""

import os
import secrets

# Before the settings read them; Celery worker and server subprocesses inherit them.
os.environ.setdefault("DEMO_MODE", "1")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
