"""Sessions on Redis and PostgreSQL (`cached_db`): read from Redis, so a signed-in page's
session costs no query on a warm cache; kept in the database, so losing Redis logs no one out."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tests.services import require_redis

pytestmark = pytest.mark.redis


@pytest.fixture
def signed_in(client, alice):
    require_redis()
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client.post(reverse("account_login"), {"login": "alice@example.com", "password": PASSWORD})
    return client


def _session_queries(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    return page, [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_signed_in_page_reads_its_session_without_a_query_on_a_warm_cache(signed_in):
    signed_in.get("/")

    page, session_queries = _session_queries(signed_in)

    assert "Hello, Alice" in page
    assert session_queries == []


def test_an_emptied_redis_logs_no_one_out(signed_in):
    cache.clear()  # what a Redis restart without persistence leaves

    page, session_queries = _session_queries(signed_in)

    assert "Hello, Alice" in page
    assert len(session_queries) == 1  # read from the database, and cached again
    assert _session_queries(signed_in)[1] == []
