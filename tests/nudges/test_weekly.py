"""The weekly check-in reminder: on the chosen local day, once a week, across DST changes."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from nudges import weekly
from nudges.models import CheckInDelivery, CheckInReminder
from outbox import services as outbox
from tests.factories import CheckInFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
# Sunday 29 March 2026: the clocks go forward at 01:00 UTC in London (GMT to BST).
SATURDAY_BEFORE = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
SUNDAY_19H_BST = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)


def _dispatch(now, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return weekly.dispatch_due(now=now)


def _sunday_evenings(user):
    with time_machine.travel(SATURDAY_BEFORE, tick=False):
        return weekly.reminder_update(user=user, enabled=True, weekday=6, local_time=time(19, 0))


def test_next_due_is_the_chosen_local_time_on_both_sides_of_a_dst_change():
    at = time(19, 0)

    before = weekly.next_due(weekday=6, at=at, zone=LONDON, after=datetime(2026, 3, 21, tzinfo=UTC))
    after = weekly.next_due(weekday=6, at=at, zone=LONDON, after=before)

    assert before == datetime(2026, 3, 22, 19, 0, tzinfo=UTC)  # GMT
    assert after == SUNDAY_19H_BST  # 19:00 BST is 18:00 UTC


def test_the_reminder_is_sent_once_on_the_chosen_day(alice, django_capture_on_commit_callbacks):
    reminder = _sunday_evenings(alice)
    assert reminder.next_due_at == SUNDAY_19H_BST

    with time_machine.travel(SUNDAY_19H_BST, tick=False):
        assert _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks) == 1
        assert _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks) == 0

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "Time for your weekly check-in"
    assert "You get this reminder on Sundays at 19:00." in mail.outbox[0].body
    delivery = CheckInDelivery.objects.get()
    assert (delivery.status, str(delivery.week_start)) == ("sent", "2026-03-23")
    assert CheckInReminder.objects.get().next_due_at == datetime(2026, 4, 5, 18, 0, tzinfo=UTC)


def test_a_delivery_is_sent_by_one_sender_only(alice, django_capture_on_commit_callbacks):
    _sunday_evenings(alice)
    with time_machine.travel(SUNDAY_19H_BST, tick=False), django_capture_on_commit_callbacks():
        weekly.dispatch_due(now=SUNDAY_19H_BST)  # the send task is not run
        delivery = CheckInDelivery.objects.get()

        first = outbox.handle_one(purpose=weekly.CHECK_IN_REMINDER, pk=delivery.pk)
        second = outbox.handle_one(purpose=weekly.CHECK_IN_REMINDER, pk=delivery.pk)

    assert (first, second, len(mail.outbox)) == (True, False, 1)


def test_the_email_holds_no_journal_text(alice, django_capture_on_commit_callbacks):
    _sunday_evenings(alice)
    CheckInFactory(user=alice, day=datetime(2026, 3, 15).date(), next_week="A secret plan")

    with time_machine.travel(SUNDAY_19H_BST, tick=False):
        _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert "A secret plan" not in message.body + message.alternatives[0][0]


def test_no_reminder_in_a_week_already_checked_in(alice, django_capture_on_commit_callbacks):
    _sunday_evenings(alice)
    CheckInFactory(user=alice, day=datetime(2026, 3, 25).date())

    with time_machine.travel(SUNDAY_19H_BST, tick=False):
        _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert CheckInDelivery.objects.get().error == "Already checked in that week."


def test_turned_off_it_is_never_due(alice, django_capture_on_commit_callbacks):
    _sunday_evenings(alice)
    weekly.reminder_update(user=alice, enabled=False, weekday=6, local_time=time(19, 0))

    assert _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks) == 0
    assert CheckInReminder.objects.get().next_due_at is None


def test_the_settings_page_saves_day_and_time(alice_client, alice):
    response = alice_client.post(
        reverse("practice:check_in_reminder"),
        {"enabled": "on", "weekday": "2", "local_time": "08:15"},
        follow=True,
    )

    assert "Your check-in reminder is saved." in response.content.decode()
    assert "You get it on Wednesdays at 08:15." in response.content.decode()
    reminder = CheckInReminder.objects.get(user=alice)
    assert (reminder.enabled, reminder.weekday, reminder.local_time) == (True, 2, time(8, 15))


def test_the_settings_page_refuses_a_made_up_day(alice_client, alice):
    page = alice_client.post(
        reverse("practice:check_in_reminder"),
        {"enabled": "on", "weekday": "9", "local_time": "08:15"},
    ).content.decode()

    assert "Choose a day of the week." in page
    assert 'value="08:15"' in page
    assert not CheckInReminder.objects.exists()


def test_each_user_gets_their_own(alice, django_capture_on_commit_callbacks):
    _sunday_evenings(alice)
    _sunday_evenings(UserFactory(email="dana@example.com", time_zone="Europe/London"))

    with time_machine.travel(SUNDAY_19H_BST, tick=False):
        assert _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks) == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "dana@example.com"]


def test_unconfirmed_or_inactive_users_get_no_reminder(
    alice, charlie, django_capture_on_commit_callbacks
):
    # The same rule as the daily nudge's: nobody but a confirmed address is emailed.
    EmailAddress.objects.filter(user=alice).update(verified=False)
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    _sunday_evenings(alice)
    _sunday_evenings(charlie)

    with time_machine.travel(SUNDAY_19H_BST, tick=False):
        assert _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks) == 0

    assert mail.outbox == []
    assert not CheckInDelivery.objects.exists()
    next_due = set(CheckInReminder.objects.values_list("next_due_at", flat=True))
    assert next_due == {datetime(2026, 4, 5, 18, 0, tzinfo=UTC)}  # moved on to next week


def test_a_time_zone_changed_on_the_profile_moves_the_reminder(
    alice, alice_client, django_capture_on_commit_callbacks
):
    # Sunday 29 March 2026: 19:00 in Berlin (CEST, from 01:00 UTC) is 17:00 UTC, an hour
    # before 19:00 in London.
    _sunday_evenings(alice)
    with time_machine.travel(SATURDAY_BEFORE, tick=False):
        alice_client.post(
            reverse("home:profile"), {"display_name": "Alice", "time_zone": "Europe/Berlin"}
        )
    berlin_19h = datetime(2026, 3, 29, 17, 0, tzinfo=UTC)

    for instant in (berlin_19h, SUNDAY_19H_BST):
        with time_machine.travel(instant, tick=False):
            _dispatch(instant, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    delivery = CheckInDelivery.objects.get()
    assert (delivery.due_at, str(delivery.week_start)) == (berlin_19h, "2026-03-23")
    assert CheckInReminder.objects.get().next_due_at == datetime(2026, 4, 5, 17, 0, tzinfo=UTC)


def test_a_time_zone_changed_after_the_reminder_does_not_send_it_again(
    alice, alice_client, django_capture_on_commit_callbacks
):
    # Reminded at 19:00 in London, then moved to New York, where Sunday 19:00 is still ahead.
    _sunday_evenings(alice)
    with time_machine.travel(SUNDAY_19H_BST, tick=False):
        _dispatch(SUNDAY_19H_BST, django_capture_on_commit_callbacks)
        alice_client.post(
            reverse("home:profile"), {"display_name": "Alice", "time_zone": "America/New_York"}
        )
    new_york_19h = datetime(2026, 3, 29, 23, 0, tzinfo=UTC)  # EDT

    with time_machine.travel(new_york_19h, tick=False):
        _dispatch(new_york_19h, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert CheckInDelivery.objects.count() == 1
    assert CheckInReminder.objects.get().next_due_at == datetime(2026, 4, 5, 23, 0, tzinfo=UTC)
