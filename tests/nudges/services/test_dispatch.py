"""The dispatcher: one delivery per user and local date, at the local time, never late."""

import threading
from datetime import UTC, date, datetime, time, timedelta
from time import sleep

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection

from nudges import selectors
from nudges.models import NudgeDelivery, ReminderSchedule
from nudges.services import dispatch as dispatch_module
from nudges.services.dispatch import Claim, schedules_claim
from nudges.tasks import send_nudges
from outbox import selectors as outbox_selectors
from tests.factories import UserFactory
from tests.nudges.conftest import reminder
from tests.services import require_postgres

from .conftest import EVENING, set_reminders


@pytest.mark.django_db
def test_dispatch_sends_one_nudge_at_the_local_time(dispatch, at, alice):
    set_reminders(alice)

    with at(EVENING - timedelta(minutes=1)):
        early = dispatch(EVENING - timedelta(minutes=1))
    with at(EVENING):
        queued = dispatch(EVENING)

    assert (early, queued) == (0, 1)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    delivery = NudgeDelivery.objects.get()
    assert (delivery.status, delivery.local_date, delivery.sent_at) == (
        "sent",
        date(2026, 3, 4),
        EVENING,
    )
    assert ReminderSchedule.objects.get(user=alice).next_due_at == EVENING + timedelta(days=1)


@pytest.mark.django_db
def test_beat_firing_twice_gives_one_nudge(dispatch, at, alice):
    set_reminders(alice)

    with at(EVENING):
        dispatch(EVENING)
        dispatch(EVENING)
    with at(EVENING + timedelta(seconds=30)):
        dispatch(EVENING + timedelta(seconds=30))

    assert len(mail.outbox) == 1
    assert NudgeDelivery.objects.count() == 1


@pytest.mark.django_db
def test_two_dispatchers_interleaved_give_one_nudge(dispatch, at, alice, charlie):
    set_reminders(alice, charlie)

    with at(EVENING):
        seen_by_first = selectors.due_schedule_ids(now=EVENING, limit=500)  # first reads...
        dispatch(EVENING)  # ...the second runs from start to end...
        late_claim = schedules_claim(schedule_ids=seen_by_first, now=EVENING)

    assert len(seen_by_first) == 2
    assert late_claim == Claim(schedules=0, delivery_ids=[])  # ...the first gets none
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]


@pytest.mark.django_db
def test_moving_the_time_later_the_same_day_does_not_nudge_again(dispatch, at, alice):
    set_reminders(alice)
    with at(EVENING):
        dispatch(EVENING)

    with at(EVENING + timedelta(minutes=5)):
        reminder(alice, at=time(21, 0))
    with at(EVENING + timedelta(hours=1)):
        dispatch(EVENING + timedelta(hours=1))

    assert len(mail.outbox) == 1
    assert ReminderSchedule.objects.get(user=alice).next_due_at == datetime(
        2026, 3, 5, 21, 0, tzinfo=UTC
    )


@pytest.mark.django_db
def test_dispatcher_down_for_hours_sends_no_late_nudge(dispatch, at, alice):
    set_reminders(alice)

    with at(EVENING + timedelta(hours=3)):
        dispatch(EVENING + timedelta(hours=3))  # 23:00, three hours late

    assert mail.outbox == []
    assert not NudgeDelivery.objects.exists()
    assert ReminderSchedule.objects.get(user=alice).next_due_at == EVENING + timedelta(days=1)


@pytest.mark.django_db
def test_unconfirmed_or_inactive_users_get_no_nudge(dispatch, at, alice, charlie):
    EmailAddress.objects.filter(user=alice).update(verified=False)
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    set_reminders(alice, charlie)

    with at(EVENING):
        dispatch(EVENING)

    assert mail.outbox == []
    assert not NudgeDelivery.objects.exists()
    next_due = list(ReminderSchedule.objects.values_list("next_due_at", flat=True))
    assert next_due == [EVENING + timedelta(days=1)] * 2


@pytest.mark.django_db
def test_many_users_are_sent_in_batches(dispatch, at, monkeypatch):
    users = UserFactory.create_batch(5, time_zone="Europe/London")
    set_reminders(*users)
    batches = []
    monkeypatch.setattr(dispatch_module, "SEND_BATCH", 2)
    monkeypatch.setattr(send_nudges, "delay", lambda **kw: batches.append(kw["delivery_ids"]))

    with at(EVENING):
        queued = dispatch(EVENING, batch_size=2)

    assert queued == 5
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert len({pk for batch in batches for pk in batch}) == 5


# Two dispatchers at the same moment on PostgreSQL, each on its own connection.
def test_a_second_dispatcher_waits_for_the_first_and_moves_nothing_again(
    transactional_db, alice, charlie, monkeypatch
):
    require_postgres()
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        reminder(alice)
        reminder(charlie)
    holding = threading.Event()
    reachable = outbox_selectors.reachable_user_ids

    def hold_the_rows(user_ids):
        # The first dispatcher has moved both schedules and not committed yet: the second
        # reads them as still due and tries to move them meanwhile.
        if threading.current_thread().name == "first":
            holding.set()
            sleep(1.0)
        return reachable(user_ids)

    monkeypatch.setattr(outbox_selectors, "reachable_user_ids", hold_the_rows)
    results = {}

    def run(name: str) -> None:
        try:
            results[name] = dispatch_module.dispatch_due(now=EVENING)
        finally:
            connection.close()

    with time_machine.travel(EVENING, tick=False):
        first = threading.Thread(target=run, args=["first"], name="first")
        first.start()
        assert holding.wait(timeout=20)
        second = threading.Thread(target=run, args=["second"], name="second")
        second.start()
        first.join(timeout=20)
        second.join(timeout=20)

    assert results == {"first": 2, "second": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]
    assert NudgeDelivery.objects.filter(status="sent").count() == 2


@pytest.mark.django_db
def test_a_schedule_changed_after_the_dispatcher_read_it_is_not_moved(at, alice):
    set_reminders(alice)
    schedule = ReminderSchedule.objects.get(user=alice)
    read = schedule.next_due_at
    later = read + timedelta(hours=1)
    ReminderSchedule.objects.filter(pk=schedule.pk).update(next_due_at=later)  # the user
    schedule.next_due_at = read + timedelta(days=1)  # what the dispatcher would save

    moved = dispatch_module.next_due_save([schedule], was={schedule.pk: read})

    assert moved == set()
    assert ReminderSchedule.objects.get(pk=schedule.pk).next_due_at == later
