"""The backup drill, shortened: back up, drop the database, restore, find every row; then
delete an account and find its texts in the backup taken before shut to the live keys."""

import pytest

pytestmark = pytest.mark.drills


def test_a_backup_restores_every_row_and_forgets_a_deleted_account(drill):
    # One run for both: the drill takes most of a minute.
    findings = drill("backup_restore", "--users", "2", "--entries", "3")

    figures = findings.figures
    assert figures["differences"] == 0
    assert figures["tables"] > 30 and figures["rows"] > 100
    # Crypto-shredding: the backup restored into a second database is the whole backup, the
    # deleted person's texts in it all refuse the live keys, and everyone else's all open.
    assert figures["shred_rows_compared"] == figures["rows"]
    assert figures["shred_deleted_texts"] > 0 and figures["shred_deleted_open"] == 0
    assert figures["shred_others_texts"] > 0 and figures["shred_others_refused"] == 0
    assert figures["shred_refused"] == figures["shred_deleted_texts"]
    assert findings.failures == []
