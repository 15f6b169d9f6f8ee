"""The sender: each claimed delivery handed over once, or skipped, or failed, with why."""

import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from nudges.models import NudgeDelivery
from nudges.services.dispatch import dispatch_due
from nudges.services.send import deliveries_send, handle_one_delivery
from nudges.services.sweep import Sweep, deliveries_sweep
from nudges.tasks import send_nudges
from selfhelp.celery import app
from tests.factories import GratitudeFactory, UserFactory

from .conftest import EVENING, LOCMEM_MAIL, claimed_not_sent, set_reminders, statuses


@pytest.mark.django_db
def test_redelivered_batch_after_a_crash_sends_each_nudge_once(
    django_capture_on_commit_callbacks, at, alice, charlie
):
    dana = UserFactory(email="dana@example.com", time_zone="Europe/London")
    set_reminders(alice, charlie, dana)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False) as queued:
        dispatch_due(now=EVENING)  # the send task is queued, not yet run
    ids = list(NudgeDelivery.objects.order_by("user__email").values_list("pk", flat=True))

    with at(EVENING):
        handle_one_delivery(delivery_id=ids[0])  # the worker sent one, then died;
        send_nudges.apply(kwargs={"delivery_ids": ids})  # Redis gives the batch to another
        send_nudges.apply(kwargs={"delivery_ids": ids})  # and, say, to a third

    assert len(queued) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "charlie@example.com",
        "dana@example.com",
    ]


def _mail_with(settings, mailer: type[EmailBackend]) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{mailer.__name__}"}}


class _SecondTaskMailer(EmailBackend):
    """While the first message is in its hands, a second task sends the same batch."""

    batch: list[int] = []

    def send_messages(self, messages):
        if _SecondTaskMailer.batch:
            batch, _SecondTaskMailer.batch = _SecondTaskMailer.batch, []
            deliveries_send(delivery_ids=batch)
        return super().send_messages(messages)


@pytest.mark.django_db
def test_two_tasks_sending_the_same_batch_at_once_send_each_nudge_once(
    django_capture_on_commit_callbacks, at, settings
):
    _mail_with(settings, _SecondTaskMailer)
    _SecondTaskMailer.batch = ids = claimed_not_sent(3, django_capture_on_commit_callbacks)

    with at(EVENING):
        first = deliveries_send(delivery_ids=ids)  # writes u0's outcome as it tries u1

    assert first == 1
    assert [m.to[0] for m in mail.outbox] == ["u1@example.com", "u2@example.com", "u0@example.com"]
    assert statuses() == [(f"u{i}@example.com", "sent") for i in range(3)]


class _FlakyMailer(EmailBackend):
    """Drops the connection on the first message it is given, then works."""

    failures = 1

    def send_messages(self, messages):
        if _FlakyMailer.failures:
            _FlakyMailer.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_transport_error_is_retried_and_sends_once(dispatch, at, settings, alice, charlie):
    _mail_with(settings, _FlakyMailer)
    _FlakyMailer.failures = 1
    app.conf.task_eager_propagates = False  # let Celery run the retry (the fixture resets it)
    set_reminders(alice, charlie)

    with at(EVENING):
        dispatch(EVENING)

    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]
    assert statuses() == [("alice@example.com", "sent"), ("charlie@example.com", "sent")]


class _DropsThirdMailer(EmailBackend):
    """Takes two messages, then the connection drops on every later one."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_transport_error_mid_batch_keeps_what_was_sent_and_puts_the_rest_back(
    django_capture_on_commit_callbacks, at, settings
):
    ids = claimed_not_sent(4, django_capture_on_commit_callbacks)
    _mail_with(settings, _DropsThirdMailer)

    with at(EVENING), pytest.raises(smtplib.SMTPServerDisconnected):
        deliveries_send(delivery_ids=ids)
    after_error = statuses()
    settings.MAILERS = LOCMEM_MAIL
    with at(EVENING + timedelta(seconds=30)):
        deliveries_send(delivery_ids=ids)

    assert after_error == [
        ("u0@example.com", "sent"),
        ("u1@example.com", "sent"),
        ("u2@example.com", "claimed"),
        ("u3@example.com", "claimed"),
    ]
    assert [m.to[0] for m in mail.outbox] == [f"u{i}@example.com" for i in range(4)]
    assert statuses() == [(f"u{i}@example.com", "sent") for i in range(4)]


class _Killed(BaseException):
    """Stands in for SIGKILL: nothing in the sender catches it."""


class _DiesOnThirdMailer(EmailBackend):
    """The server takes the third message; the worker dies before it can say so."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) == 3:
            raise _Killed
        return sent


@pytest.mark.django_db
def test_worker_killed_mid_batch_loses_at_most_the_nudge_in_its_hands(
    django_capture_on_commit_callbacks, at, settings
):
    ids = claimed_not_sent(5, django_capture_on_commit_callbacks)
    _mail_with(settings, _DiesOnThirdMailer)
    with at(EVENING), pytest.raises(_Killed):
        deliveries_send(delivery_ids=ids)  # dies handing over the third
    after_kill = statuses()

    settings.MAILERS = LOCMEM_MAIL
    with at(EVENING + timedelta(minutes=1)):
        deliveries_send(delivery_ids=ids)  # Redis hands the batch to a new worker
    with at(EVENING + timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        sweep = deliveries_sweep(now=EVENING + timedelta(minutes=11))

    assert after_kill == [
        ("u0@example.com", "sent"),
        ("u1@example.com", "sent"),
        ("u2@example.com", "sending"),  # its fate unknown to us: the only one
        ("u3@example.com", "claimed"),
        ("u4@example.com", "claimed"),
    ]
    assert [m.to[0] for m in mail.outbox] == [f"u{i}@example.com" for i in range(5)]
    assert sweep == Sweep(requeued=0, given_up=0, lost=1)
    assert statuses() == [
        ("u0@example.com", "sent"),
        ("u1@example.com", "sent"),
        ("u2@example.com", "failed"),  # it did go out, but we cannot know that: never again
        ("u3@example.com", "sent"),
        ("u4@example.com", "sent"),
    ]


class _RefusingMailer(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


@pytest.mark.django_db
def test_refused_address_fails_without_retrying(dispatch, at, settings, alice):
    _mail_with(settings, _RefusingMailer)
    set_reminders(alice)

    with at(EVENING):
        dispatch(EVENING)

    delivery = NudgeDelivery.objects.get()
    assert (delivery.status, delivery.error) == (
        "failed",
        "SMTPRecipientsRefused: {'alice@example.com': (550, b'No such user')}",
    )


@pytest.mark.django_db
def test_skip_if_written_skips_a_day_with_an_entry(dispatch, at, alice, charlie):
    set_reminders(alice, charlie, skip=True)
    GratitudeFactory(user=alice, day=date(2026, 3, 4))
    GratitudeFactory(user=charlie, day=date(2026, 3, 3))  # yesterday does not count

    with at(EVENING):
        dispatch(EVENING)

    assert [m.to for m in mail.outbox] == [["charlie@example.com"]]
    alices = NudgeDelivery.objects.get(user=alice)
    assert (alices.status, alices.get_skip_reason_display()) == (
        "skipped",
        "You had already written that day.",
    )


@pytest.mark.django_db
def test_entry_without_skip_if_written_still_nudges(dispatch, at, alice):
    set_reminders(alice, skip=False)
    GratitudeFactory(user=alice, day=date(2026, 3, 4))

    with at(EVENING):
        dispatch(EVENING)

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


@pytest.mark.django_db
def test_paused_user_gets_nothing_until_the_pause_ends(dispatch, at, alice):
    set_reminders(alice, paused_until=date(2026, 3, 5))

    for day in (4, 5, 6):
        instant = datetime(2026, 3, day, 20, 0, tzinfo=UTC)
        with at(instant):
            dispatch(instant)

    assert list(NudgeDelivery.objects.values_list("local_date", flat=True)) == [date(2026, 3, 6)]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_sending_leaves_no_setting_behind_on_the_connection(at, alice, charlie):
    """Behind a transaction pooler the next transaction on this server connection may be
    another client's: the sender's commit setting lasts one transaction only."""
    set_reminders(alice, charlie)
    with at(EVENING):
        dispatch_due(now=EVENING)
        deliveries_send(delivery_ids=list(NudgeDelivery.objects.values_list("pk", flat=True)))
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        [(setting,)] = cursor.fetchall()

    assert setting == "on"
    assert statuses() == [("alice@example.com", "sent"), ("charlie@example.com", "sent")]
