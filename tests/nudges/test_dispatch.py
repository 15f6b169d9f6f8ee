"""The dispatcher and the sender: one nudge per user and local date, whatever happens."""

import smtplib
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from nudges import selectors, services
from nudges.models import NudgeDelivery, ReminderSchedule
from nudges.tasks import send_nudges, sweep_stale_deliveries
from selfhelp.celery import app
from tests.factories import GratitudeFactory, UserFactory

from .conftest import reminder

EVENING = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)  # 20:00 in London (alice's zone)
MORNING = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def at():
    """Travel to a fixed instant for the rest of the block."""
    return lambda instant: time_machine.travel(instant, tick=False)


def _set_reminders(*users, **kwargs):
    with time_machine.travel(MORNING, tick=False):
        for user in users:
            reminder(user, **kwargs)


def _statuses() -> list[tuple[str, str]]:
    return list(NudgeDelivery.objects.order_by("user__email").values_list("user__email", "status"))


@pytest.mark.django_db
def test_dispatch_sends_one_nudge_at_the_local_time(dispatch, at, alice):
    _set_reminders(alice)

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
    _set_reminders(alice)

    with at(EVENING):
        dispatch(EVENING)
        dispatch(EVENING)
    with at(EVENING + timedelta(seconds=30)):
        dispatch(EVENING + timedelta(seconds=30))

    assert len(mail.outbox) == 1
    assert NudgeDelivery.objects.count() == 1


@pytest.mark.django_db
def test_two_dispatchers_interleaved_give_one_nudge(dispatch, at, alice, charlie):
    _set_reminders(alice, charlie)

    with at(EVENING):
        seen_by_first = selectors.due_schedule_ids(now=EVENING, limit=500)  # first reads...
        dispatch(EVENING)  # ...the second runs from start to end...
        late_claim = services.schedules_claim(schedule_ids=seen_by_first, now=EVENING)

    assert len(seen_by_first) == 2
    assert late_claim == services.Claim(schedules=0, delivery_ids=[])  # ...the first gets none
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]


@pytest.mark.django_db
def test_moving_the_time_later_the_same_day_does_not_nudge_again(dispatch, at, alice):
    _set_reminders(alice)
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
def test_redelivered_batch_after_a_crash_sends_each_nudge_once(
    django_capture_on_commit_callbacks, at, alice, charlie
):
    dana = UserFactory(email="dana@example.com", time_zone="Europe/London")
    _set_reminders(alice, charlie, dana)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False) as queued:
        services.dispatch_due(now=EVENING)  # the send task is queued, not yet run
    ids = list(NudgeDelivery.objects.order_by("user__email").values_list("pk", flat=True))

    with at(EVENING):
        services.handle_one_delivery(delivery_id=ids[0])  # the worker sent one, then died;
        send_nudges.apply(kwargs={"delivery_ids": ids})  # Redis gives the batch to another
        send_nudges.apply(kwargs={"delivery_ids": ids})  # and, say, to a third

    assert len(queued) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.com",
        "charlie@example.com",
        "dana@example.com",
    ]


@pytest.mark.django_db
def test_worker_killed_while_sending_is_not_retried(django_capture_on_commit_callbacks, at, alice):
    _set_reminders(alice)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        services.dispatch_due(now=EVENING)
    # The worker marked it sending and died before it could record what happened.
    NudgeDelivery.objects.update(status="sending", sending_at=EVENING)

    with at(EVENING + timedelta(minutes=11)):
        sweep_stale_deliveries.apply()
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
    _set_reminders(alice)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        services.dispatch_due(now=EVENING)  # the broker lost the send task

    with at(EVENING + timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        services.deliveries_sweep(now=EVENING + timedelta(minutes=5))  # too soon to tell
    assert mail.outbox == []
    with at(EVENING + timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        sweep = services.deliveries_sweep(now=EVENING + timedelta(minutes=11))
    with at(EVENING + timedelta(minutes=16)), django_capture_on_commit_callbacks(execute=True):
        services.deliveries_sweep(now=EVENING + timedelta(minutes=16))

    assert sweep == services.Sweep(requeued=1, given_up=0, lost=0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert _statuses() == [("alice@example.com", "sent")]


@pytest.mark.django_db
def test_nudge_not_sent_within_two_hours_is_given_up(django_capture_on_commit_callbacks, at, alice):
    _set_reminders(alice)
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        services.dispatch_due(now=EVENING)

    later = EVENING + timedelta(hours=2, minutes=1)
    with at(later), django_capture_on_commit_callbacks(execute=True):
        sweep = services.deliveries_sweep(now=later)

    assert sweep == services.Sweep(requeued=0, given_up=1, lost=0)
    assert mail.outbox == []
    assert _statuses() == [("alice@example.com", "failed")]


@pytest.mark.django_db
def test_dispatcher_down_for_hours_sends_no_late_nudge(dispatch, at, alice):
    _set_reminders(alice)

    with at(EVENING + timedelta(hours=3)):
        dispatch(EVENING + timedelta(hours=3))  # 23:00, three hours late

    assert mail.outbox == []
    assert not NudgeDelivery.objects.exists()
    assert ReminderSchedule.objects.get(user=alice).next_due_at == EVENING + timedelta(days=1)


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
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._FlakyMailer"}}
    _FlakyMailer.failures = 1
    app.conf.task_eager_propagates = False  # let Celery run the retry (the fixture resets it)
    _set_reminders(alice, charlie)

    with at(EVENING):
        dispatch(EVENING)

    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]
    assert _statuses() == [("alice@example.com", "sent"), ("charlie@example.com", "sent")]


LOCMEM_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def _claimed_not_sent(count: int, capture_on_commit) -> list[int]:
    """Deliveries for users u0@example.com, u1@… due at EVENING, claimed by the dispatcher
    with their send task not yet run; their ids in the users' order."""
    _set_reminders(
        *(UserFactory(email=f"u{i}@example.com", time_zone="Europe/London") for i in range(count))
    )
    with time_machine.travel(EVENING, tick=False), capture_on_commit(execute=False):
        services.dispatch_due(now=EVENING)
    return list(NudgeDelivery.objects.order_by("user__email").values_list("pk", flat=True))


class _DropsThirdMailer(EmailBackend):
    """Takes two messages, then the connection drops on every later one."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_transport_error_mid_group_keeps_what_was_sent_and_puts_the_rest_back(
    django_capture_on_commit_callbacks, at, settings
):
    ids = _claimed_not_sent(4, django_capture_on_commit_callbacks)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._DropsThirdMailer"}}

    with at(EVENING), pytest.raises(smtplib.SMTPServerDisconnected):
        services.deliveries_send(delivery_ids=ids)
    after_error = _statuses()
    settings.MAILERS = LOCMEM_MAIL
    with at(EVENING + timedelta(seconds=30)):
        services.deliveries_send(delivery_ids=ids)

    assert after_error == [
        ("u0@example.com", "sent"),
        ("u1@example.com", "sent"),
        ("u2@example.com", "claimed"),
        ("u3@example.com", "claimed"),
    ]
    assert [m.to[0] for m in mail.outbox] == [f"u{i}@example.com" for i in range(4)]
    assert _statuses() == [(f"u{i}@example.com", "sent") for i in range(4)]


class _Killed(BaseException):
    """Stands in for SIGKILL: nothing in the sender catches it."""


class _DiesOnThirdMailer(EmailBackend):
    def send_messages(self, messages):
        if len(mail.outbox) == 2:
            raise _Killed
        return super().send_messages(messages)


@pytest.mark.django_db
def test_worker_killed_mid_group_never_sends_twice_and_loses_at_most_that_group(
    django_capture_on_commit_callbacks, at, settings
):
    settings.NUDGE_CLAIM_GROUP = 2
    ids = _claimed_not_sent(5, django_capture_on_commit_callbacks)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._DiesOnThirdMailer"}}
    with at(EVENING), pytest.raises(_Killed):
        services.deliveries_send(delivery_ids=ids)  # dies on the first of the second group

    settings.MAILERS = LOCMEM_MAIL
    with at(EVENING + timedelta(minutes=1)):
        services.deliveries_send(delivery_ids=ids)  # Redis hands the batch to a new worker
    with at(EVENING + timedelta(minutes=11)), django_capture_on_commit_callbacks(execute=True):
        sweep = services.deliveries_sweep(now=EVENING + timedelta(minutes=11))

    assert [m.to[0] for m in mail.outbox] == ["u0@example.com", "u1@example.com", "u4@example.com"]
    assert sweep == services.Sweep(requeued=0, given_up=0, lost=2)
    assert _statuses() == [
        ("u0@example.com", "sent"),
        ("u1@example.com", "sent"),
        ("u2@example.com", "failed"),
        ("u3@example.com", "failed"),
        ("u4@example.com", "sent"),
    ]


class _RefusingMailer(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


@pytest.mark.django_db
def test_refused_address_fails_without_retrying(dispatch, at, settings, alice):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._RefusingMailer"}}
    _set_reminders(alice)

    with at(EVENING):
        dispatch(EVENING)

    delivery = NudgeDelivery.objects.get()
    assert (delivery.status, delivery.error) == (
        "failed",
        "SMTPRecipientsRefused: {'alice@example.com': (550, b'No such user')}",
    )


@pytest.mark.django_db
def test_skip_if_written_skips_a_day_with_an_entry(dispatch, at, alice, charlie):
    _set_reminders(alice, charlie, skip=True)
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
    _set_reminders(alice, skip=False)
    GratitudeFactory(user=alice, day=date(2026, 3, 4))

    with at(EVENING):
        dispatch(EVENING)

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


@pytest.mark.django_db
def test_paused_user_gets_nothing_until_the_pause_ends(dispatch, at, alice):
    _set_reminders(alice, paused_until=date(2026, 3, 5))

    for day in (4, 5, 6):
        instant = datetime(2026, 3, day, 20, 0, tzinfo=UTC)
        with at(instant):
            dispatch(instant)

    assert list(NudgeDelivery.objects.values_list("local_date", flat=True)) == [date(2026, 3, 6)]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_unconfirmed_or_inactive_users_get_no_nudge(dispatch, at, alice, charlie):
    EmailAddress.objects.filter(user=alice).update(verified=False)
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    _set_reminders(alice, charlie)

    with at(EVENING):
        dispatch(EVENING)

    assert mail.outbox == []
    assert not NudgeDelivery.objects.exists()
    next_due = list(ReminderSchedule.objects.values_list("next_due_at", flat=True))
    assert next_due == [EVENING + timedelta(days=1)] * 2


@pytest.mark.django_db
def test_many_users_are_sent_in_batches(dispatch, at, monkeypatch):
    users = UserFactory.create_batch(5, time_zone="Europe/London")
    _set_reminders(*users)
    batches = []
    monkeypatch.setattr(services, "SEND_BATCH", 2)
    monkeypatch.setattr(send_nudges, "delay", lambda **kw: batches.append(kw["delivery_ids"]))

    with at(EVENING):
        queued = dispatch(EVENING, batch_size=2)

    assert queued == 5
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert len({pk for batch in batches for pk in batch}) == 5
