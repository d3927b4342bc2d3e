"""Shared fixtures: the plan loaded from the real fixture, users of every role."""

from functools import cache

import pytest

from accounts.models import User
from indicators.models import Area
from targets.fixture import read_plan_fixture
from targets.models import Target
from targets.services import load_plan


@cache
def _plan_fixture():
    return read_plan_fixture()


@pytest.fixture
def plan(db):
    """The whole plan in the test database (loaded once per transaction; cheap when already there)."""
    if not Target.objects.exists():
        load_plan(_plan_fixture())
    return _plan_fixture()


@pytest.fixture
def shenyang(plan):
    return Area.objects.get(code="210100")


@pytest.fixture
def dalian(plan):
    return Area.objects.get(code="210200")


@pytest.fixture
def make_user(db):
    def make(username, role=User.Role.PROVINCE, area=None, **extra):
        user = User.objects.create_user(username=username, password="pw-for-tests-1", role=role, area=area, **extra)
        return user

    return make


@pytest.fixture
def province_user(make_user, plan):
    return make_user("province", User.Role.PROVINCE)


@pytest.fixture
def city_officer(make_user, shenyang):
    return make_user("officer-sy", User.Role.CITY, shenyang)


@pytest.fixture
def auditor(make_user, plan):
    return make_user("auditor", User.Role.AUDITOR)


@pytest.fixture
def admin_user(make_user, plan):
    return make_user("admin", User.Role.ADMIN, is_staff=True, is_superuser=True)
