"""Shared fixtures: the plan loaded from the real fixture, users of every role."""

# Imports of Django code sit inside the fixtures, so tests of pure functions (progress/engine.py) run without Django.
from functools import cache

import pytest


@cache
def _plan_fixture():
    from targets.fixture import read_plan_fixture

    return read_plan_fixture()


@pytest.fixture
def plan(db):
    """The whole plan in the test database (loaded once per transaction; cheap when already there)."""
    from targets.models import Target
    from targets.services import load_plan

    if not Target.objects.exists():
        load_plan(_plan_fixture())
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
    from accounts.models import User

    def make(username, role="province", area=None, **extra):
        user = User.objects.create_user(username=username, password="pw-for-tests-1", role=role, area=area, **extra)
        return user

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
