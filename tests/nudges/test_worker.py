"""A real Celery worker, through Redis, runs the beat-scheduled dispatchers and sends the daily
nudge and the weekly check-in reminder (its clock moved with time-machine, not waited for)."""

import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from health.models import Heartbeat
from nudges import weekly
from nudges.models import CheckInDelivery, NudgeDelivery, ReminderSchedule
from nudges.services import schedule_next_due
from tests.factories import UserFactory
from tests.services import beat, wait_for

from .conftest import reminder


@pytest.fixture
def _eager_celery():
    """Overrides the package's eager mode: here every task goes through Redis."""
    yield


def test_worker_sends_the_due_nudge_once_through_redis(redis_worker):
    dana = UserFactory(email="dana@example.com", time_zone="Asia/Kolkata")
    now = timezone.now().astimezone(dana.zone)
    schedule = reminder(dana, at=now.time().replace(second=0, microsecond=0))
    # Her reminder time is this very minute: it fell due since the last beat tick.
    due = schedule_next_due(schedule=schedule, after=now - timedelta(minutes=1))
    ReminderSchedule.objects.filter(pk=schedule.pk).update(next_due_at=due)

    beat("dispatch-nudges")
    beat("dispatch-nudges")  # beat fires twice
    beat("worker-heartbeat")  # runs after both dispatches: the worker takes one at a time
    wait_for(lambda: NudgeDelivery.objects.filter(status="sent").exists())
    wait_for(Heartbeat.objects.exists)

    assert [m.to for m in mail.outbox] == [["dana@example.com"]]
    assert mail.outbox[0].subject == "A small step for today"
    delivery = NudgeDelivery.objects.get()
    assert (delivery.status, delivery.local_date) == ("sent", now.date())
    assert ReminderSchedule.objects.get(pk=schedule.pk).next_due_at == due + timedelta(days=1)


# Sunday 29 March 2026, the day London goes from GMT to BST: 19:00 local is 18:00 UTC.
WEEKLY_DUE = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)


def test_worker_sends_the_weekly_reminder_once_on_the_local_day_across_dst(redis_worker):
    dana = UserFactory(email="dana@example.com", time_zone="Europe/London")
    with time_machine.travel(WEEKLY_DUE - timedelta(days=3), tick=False):
        weekly.reminder_update(user=dana, enabled=True, weekday=6, local_time=clock(19, 0))

    with time_machine.travel(WEEKLY_DUE - timedelta(minutes=1), tick=True):
        beat("dispatch-check-in-reminders")  # a minute early: nothing is due yet
        time.sleep(1)
        assert not CheckInDelivery.objects.exists()

    with time_machine.travel(WEEKLY_DUE + timedelta(seconds=20), tick=True):
        beat("dispatch-check-in-reminders")
        beat("dispatch-check-in-reminders")  # beat fires twice
        wait_for(lambda: CheckInDelivery.objects.filter(status="sent").exists())
        beat("sweep-deliveries")
        time.sleep(1)

    assert [m.to for m in mail.outbox] == [["dana@example.com"]]
    assert mail.outbox[0].subject == "Time for your weekly check-in"
    delivery = CheckInDelivery.objects.get()
    assert (delivery.status, str(delivery.week_start), delivery.due_at) == (
        "sent",
        "2026-03-23",
        WEEKLY_DUE,
    )
