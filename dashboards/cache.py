"""The dashboards' cache: every entry is keyed by progress_version(), which each recompute bumps, so a recompute
invalidates every figure without anyone deleting a key.

A rendered page is kept apart (`latest_or_build`): under one key per page and filters, with the version it was built
under. When a recompute bumps the version, one request at a time in the whole site (the one that takes the rebuild
lock) builds a page again while every other request is served the page as it was, marked as being updated, instead
of all of them rebuilding pages from the database at once: with a few sync web workers, one rebuild per page at once
would occupy every worker and queue every reader behind them. A page is thus never older than the last completed
recompute for longer than the rebuilds of the pages asked for, one after the other (REBUILD_LOCK bounds a rebuilder
that died)."""

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


def cache_key(name: str, parts: tuple, version: int | None = None) -> str:
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()
    return f"dash:{name}:{progress_version() if version is None else version}:{LAYOUT}:{digest}"


PLAN_VERSION_KEY = "dash:plan-version"


def plan_version() -> int:
    """Bumped when the plan or its reference data change, not by a recompute: the plan's frames every page needs
    outlive recomputes, so a burst of uploads does not make every web worker rebuild them at the same moment."""
    return cache.get_or_set(PLAN_VERSION_KEY, 1, None) or 1


def bump_plan_version(**_kwargs) -> None:
    try:
        cache.incr(PLAN_VERSION_KEY)
    except ValueError:  # not set yet (or the cache was emptied): any new value differs from what was memoised
        cache.set(PLAN_VERSION_KEY, int(time.time()), None)


def versioned(name: str, parts: tuple, build, timeout: int = TIMEOUT):
    """The cached value of build() for (name, parts) under the current progress version."""
    key = cache_key(name, parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
    return value


REBUILD_LOCK = 30  # seconds: longer than any page takes to build, shorter than gunicorn's timeout of 60
REBUILD_KEY = "dash:rebuilding"  # one lock for the site: a single web worker rebuilds while the others serve


def latest_or_build(name: str, parts: tuple, build, timeout: int = TIMEOUT) -> tuple[object, bool]:
    """(value, fresh): build() cached for (name, parts) under the current progress version; or, when an earlier
    version's value is kept and another request is already rebuilding it, that earlier value with fresh False."""
    digest = hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()
    key, version = f"dash:{name}:latest:{LAYOUT}:{digest}", progress_version()
    entry = cache.get(key)
    if entry is not None and entry[0] == version:
        return entry[1], True
    if entry is not None and not cache.add(REBUILD_KEY, key, REBUILD_LOCK):
        return entry[1], False
    try:
        value = build()
        cache.set(key, (version, value), timeout)  # under the version read before building: a bump meanwhile rebuilds
    finally:
        if entry is not None:
            cache.delete(REBUILD_KEY)
    return value, True


_memo: dict[str, tuple[float, object]] = {}
_memo_lock = threading.Lock()


def memoised(name: str, parts: tuple, build, timeout: int = TIMEOUT, *, plan_only: bool = False):
    """versioned(), remembered in this process as well: for what every request needs (the plan's frames), which
    would otherwise be unpickled from the shared cache on every request. Keyed by the progress version like the
    rest, or for what depends on the plan alone (plan_only) by the plan's version."""
    key = cache_key(name, parts, plan_version() if plan_only else None)
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
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
