"""A PostgreSQL database of a benchmark's own: created, set up, and dropped at the end whatever happens.

Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432); createdb and dropdb on the PATH.
"""

import io
import os
import subprocess
import time
from urllib.parse import urlparse

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_name(kind: str) -> str:
    return f"bench_{kind}_{os.getpid()}"


def pg_args() -> list[str]:
    url = urlparse(PG_URL)
    return ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]


def create_database(name: str) -> None:
    subprocess.run(["createdb", *pg_args(), name], check=True)


def drop_database(name: str) -> None:
    subprocess.run(["dropdb", *pg_args(), "--if-exists", "--force", name], check=False)


def run_on_fresh_database(name: str, run, **environment) -> int:
    """Create `name`, point Django at it with production-like settings (and `environment`), migrate, load the plan,
    call run(), and drop the database whatever happens."""
    create_database(name)
    ready = False
    try:
        os.environ.update(
            DATABASE_URL=f"{PG_URL}/{name}",
            DEBUG="0",  # as in production: no query log kept in memory
            SECRET_KEY="bench-only-" + os.urandom(32).hex(),  # production refuses keys under 50 characters
            LOG_LEVEL="WARNING",
            **environment,
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaoning_eco.settings")
        import django

        django.setup()
        ready = True
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_plan", verbosity=0, stdout=io.StringIO())
        print(f"database {name}: migrate + load_plan in {time.perf_counter() - started:.1f} s")
        run()
        return 0
    finally:
        if ready:
            from django.db import connections

            connections.close_all()
        drop_database(name)
