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


def require_chromium() -> None:
    require("Chromium", CHROMIUM.exists(), "apt-get install -y chromium")
