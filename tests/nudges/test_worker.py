"""A real Celery worker, through Redis, runs the beat-scheduled dispatcher and sends the nudge."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from health.models import Heartbeat
from nudges.models import NudgeDelivery, ReminderSchedule
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
