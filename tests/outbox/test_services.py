"""The outbox: every purpose claimed, sent and recorded once, and swept the same way."""

import smtplib
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from nudges import weekly
from nudges.models import CheckInDelivery, OneOffReminder
from nudges.services import one_off
from outbox import services as outbox
from outbox.tasks import sweep_deliveries
from tests.factories import BreakFactory

# Sunday 22 March 2026, 19:00 in London (GMT): alice's weekly check-in reminder is due.
DUE = datetime(2026, 3, 22, 19, 0, tzinfo=UTC)
LOST = "The worker stopped while sending. Not tried again, so it is never sent twice."


@pytest.fixture
def claimed(alice, django_capture_on_commit_callbacks) -> CheckInDelivery:
    """Alice's check-in reminder, claimed by the dispatcher; its send task is lost."""
    with time_machine.travel(DUE - timedelta(days=2), tick=False):
        weekly.reminder_update(user=alice, enabled=True, weekday=6, local_time=time(19, 0))
    with time_machine.travel(DUE, tick=False), django_capture_on_commit_callbacks():
        weekly.dispatch_due(now=DUE)
    return CheckInDelivery.objects.get()


def _sweep_at(instant, capture) -> None:
    with time_machine.travel(instant, tick=False), capture(execute=True):
        sweep_deliveries.apply()


def _row(delivery) -> tuple[str, str]:
    delivery.refresh_from_db()
    return delivery.status, delivery.error


def test_a_lost_send_task_is_queued_again_and_sent_once(
    claimed, django_capture_on_commit_callbacks
):
    _sweep_at(DUE + timedelta(minutes=5), django_capture_on_commit_callbacks)  # too soon to tell
    assert mail.outbox == []

    _sweep_at(DUE + timedelta(minutes=11), django_capture_on_commit_callbacks)
    _sweep_at(DUE + timedelta(minutes=16), django_capture_on_commit_callbacks)

    assert [m.subject for m in mail.outbox] == ["Time for your weekly check-in"]
    assert _row(claimed) == ("sent", "")


def test_a_row_a_dead_worker_was_sending_is_failed_and_never_sent(
    claimed, django_capture_on_commit_callbacks
):
    CheckInDelivery.objects.update(status="sending", sending_at=DUE)

    _sweep_at(DUE + timedelta(minutes=11), django_capture_on_commit_callbacks)
    with time_machine.travel(DUE + timedelta(minutes=12), tick=False):
        again = outbox.handle_one(purpose=weekly.CHECK_IN_REMINDER, pk=claimed.pk)

    assert (again, mail.outbox) == (False, [])
    assert _row(claimed) == ("failed", LOST)


def test_a_row_queued_too_long_is_given_up_not_sent_late(
    claimed, django_capture_on_commit_callbacks
):
    _sweep_at(DUE + timedelta(hours=2, minutes=5), django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert _row(claimed) == ("failed", "Too late to send. ")


def test_each_purpose_is_swept_by_the_one_sweep_task(
    alice, claimed, django_capture_on_commit_callbacks
):
    entry = BreakFactory(user=alice, return_at=DUE)
    reminder = one_off.one_off_schedule(
        user=alice, purpose="break_end", key=str(entry.pk), due_at=DUE
    )
    OneOffReminder.objects.update(status="sending", sending_at=DUE)
    CheckInDelivery.objects.update(status="sending", sending_at=DUE)

    _sweep_at(DUE + timedelta(minutes=11), django_capture_on_commit_callbacks)

    assert (_row(reminder), _row(claimed)) == (("failed", LOST), ("failed", LOST))
    assert mail.outbox == []


def test_an_address_the_server_refuses_is_failed_for_good(alice, monkeypatch):
    entry = BreakFactory(user=alice, return_at=DUE)
    reminder = one_off.one_off_schedule(
        user=alice, purpose="break_end", key=str(entry.pk), due_at=DUE
    )

    def refuse(message):
        raise smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert one_off.one_off_send_due(now=DUE) == 0
    monkeypatch.undo()
    assert one_off.one_off_send_due(now=DUE + timedelta(minutes=1)) == 0

    status, error = _row(reminder)
    assert (status, error.split(":")[0], mail.outbox) == ("failed", "SMTPRecipientsRefused", [])


def test_a_mail_server_that_takes_nothing_leaves_it_failed(claimed, monkeypatch):
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda message: 0)

    with time_machine.travel(DUE, tick=False):
        sent = outbox.handle_one(purpose=weekly.CHECK_IN_REMINDER, pk=claimed.pk)

    assert (sent, _row(claimed)) == (False, ("failed", "The mail server took no message."))
