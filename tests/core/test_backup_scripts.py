"""scripts/backup's rotation and both scripts' refusals, without a database; the drill
`backup_restore` (tests/drills) backs up and restores a real one."""

import os
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str, *argv: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    return subprocess.run(
        [str(ROOT / "scripts" / name), *argv], env=environ, capture_output=True, text=True
    )


def _backups(folder: Path, ages: list[int], at: str = "030000") -> None:
    """Backups made `ages` days ago (UTC), at `at` o'clock."""
    today = datetime.now(UTC).date()
    for age in ages:
        (folder / f"closer-{today - timedelta(days=age):%Y%m%d}T{at}Z.dump").touch()


def _kept(folder: Path) -> dict[int, date]:
    """The backups left, by age in days."""
    today = datetime.now(UTC).date()
    days = [datetime.strptime(p.name[7:15], "%Y%m%d").date() for p in folder.glob("closer-*")]
    return {(today - day).days: day for day in days}


def test_rotation_keeps_seven_daily_then_four_weekly(tmp_path):
    _backups(tmp_path, list(range(60)))
    _backups(tmp_path, [0], at="000000")  # an earlier one today: only the newer stays
    partial = tmp_path / ".closer-20261207T130000Z.dump.partial"  # one being written
    partial.touch()
    (tmp_path / "notes.txt").touch()  # not ours

    result = _script("backup", "--rotate", BACKUP_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    kept = _kept(tmp_path)
    assert len(list(tmp_path.glob("closer-*"))) == len(kept) == 11
    assert sorted(kept)[:7] == list(range(7))  # daily
    weekly = sorted(kept)[7:]
    assert len({kept[age].isocalendar()[:2] for age in weekly}) == 4  # one in each week
    assert all(kept[age].isoweekday() == 7 for age in weekly[1:])  # each week's newest
    assert max(weekly) < 35
    assert (tmp_path / f"closer-{kept[0]:%Y%m%d}T030000Z.dump").exists()
    assert partial.exists() and (tmp_path / "notes.txt").exists()
    assert result.stdout.count("removed ") == 50


def test_rotation_removes_what_is_past_five_weeks_however_few(tmp_path):
    _backups(tmp_path, [0, 1, 9, 40, 90])

    _script("backup", "--rotate", BACKUP_DIR=str(tmp_path))

    assert sorted(_kept(tmp_path)) == [0, 1, 9]


def test_backup_on_the_embedded_database_says_what_to_do(tmp_path):
    result = _script("backup", BACKUP_DIR=str(tmp_path))

    assert result.returncode == 2
    assert "Closer is on its embedded SQLite database." in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "closer.dump"
    not_a_backup.write_text("SELECT 1;")

    result = _script(
        "restore", str(not_a_backup), DATABASE_URL="postgres://nobody@127.0.0.1:1/none"
    )

    assert result.returncode == 2
    assert "is not a backup pg_restore can read" in result.stderr
