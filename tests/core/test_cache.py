"""While Redis is down the cache reads as empty, so signing in still works (core/cache.py)."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def redis_down(settings):
    """The cache pointed at a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def test_cache_reads_as_empty_and_drops_writes_while_redis_is_down(redis_down):
    assert cache.add("lock", True) is True
    cache.set("history", [1, 2, 3])
    assert cache.get("history", "missing") == "missing"
    assert cache.get_many(["history"]) == {}
    with pytest.raises(ValueError):
        cache.incr("history")


def test_sign_in_works_while_redis_is_down(client, alice, redis_down):
    response = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD}
    )

    assert (response.status_code, response.url) == (302, "/")
    assert "Hello, Alice" in client.get("/").content.decode()
