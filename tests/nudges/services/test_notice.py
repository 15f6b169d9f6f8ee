"""The home page says once, at the top, that the latest nudge was not sent."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from nudges.models import NudgeDelivery

NOTICE = (
    "Your reminder for Tuesday 3 March was not sent. The mail server refused your email "
    'address. <a href="/reminders/">Check your reminder settings</a>'
)


@pytest.fixture(autouse=True)
def _wednesday_morning():
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        yield


def _delivery(user, day: int, **fields) -> NudgeDelivery:
    instant = datetime(2026, 3, day, 20, 0, tzinfo=UTC)
    return NudgeDelivery.objects.create(
        user=user,
        local_date=date(2026, 3, day),
        due_at=instant,
        claimed_at=instant,
        queued_at=instant,
        **fields,
    )


def _home(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_a_failed_latest_nudge_is_told_on_the_home_page_once(alice_client, alice):
    _delivery(alice, 2, status="sent")
    _delivery(alice, 3, status="failed", error="SMTPRecipientsRefused: {'alice@example.com': 550}")

    first, second = _home(alice_client), _home(alice_client)

    assert NOTICE in first
    assert first.index(NOTICE) < first.index("Today, my partner was…")
    assert "was not sent" not in second
    assert NudgeDelivery.objects.get(local_date=date(2026, 3, 3)).failure_shown is True


def test_an_older_failure_is_not_told_once_a_later_nudge_went_out(alice_client, alice):
    _delivery(alice, 2, status="failed", error="Too late to send.")
    _delivery(alice, 3, status="sent")

    assert "was not sent" not in _home(alice_client)


def test_charlie_is_not_told_of_alices_failed_nudge(client, alice, charlie):
    _delivery(alice, 3, status="failed", error="SMTPRecipientsRefused: {}")
    client.force_login(charlie)

    assert "was not sent" not in _home(client)
    assert NudgeDelivery.objects.get().failure_shown is False


def test_a_head_request_leaves_the_failed_nudge_notice_for_the_next_visit(alice_client, alice):
    _delivery(alice, 3, status="failed", error="SMTPRecipientsRefused: {}")

    alice_client.head(reverse("home"))

    assert "was not sent" in _home(alice_client)
