"""A kept database connection is checked before each request without a round trip, and one
the server ended is replaced before the request uses it; one new row's INSERT is reused."""

import select

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql import base as django_postgresql
from django.db.models import Value
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from journal import services
from journal.models import Entry
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


def _stored(entry: Entry) -> dict:
    return {f.attname: getattr(entry, f.attname) for f in Entry._meta.concrete_fields}


def test_new_rows_saved_through_the_reused_insert_are_stored_as_given(postgres, alice):
    saved = [
        services.entry_create(user=alice, kind="gratitude", day=alice.local_today(), **fields)
        for fields in (
            {"moments": "First", "moment_kinds": ["caring"]},
            {"moments": 'Second, "quoted"\nline', "moment_kinds": ["funny", "caring"]},
        )
    ]
    bid = services.entry_create(
        user=alice, kind="bid", day=alice.local_today(), made_by="me", what="Asked", response="away"
    )

    for entry in [*saved, bid]:
        assert _stored(Entry.objects.get(pk=entry.pk)) == _stored(entry)
    assert [e.moments for e in Entry.objects.filter(kind="gratitude").order_by("pk")] == [
        "First",
        'Second, "quoted"\nline',
    ]


def test_an_insert_with_an_expression_is_compiled_as_django_compiles_it(postgres, alice):
    entry = Entry.objects.create(
        user=alice, kind="gratitude", day=alice.local_today(), moments=Upper(Value("loud"))
    )
    entry.refresh_from_db()

    assert entry.moments == "LOUD"


def _prepared_statements() -> list[str]:
    """The statements prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_signed_in_users_query_is_prepared_once_and_still_logged(postgres, alice):
    with CaptureQueriesContext(connection) as queries:
        first = User.objects.get(pk=alice.pk)
        second = User.objects.get(pk=alice.pk)
    prepared = _prepared_statements()

    assert first == second == alice
    assert len(queries) == 2  # what the benchmark's query column counts
    assert [s for s in prepared if 'FROM "accounts_user"' in s] != []


def test_a_new_rows_insert_is_prepared_and_still_logged(postgres, alice):
    with CaptureQueriesContext(connection) as queries:
        for moments in ("First", "Second"):
            services.entry_create(
                user=alice, kind="gratitude", day=alice.local_today(), moments=moments
            )
    prepared = _prepared_statements()

    assert len(queries) == 2
    assert [s for s in prepared if s.startswith('INSERT INTO "journal_entry"')] != []
    assert sorted(Entry.objects.values_list("moments", flat=True)) == ["First", "Second"]
