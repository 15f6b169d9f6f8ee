"""PostgreSQL through Django's own backend, as a transaction pooler (PgBouncer) needs it: no
statement prepared on the server, no setting left on a connection that another client may
get next, and a connection the server ended replaced before the next request uses it."""

import select

import psycopg
import pytest
from django.conf import settings
from django.db import close_old_connections, connection

from accounts.models import User
from journal import services
from tests.services import require_direct_postgres, require_postgres, wait_for


@pytest.fixture
def postgres():
    require_postgres()


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_database_is_djangos_own_backend(postgres):
    database = settings.DATABASES["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert not database["OPTIONS"].get("server_side_binding")


def test_no_statement_is_prepared_on_the_server(postgres, alice):
    for _ in range(10):  # psycopg prepares a statement run prepare_threshold times, if set
        User.objects.get(pk=alice.pk)
        services.entry_create(user=alice, kind="gratitude", day=alice.local_today(), moments="A")

    assert _prepared_statements() == []


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_the_next_request(alice):
    require_direct_postgres()  # behind PgBouncer the server's connections are the pooler's
    close_old_connections()  # what every request starts with (Django's test client skips it)
    assert User.objects.get(pk=alice.pk) == alice
    kept = connection.connection
    ended = kept.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "autocommit": True}) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended])
    wait_for(lambda: select.select([kept.fileno()], [], [], 0)[0], seconds=10)

    close_old_connections()
    assert User.objects.get(pk=alice.pk) == alice
    assert connection.connection.info.backend_pid != ended
