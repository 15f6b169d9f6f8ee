"""One-off reminders (the end of a break) go once: never twice, whatever fails."""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from journal.services import entries_purge_deleted, entry_delete, entry_restore
from nudges.models import OneOffReminder
from nudges.services import one_off
from outbox import services as outbox
from tests.factories import BreakFactory

DUE = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


@pytest.fixture
def waiting(alice):
    entry = BreakFactory(user=alice, return_at=DUE)
    return one_off.one_off_schedule(user=alice, purpose="break_end", key=str(entry.pk), due_at=DUE)


def test_dispatched_twice_it_is_sent_once(waiting):
    assert one_off.one_off_send_due(now=DUE) == 1
    assert one_off.one_off_send_due(now=DUE) == 0
    assert one_off.handle_one_reminder(pk=waiting.pk, now=DUE) is False
    assert len(mail.outbox) == 1


def test_a_worker_that_dies_after_the_claim_never_sends_it_again(waiting, monkeypatch):
    class Killed(BaseException):
        pass

    def die(message):
        raise Killed

    monkeypatch.setattr("django.core.mail.EmailMessage.send", die)
    with pytest.raises(Killed):
        one_off.one_off_send_due(now=DUE)
    monkeypatch.undo()

    assert one_off.one_off_send_due(now=DUE + timedelta(minutes=1)) == 0
    sweep = outbox.purpose_sweep(purpose=one_off.ONE_OFF_REMINDER, now=DUE + timedelta(minutes=11))
    assert sweep.lost == 1
    waiting.refresh_from_db()
    assert (waiting.status, mail.outbox) == ("failed", [])


def test_a_transport_error_before_the_hand_over_is_tried_again_next_minute(waiting, monkeypatch):
    def refuse(message):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert one_off.one_off_send_due(now=DUE) == 0
    monkeypatch.undo()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.error) == ("waiting", "OSError: connection refused")

    assert one_off.one_off_send_due(now=DUE + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 1


def test_deleting_the_account_removes_its_reminders(waiting, alice):
    alice.delete()
    assert not OneOffReminder.objects.exists()


def _break_with_reminder(user, due):
    entry = BreakFactory(user=user, return_at=due)
    reminder = one_off.one_off_schedule(
        user=user, purpose="break_end", key=str(entry.pk), due_at=due, entry=entry
    )
    return entry, reminder


def test_a_deleted_break_is_not_reminded_and_holds_up_no_one_else(alice, charlie):
    alices_break, alices = _break_with_reminder(alice, DUE)
    _, charlies = _break_with_reminder(charlie, DUE)
    entry_delete(entry=alices_break)

    assert one_off.one_off_send_due(now=DUE) == 1

    assert [message.to for message in mail.outbox] == [["charlie@example.com"]]
    alices.refresh_from_db()
    charlies.refresh_from_db()
    assert (alices.status, charlies.status) == ("skipped", "sent")
    assert alices.error == "What it was for was deleted."


def test_a_break_deleted_for_good_takes_its_reminder_with_it(alice):
    entry, _ = _break_with_reminder(alice, DUE)
    entry_delete(entry=entry)
    entries_purge_deleted(now=timezone.now() + timedelta(hours=1))
    assert not OneOffReminder.objects.exists()


def test_a_break_restored_within_the_undo_window_is_still_reminded(alice):
    entry, _ = _break_with_reminder(alice, DUE)
    entry_delete(entry=entry)
    entry_restore(user=alice, pk=entry.pk)
    assert one_off.one_off_send_due(now=DUE) == 1
    assert mail.outbox[0].subject == "Time to go back"


def test_a_fault_in_one_reminder_holds_up_no_one_elses(alice, charlie, monkeypatch):
    _, alices = _break_with_reminder(alice, DUE)
    _break_with_reminder(charlie, DUE)
    words = one_off.MESSAGES["break_end"]

    def faulty(reminder):
        if reminder.user_id == alice.pk:
            raise RuntimeError("a bug in what the reminder says")
        return words(reminder)

    monkeypatch.setitem(one_off.MESSAGES, "break_end", faulty)

    assert one_off.one_off_send_due(now=DUE) == 1

    assert [message.to for message in mail.outbox] == [["charlie@example.com"]]
    alices.refresh_from_db()
    assert (alices.status, alices.error) == (
        "failed",
        "RuntimeError: a bug in what the reminder says",
    )
    assert one_off.one_off_send_due(now=DUE + timedelta(minutes=1)) == 0


def test_unconfirmed_or_inactive_users_get_no_break_reminder(alice, charlie):
    # The same rule as the daily and weekly reminders': nobody but a confirmed address of an
    # active account is emailed.
    EmailAddress.objects.filter(user=alice).update(verified=False)
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    _, alices = _break_with_reminder(alice, DUE)
    _, charlies = _break_with_reminder(charlie, DUE)

    assert one_off.one_off_send_due(now=DUE) == 0

    assert mail.outbox == []
    for reminder in (alices, charlies):
        reminder.refresh_from_db()
        assert (reminder.status, reminder.error) == ("skipped", one_off.UNREACHABLE)
