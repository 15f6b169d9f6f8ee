from datetime import UTC, datetime, time
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from nudges.models import NudgeDelivery
from tests.factories import UserFactory

from .conftest import reminder

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)


@pytest.fixture
def three_users(db):
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        reminder(UserFactory(email="now@example.com", time_zone="Europe/London"))
        reminder(UserFactory(email="soon@example.com", time_zone="Asia/Kolkata"), at=time(2, 0))
        reminder(UserFactory(email="later@example.com", time_zone="UTC"), at=time(22, 0))


@pytest.fixture(autouse=True)
def _evening():
    with time_machine.travel(NOW, tick=False):
        yield


def _run(*args) -> str:
    out = StringIO()
    call_command("nudges_due", *args, stdout=out)
    return out.getvalue()


def test_nudges_due_lists_who_is_due_in_the_next_hour(three_users):
    assert _run() == (
        "Now: 2026-03-04 20:00 UTC\n"
        "Due now: 1\n"
        "Due in the next 1 hours: 1\n"
        "  2026-03-04 20:00 UTC  now@example.com  (20:00 Europe/London)\n"
        "  2026-03-04 20:30 UTC  soon@example.com  (02:00 Asia/Kolkata)\n"
    )


def test_nudges_due_dry_run_changes_nothing(three_users):
    output = _run("--hours", "3", "--dispatch", "--dry-run")

    assert "Due in the next 3 hours: 2\n" in output
    assert output.endswith("Dry run: would dispatch 1 nudges now; nothing changed.\n")
    assert not NudgeDelivery.objects.exists()
    assert mail.outbox == []


def test_nudges_due_dispatch_sends_what_is_due_now(three_users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = _run("--dispatch")

    assert output.endswith("Dispatched: 1 nudges queued for sending.\n")
    assert [m.to for m in mail.outbox] == [["now@example.com"]]
