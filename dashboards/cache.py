"""The dashboards' cache: every entry is keyed by progress_version(), which each recompute bumps, so a recompute
invalidates every figure without anyone deleting a key."""

import hashlib
import threading
import time

from django.core.cache import cache

from progress.services import progress_version

TIMEOUT = 60 * 60  # an hour: entries die with the version anyway; the timeout only bounds what a change outside the
# Progress table (a plan edit in the admin, a new upload not yet recomputed) waits for.
_MISSING = object()
# The shape of what is cached: bumped when it changes, so that after a deploy no process reads an entry pickled by
# the code before it (2: table cells became dashboards.pages.cells.Cell instead of tuples; 3: the plan's frames carry
# English titles, area parents and indicator definitions, and charts say whether they export XLSX; 4: quarter frames
# carry the years of yearly duties; 5: charts carry a legend line, rows whether their data is approved).
LAYOUT = 5


def cache_key(name: str, parts: tuple) -> str:
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()
    return f"dash:{name}:{progress_version()}:{LAYOUT}:{digest}"


def versioned(name: str, parts: tuple, build, timeout: int = TIMEOUT):
    """The cached value of build() for (name, parts) under the current progress version."""
    key = cache_key(name, parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
    return value


_memo: dict[str, tuple[float, object]] = {}
_memo_lock = threading.Lock()


def memoised(name: str, parts: tuple, build, timeout: int = TIMEOUT):
    """versioned(), remembered in this process as well: for what every request needs (the plan's frames), which
    would otherwise be unpickled from the shared cache on every request. Keyed by the version like the rest."""
    key = cache_key(name, parts)
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = versioned(name, parts, build, timeout)
    with _memo_lock:
        for stale in [
            k for k, (expires, _v) in _memo.items() if expires <= now or k.split(":")[:2] == key.split(":")[:2]
        ]:
            del _memo[stale]
        _memo[key] = (now + timeout, value)
    return value


def forget_memo() -> None:
    """Drop what this process remembers (tests empty the shared cache, which starts the version again at 1)."""
    with _memo_lock:
        _memo.clear()
