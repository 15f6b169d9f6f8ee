"""The sweeper: a lost task's deliveries queued again; too late, or lost mid-send, given up."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from nudges.models import NudgeDelivery
from nudges.services.dispatch import dispatch_due
from nudges.services.sweep import Sweep, deliveries_sweep
from nudges.tasks import expire_old_nudges, send_nudges, sweep_stale_nudges

from .conftest import EVENING, set_reminders, statuses


@pytest.mark.django_db
def test_worker_killed_while_sending_is_not_retried(django_capture_on_commit_callbacks, at, alice):
    set_reminders(alice)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        dispatch_due(now=EVENING)
    # The worker marked it sending and died before it could record what happened.
    NudgeDelivery.objects.update(status="sending", sending_at=EVENING)

    with at(EVENING + timedelta(minutes=11)):
        sweep_stale_nudges.apply()
        send_nudges.apply(kwargs={"delivery_ids": [NudgeDelivery.objects.get().pk]})

    delivery = NudgeDelivery.objects.get()
    assert mail.outbox == []
    assert (delivery.status, delivery.error) == (
        "failed",
        "The worker stopped while sending. Not tried again, so it is never sent twice.",
    )


@pytest.mark.django_db
def test_lost_send_task_is_queued_again_by_the_sweeper(
    django_capture_on_commit_callbacks, dispatch, at, alice
):
    set_reminders(alice)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        dispatch_due(now=EVENING)  # the broker lost the send task

    with at(EVENING + timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=EVENING + timedelta(minutes=5))  # too soon to tell
    assert mail.outbox == []
    with at(EVENING + timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        sweep = deliveries_sweep(now=EVENING + timedelta(minutes=11))
    with at(EVENING + timedelta(minutes=16)), django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=EVENING + timedelta(minutes=16))

    assert sweep == Sweep(requeued=1, given_up=0, lost=0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert statuses() == [("alice@example.com", "sent")]


@pytest.mark.django_db
def test_nudge_not_sent_within_two_hours_is_given_up(django_capture_on_commit_callbacks, at, alice):
    set_reminders(alice)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        dispatch_due(now=EVENING)

    later = EVENING + timedelta(hours=2, minutes=1)
    with at(later), django_capture_on_commit_callbacks(execute=True):
        sweep = deliveries_sweep(now=later)

    assert sweep == Sweep(requeued=0, given_up=1, lost=0)
    assert mail.outbox == []
    assert statuses() == [("alice@example.com", "failed")]


@pytest.mark.django_db
def test_the_sweep_looks_back_one_day(django_capture_on_commit_callbacks, at, alice, charlie):
    # Alice's nudge waited 23 hours (the sweeper was down): given up. Charlie's is two days
    # old: older than the sweep reads (by due time, the index the sender never writes), and
    # left as it was rather than looked for through every nudge ever sent.
    set_reminders(alice, charlie)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        dispatch_due(now=EVENING)
    NudgeDelivery.objects.filter(user=charlie).update(due_at=EVENING - timedelta(days=1))

    later = EVENING + timedelta(hours=23)
    with at(later), django_capture_on_commit_callbacks(execute=True):
        sweep = deliveries_sweep(now=later)

    assert sweep == Sweep(requeued=0, given_up=1, lost=0)
    assert statuses() == [("alice@example.com", "failed"), ("charlie@example.com", "claimed")]


@pytest.mark.django_db
def test_nudges_past_their_retention_are_deleted_and_recent_ones_kept(settings, alice):
    settings.NUDGE_RETENTION_DAYS = 90
    for days_ago in (91, 89):
        due = EVENING - timedelta(days=days_ago)
        NudgeDelivery.objects.create(
            user=alice, local_date=due.date(), due_at=due, claimed_at=due, queued_at=due
        )

    with time_machine.travel(EVENING, tick=False):
        deleted = expire_old_nudges()

    assert deleted == 1
    assert list(NudgeDelivery.objects.values_list("local_date", flat=True)) == [
        (EVENING - timedelta(days=89)).date()
    ]
