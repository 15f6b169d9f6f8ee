"""A real Celery worker, through Redis, sends the weekly check-in reminder once, on the chosen
local day after the clocks went forward; the clock is moved, not waited for."""

import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from nudges import weekly
from nudges.models import CheckInDelivery
from selfhelp.celery import app
from tests.factories import UserFactory

# Sunday 29 March 2026, the day London goes from GMT to BST: 19:00 local is 18:00 UTC.
DUE = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)


@pytest.fixture
def _eager_celery():
    """Overrides the package's eager mode: here every task goes through Redis."""
    yield


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def _beat(entry: str) -> None:
    task = settings.CELERY_BEAT_SCHEDULE[entry]
    app.send_task(task["task"], **task.get("options", {}))


def test_worker_sends_the_weekly_reminder_once_on_the_local_day_across_dst(redis_worker):
    dana = UserFactory(email="dana@example.com", time_zone="Europe/London")
    with time_machine.travel(DUE - timedelta(days=3), tick=False):
        weekly.reminder_update(user=dana, enabled=True, weekday=6, local_time=clock(19, 0))

    with time_machine.travel(DUE - timedelta(minutes=1), tick=True):
        _beat("dispatch-check-in-reminders")  # a minute early: nothing is due yet
        time.sleep(1)
        assert not CheckInDelivery.objects.exists()

    with time_machine.travel(DUE + timedelta(seconds=20), tick=True):
        _beat("dispatch-check-in-reminders")
        _beat("dispatch-check-in-reminders")  # beat fires twice
        _wait_for(lambda: CheckInDelivery.objects.filter(status="sent").exists())
        _beat("sweep-check-in-reminders")
        time.sleep(1)

    assert [m.to for m in mail.outbox] == [["dana@example.com"]]
    assert mail.outbox[0].subject == "Time for your weekly check-in"
    delivery = CheckInDelivery.objects.get()
    assert (delivery.status, str(delivery.week_start), delivery.due_at) == (
        "sent",
        "2026-03-23",
        DUE,
    )
