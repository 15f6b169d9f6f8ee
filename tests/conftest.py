import re
from functools import cache as once

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from accounts.models import User
from core import crypto
from selfhelp.celery import app

from .factories import TherapistFactory, UserFactory
from .services import require_redis


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits, cached pages and cached data keys never leak from one test into the next."""
    _refuse_a_shared_redis_database()
    cache.clear()
    crypto.forget_keys()


@once
def _own_redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, client_name=settings.TEST_REDIS_CLIENT_NAME)


def _refuse_a_shared_redis_database() -> None:
    """Another client on this process's Redis database is another test run (or a server): its
    `cache.clear()` between two requests of a test here empties the rate limits, sessions and
    queued tasks the test counts on, and the test fails for a reason that is not in it. So the
    test fails first, saying so."""
    if not settings.REDIS_URL:
        return
    own = _own_redis()
    db = str(own.connection_pool.connection_kwargs.get("db", 0))
    others = [
        f"{client['addr']} (last command: {client['cmd']})"
        for client in own.client_list()
        if client["db"] == db and client["name"] != settings.TEST_REDIS_CLIENT_NAME
    ]
    if others:
        pytest.fail(
            f"Redis database {db} is in use by another client too: {', '.join(others)}; "
            "`ss -tnp` names its process. Give each test run a REDIS_URL of its own: "
            "redis://…/N uses database N with -n 0, and N+1 to N+K with -n K.",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Rows a module-scoped fixture writes once for every test in its module.

    They live in a transaction that is rolled back when the module's last test is done. Each
    test still asks for `db`, and so runs in a savepoint of its own, rolled back after it:
    what one test changes, the next never sees. For a fixture that builds the same rows for
    hundreds of tests (the access matrices), where building them took most of the test's time.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def new_alice() -> User:
    """A client: owner of the journal entries in access tests."""
    return UserFactory(email="alice@example.com", display_name="Alice", time_zone="Europe/London")


def new_bob() -> User:
    """Alice's therapist, with two-step login set up."""
    return TherapistFactory(email="bob@example.com", display_name="Bob")


def new_charlie() -> User:
    """A stranger to Alice and Bob."""
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def alice(db) -> User:
    return new_alice()


@pytest.fixture
def bob(db) -> User:
    return new_bob()


@pytest.fixture
def charlie(db) -> User:
    return new_charlie()


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def too_long(limit: int, length: int) -> str:
    """What a form says of a text past its limit (core.forms.LengthLimit), as it reads."""
    return (
        f"Keep it to {limit:,} characters: this has {length:,}. "
        "Nothing is lost: shorten it and save again."
    )


def assert_refused(response, message: str, *kept: str) -> None:
    """A refused form says why and shows again what was typed: bad input loses nothing."""
    page = response.content.decode()
    assert message in page
    for text in kept:
        assert text in page


def form_token(response, *, action: str = "") -> str:
    """The one-time token the page's entry form carries, as a browser sends it back: the
    first form's, or the one sent to `action` on a page of several."""
    page = response.content.decode()
    if action:
        page = page[page.index(f'action="{action}"') :]
    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', page)
    assert found, "the page's form carries no token"
    return found[1]


def _close_other_sessions() -> None:
    """The worker thread keeps its own database connection; end it so teardown can drop the db."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def redis_worker(transactional_db):
    """A real Celery worker in a thread, consuming from Redis."""
    require_redis()
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker
    _close_other_sessions()


@pytest.fixture
def eager_celery():
    """Celery tasks run in the test's own thread, so nothing lands in a real queue."""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
