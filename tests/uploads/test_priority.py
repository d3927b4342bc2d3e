"""Uploads are processed at a lower priority than pages are served: a pool process of the Celery worker lowers its
own and its session's priority (liaoning_eco.celery.yield_cpu), and the bounded reader's child process runs at the
priority of the process that asked for it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaoning_eco.test_settings"}

# As a Celery pool process starts (liaoning_eco.celery.prepare_pool_process): the fork server first, then the
# lower priority; then a reading, which reports the priority it ran at.
READER = """
import os
import django
django.setup()
from uploads.bounded import run_bounded, start_fork_server
start_fork_server()
os.nice(7)
print(os.nice(0), run_bounded(os.nice, 0, memory_bytes=64 * 1024 * 1024, timeout=30))
"""

# A session of its own (Linux gives it an autogroup) in which a worker's main process forks a pool process that
# yields the CPU; the session's leader then reports its session's priority before and after. With LEADS the worker's
# main process leads the session (started by systemd or setsid); without, it is a child of the leader, as a worker
# started from a shell is.
POOL = """
import os
import sys
from liaoning_eco.celery import yield_cpu

def session_nice():
    with open("/proc/self/autogroup") as group:
        return group.read().split()[-1]

def worker():
    pool = os.fork()
    if pool == 0:
        yield_cpu(7)
        os._exit(0)
    os.waitpid(pool, 0)

before = session_nice()
if sys.argv[1] == "LEADS":
    worker()
else:
    main = os.fork()
    if main == 0:
        worker()
        os._exit(0)
    os.waitpid(main, 0)
print(before, session_nice())
"""


def run(script: str, *args: str, **popen) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120, **popen
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_reader_runs_at_the_lower_priority_its_caller_took_after_starting_the_fork_server():
    caller, reader = run(READER)
    assert int(caller) >= 7
    assert reader == caller


autogroup = pytest.mark.skipif(
    not Path("/proc/self/autogroup").exists(), reason="this kernel groups no sessions (no /proc/self/autogroup)"
)


@autogroup
def test_a_worker_in_a_session_of_its_own_lowers_the_whole_sessions_priority():
    before, after = run(POOL, "LEADS", start_new_session=True)
    assert before == "0"
    assert after == "7"


@autogroup
def test_a_worker_sharing_a_session_leaves_the_sessions_priority_alone():
    before, after = run(POOL, "SHARES", start_new_session=True)
    assert before == "0"
    assert after == "0"
