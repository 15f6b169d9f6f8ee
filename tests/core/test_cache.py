"""While Redis is down the cache reads as empty, so signing in and signed-in pages still work,
and what it missed is not read stale once it is back (core/cache.py)."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD
from tests.services import require_redis


@pytest.fixture
def redis_down(settings):
    redis_down_for(settings)


def redis_down_for(settings) -> None:
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


def test_signed_in_pages_keep_working_while_redis_is_down(alice_client, settings, redis_down):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

    assert "Hello, Alice" in alice_client.get("/").content.decode()


@pytest.mark.redis
def test_a_key_deleted_while_redis_was_down_is_gone_once_it_answers_again(settings):
    """A logout during a network split must not come back with Redis's old copy."""
    require_redis()
    live = settings.CACHES
    cache.set("django.contrib.sessions.cached_db.abc", {"_auth_user_id": "1"})
    redis_down_for(settings)
    cache.delete("django.contrib.sessions.cached_db.abc")  # dropped: Redis is unreachable

    settings.CACHES = live

    assert cache.get("django.contrib.sessions.cached_db.abc", "gone") == "gone"
