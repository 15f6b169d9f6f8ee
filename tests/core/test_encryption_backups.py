"""On PostgreSQL: a dump holds no journal text, and a backup taken before an account was
deleted cannot open that person's text (README, "Encryption at rest")."""

import os
import subprocess

import psycopg
import pytest
from django.db import connection
from django.test import override_settings

from accounts import services as account_services
from accounts.models import DataKey
from core import crypto
from journal.kinds import KINDS
from tests.factories import GratitudeFactory
from tests.services import require_direct_postgres

from .encryption_helpers import NEW_MASTER, plant_everything

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    return os.environ | {
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
        "PGPASSWORD": db["PASSWORD"] or "",
    }


def _pg(*argv: str) -> str:
    result = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True, check=True)
    return result.stdout


def _server(database: str = "postgres") -> psycopg.Connection:
    env = _pg_env()
    return psycopg.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=env["PGPASSWORD"],
        dbname=database,
        autocommit=True,
    )


def test_a_database_dump_holds_none_of_the_text_written(alice, bob):
    require_direct_postgres()
    planted = plant_everything(alice, bob, marker="PLANTED7Q")

    dump = _pg("pg_dump", "--no-owner", connection.settings_dict["NAME"])

    kinds = {
        text.split("-")[1] for model, _, field, text, _ in planted if model.__name__ == "Entry"
    }
    kinds &= set(KINDS)
    tables = sorted({model.__name__ for model, *_ in planted})
    print(f"{len(planted)} texts planted in {len(kinds)} kinds and {len(tables)} tables: {tables}")
    assert len(planted) > 30
    assert "PLANTED7Q".casefold() not in dump.casefold()
    assert dump.count("enc1:") == len(planted)  # the rows are there, sealed


def test_a_backup_from_before_a_deletion_cannot_open_the_deleted_persons_text(
    alice, charlie, tmp_path
):
    require_direct_postgres()
    hers = GratitudeFactory(user=alice, moments="Alice's forgotten words")
    his = GratitudeFactory(user=charlie, moments="Charlie's words")
    backup = tmp_path / "before.dump"
    live = connection.settings_dict["NAME"]
    _pg("pg_dump", "--format=custom", "--no-owner", f"--file={backup}", live)

    alice_id = alice.pk
    account_services.account_delete(user=alice)
    crypto.forget_keys()  # as a server started after the deletion

    restored = f"{live}_restored"
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        server.execute(f'CREATE DATABASE "{restored}"')
    try:
        _pg("pg_restore", "--no-owner", f"--dbname={restored}", str(backup))
        with _server(restored) as old:
            row = "SELECT moments FROM journal_entry WHERE id = %s"
            her_text = old.execute(row, [hers.pk]).fetchone()[0]
            his_text = old.execute(row, [his.pk]).fetchone()[0]
            key = "SELECT key_id, wrapped FROM accounts_datakey WHERE user_id = %s"
            key_id, wrapped = old.execute(key, [alice_id]).fetchone()
    finally:
        with _server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{restored}"')

    # The live database has no key of hers: the restored text does not open with live keys.
    assert not DataKey.objects.filter(user_id=alice_id).exists()
    assert her_text.startswith(f"enc1:{alice_id}:") and "forgotten" not in her_text
    with pytest.raises(crypto.DecryptionError, match="is gone"):
        crypto.decrypt_text(her_text)
    assert crypto.decrypt_text(his_text) == "Charlie's words"  # those still here read on
    # The backup's own copy of her key opens only with the master key that wrapped it: once
    # rotate_keys has moved to a new master key and the old one is removed, nothing opens it.
    assert crypto.unwrap(alice_id, key_id, wrapped)
    with (
        override_settings(CLOSER_ENCRYPTION_KEYS=[NEW_MASTER]),
        pytest.raises(crypto.DecryptionError),
    ):
        crypto.unwrap(alice_id, key_id, wrapped)
