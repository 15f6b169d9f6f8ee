"""A kept database connection is checked before each request without a round trip, and one
the server ended is replaced before the request uses it."""

import select

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql import base as django_postgresql

from accounts.models import User
from tests.services import require_postgres, wait_for


@pytest.fixture
def postgres():
    require_postgres()


def test_a_healthy_connection_is_checked_without_asking_the_server(postgres, db, monkeypatch):
    connection.ensure_connection()
    asked = []
    monkeypatch.setattr(
        django_postgresql.DatabaseWrapper, "is_usable", lambda self: asked.append(1) or True
    )

    assert (connection.is_usable(), asked) == (True, [])


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_the_next_request(postgres, alice):
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
