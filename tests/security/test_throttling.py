"""API request rates: per signed-in user and per anonymous address, 429 with Retry-After past the rate."""

import pytest
from rest_framework.settings import api_settings


@pytest.fixture(autouse=True)
def fresh_counts():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }


def test_production_rates_are_set_for_users_and_anonymous_callers():
    rates = api_settings.DEFAULT_THROTTLE_RATES
    assert rates["user"] == "1200/hour" and rates["anon"] == "30/minute"
    assert {c.scope for c in api_settings.DEFAULT_THROTTLE_CLASSES} == {"anon", "user"}


def test_a_signed_in_user_gets_429_past_their_rate(client, province_user, low_rates):
    client.force_login(province_user)
    answers = [client.get("/api/areas/").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    refused = client.get("/api/targets/")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60


def test_the_rate_is_per_user(client, province_user, auditor, low_rates):
    client.force_login(province_user)
    for _ in range(5):
        client.get("/api/areas/")
    client.force_login(auditor)
    assert client.get("/api/areas/").status_code == 200


def test_anonymous_callers_are_throttled_per_address(client, low_rates):
    answers = [client.get("/api/areas/", REMOTE_ADDR="10.8.8.8").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    assert client.get("/api/areas/", REMOTE_ADDR="10.8.8.9").status_code == 401
