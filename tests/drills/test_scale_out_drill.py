"""The scale-out drill, shortened: a web instance, a worker and PgBouncer lost under load."""

import shutil

import pytest

from tests.services import require

pytestmark = pytest.mark.drills


def _installed(name: str) -> bool:
    return bool(shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin"))


def test_two_of_everything_lose_nothing_when_one_of_each_dies(drill):
    require(
        "PgBouncer and HAProxy",
        _installed("pgbouncer") and _installed("haproxy"),
        "apt-get install -y pgbouncer haproxy",
    )
    # The nudges fall due at the next minute boundary, when both beats tick: about half a
    # minute of waiting on average, on top of the faults (two to three minutes in all).
    findings = drill(
        "scale_out",
        *("--users", "6", "--before", "4", "--after", "7"),
        *("--nudged", "1000", "--kill-after", "250"),
    )

    figures = findings.figures
    assert (figures["missing"], figures["doubled"]) == (0, 0)
    assert figures["accepted"] > 0
    # Two beats, one dispatcher claim: nobody gets two; only the nudge each killed worker
    # process had in its hands may be lost.
    assert figures["nudges_doubled"] == 0
    assert figures["nudges_lost"] <= figures["killed"] == 2
    assert findings.failures == []
