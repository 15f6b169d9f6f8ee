"""The web drills, shortened: Redis stopped, PostgreSQL restarted, fifty users writing at once."""

import pytest

pytestmark = pytest.mark.drills


def test_redis_outage_loses_no_entry_and_no_nudge(drill):
    findings = drill("redis_outage", "--in-flight", "500", "--before", "6", "--outage", "10")

    figures = findings.figures
    assert (figures["failed"], figures["missing"], figures["sign_in"]) == (0, 0, 302)
    assert (figures["nudges_lost"], figures["nudges_doubled"]) == (0, 0)
    assert figures["during_outage"] > 0
    assert findings.failures == []


def test_postgres_restart_fails_cleanly_and_recovers_without_a_web_restart(drill):
    findings = drill("postgres_restart", "--before", "3", "--after", "6")

    assert findings.figures["unclean"] == 0
    assert findings.failures == []


def test_fifty_users_writing_at_once_lose_nothing(drill):
    findings = drill("concurrent_writes", "--duration", "10")

    figures = findings.figures
    assert (figures["missing"], figures["doubled"]) == (0, 0)
    assert figures["outcomes"] == {"302": figures["requests"]}
    assert findings.failures == []
