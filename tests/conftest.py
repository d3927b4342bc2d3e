"""Shared fixtures: the plan loaded from the real fixture, users of every role."""

# Imports of Django code sit inside the fixtures, so tests of pure functions (progress/engine.py) run without Django.
from functools import cache

import pytest

# Tests that take seconds each: a real browser, a real worker, a whole demo load, every URL or API operation.
SLOW = ("browser", "worker", "slow")


def pytest_collection_modifyitems(items):
    """The slow tests first (after pytest-django's own order, kept among them): the two test processes share them out
    from the start and end together on quick ones, instead of one process still running a long test it picked up
    last. That puts transactional tests before database ones: plan_after_flush keeps them cheap."""
    items.sort(key=lambda item: not any(item.get_closest_marker(name) for name in SLOW))


@cache
def _plan_fixture():
    from targets.fixture import read_plan_fixture

    return read_plan_fixture()


def _ensure_plan() -> None:
    from targets.models import Target
    from targets.services import load_plan

    if not Target.objects.exists():
        load_plan(_plan_fixture())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The plan is loaded once, into the fresh test database: each test's transaction rolls back to it."""
    with django_db_blocker.unblock():
        _ensure_plan()


@pytest.fixture(autouse=True)
def plan_after_flush(request, django_db_blocker):
    """A transactional test ends by emptying every table: put the plan back, committed, so that the database tests
    after it find it there instead of each loading it again inside its own rolled-back transaction."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            _ensure_plan()


@pytest.fixture
def plan(db):
    """The whole plan in the test database (already there, unless a transactional test emptied the tables)."""
    _ensure_plan()
    return _plan_fixture()


@pytest.fixture
def shenyang(plan):
    from indicators.models import Area

    return Area.objects.get(code="210100")


@pytest.fixture
def dalian(plan):
    from indicators.models import Area

    return Area.objects.get(code="210200")


@pytest.fixture
def make_user(db):
    from tests.factories import UserFactory

    def make(username, role="province", area=None, **extra):
        return UserFactory(username=username, role=role, area=area, **extra)

    return make


@pytest.fixture
def province_user(make_user, plan):
    return make_user("province", "province")


@pytest.fixture
def city_officer(make_user, shenyang):
    return make_user("officer-sy", "city", shenyang)


@pytest.fixture
def auditor(make_user, plan):
    return make_user("auditor", "auditor")


@pytest.fixture
def admin_user(make_user, plan):
    return make_user("admin", "admin", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's own language, whatever an earlier test in the same process switched to."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def celery_worker(transactional_db, media_root):
    """A real Celery worker process on Redis and this test's database; tasks are sent to it, not run in-process."""
    import redis

    from tests.live import TEST_REDIS_URL, Worker, publishing_to

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()  # no stale messages from an earlier run
    worker = Worker(TEST_REDIS_URL, media_root)
    try:
        with publishing_to(TEST_REDIS_URL):
            yield worker
    finally:
        worker.stop()
