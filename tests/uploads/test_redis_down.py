"""The page cache may share the broker's Redis: with Redis down the dashboards still answer, built without the cache."""

import pytest

from dashboards.cache import forget_memo
from liaoning_eco.settings import page_cache
from tests.live import RedisServer

pytestmark = pytest.mark.worker  # needs redis-server


@pytest.fixture
def dead_redis_cache(settings):
    server = RedisServer()
    server.stop()
    settings.CACHES = {"default": page_cache(server.url.replace("redis://", "rediscache://"))}
    forget_memo()
    yield
    forget_memo()


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/city/210100/", "/dashboard/league/", "/"])
def test_pages_answer_while_the_cache_redis_is_down(client, province_user, dead_redis_cache, path):
    client.force_login(province_user)
    response = client.get(path)
    assert response.status_code == 200


def test_a_redis_cache_url_gets_a_cache_that_degrades():
    cache = page_cache("rediscache://127.0.0.1:6379/1")
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert page_cache("locmemcache://x")["BACKEND"].endswith("LocMemCache")
