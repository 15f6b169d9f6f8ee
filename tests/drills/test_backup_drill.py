"""The backup drill, shortened: back up, drop the database, restore, find every row."""

import pytest

pytestmark = pytest.mark.drills


def test_a_backup_restores_every_row_of_every_table(drill):
    findings = drill("backup_restore", "--users", "2", "--entries", "3")

    figures = findings.figures
    assert figures["differences"] == 0
    assert figures["tables"] > 30 and figures["rows"] > 100
    assert findings.failures == []
