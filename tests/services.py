"""Which real services this machine offers the tests.

Locally a missing service skips the tests that need it, saying what to install;
under CI (CI=true) it is a failure, never a skip.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def require(what: str, available: bool, how: str) -> None:
    if available:
        return
    message = f"{what} is not available: {how}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_redis() -> None:
    require(
        "Redis",
        bool(os.environ.get("REDIS_URL")),
        "start redis-server and set REDIS_URL=redis://127.0.0.1:6379/0",
    )


def require_postgres() -> None:
    require(
        "PostgreSQL",
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        "start PostgreSQL and set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
    )


def require_direct_postgres() -> None:
    """PostgreSQL itself, not through a pooler (.ci/run's second pass goes through PgBouncer,
    which stands between each client and the server's own connections)."""
    require_postgres()
    if os.environ.get("DATABASE_POOLER"):
        pytest.skip(f"talks to PostgreSQL through {os.environ['DATABASE_POOLER']}")


def require_chromium() -> None:
    require("Chromium", CHROMIUM.exists(), "apt-get install -y chromium")


def wait_for(condition, seconds: float = 30) -> None:
    """Poll until `condition()` is true, or the time is up (the test's assertions then say why)."""
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def beat(entry: str) -> None:
    """Send a task exactly as beat does for this entry of the schedule, to the real worker."""
    from django.conf import settings

    from selfhelp.celery import app

    task = settings.CELERY_BEAT_SCHEDULE[entry]
    app.send_task(task["task"], **task.get("options", {}))
