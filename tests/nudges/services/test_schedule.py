"""When the next reminder falls, in UTC, from a user's zone, time, days and pause."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import User
from nudges.models import NudgeDelivery, ReminderSchedule
from nudges.services import schedule_turn_off
from tests.factories import UserFactory
from tests.nudges.conftest import reminder


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "at", "now", "expected"),
    [
        # New York springs forward on 8 March 2026: 02:00 EST jumps to 03:00 EDT.
        ("America/New_York", time(2, 30), _utc(2026, 3, 7, 12), _utc(2026, 3, 8, 7, 0)),
        ("America/New_York", time(20, 0), _utc(2026, 3, 7, 12), _utc(2026, 3, 8, 1, 0)),
        ("America/New_York", time(20, 0), _utc(2026, 3, 8, 1), _utc(2026, 3, 9, 0, 0)),
        # New York falls back on 1 November 2026: 01:30 happens twice; the first counts.
        ("America/New_York", time(1, 30), _utc(2026, 10, 31, 12), _utc(2026, 11, 1, 5, 30)),
        ("America/New_York", time(20, 0), _utc(2026, 11, 1, 12), _utc(2026, 11, 2, 1, 0)),
        # Auckland springs forward on 27 September 2026 (02:00 -> 03:00) ...
        ("Pacific/Auckland", time(2, 30), _utc(2026, 9, 26, 0), _utc(2026, 9, 26, 14, 0)),
        # ... and falls back on 5 April 2026 (03:00 -> 02:00): 02:30 NZDT, the first one.
        ("Pacific/Auckland", time(2, 30), _utc(2026, 4, 4, 0), _utc(2026, 4, 4, 13, 30)),
        # Kolkata is five and a half hours ahead, all year.
        ("Asia/Kolkata", time(20, 0), _utc(2026, 3, 7, 12), _utc(2026, 3, 7, 14, 30)),
        ("Asia/Kolkata", time(20, 0), _utc(2026, 3, 7, 14, 30), _utc(2026, 3, 8, 14, 30)),
    ],
)
def test_next_reminder_is_the_local_time_in_utc(zone, at, now, expected):
    user = UserFactory(time_zone=zone)
    with time_machine.travel(now, tick=False):
        schedule = reminder(user, at=at)

    assert schedule.next_due_at == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "first", "second"),
    [
        # Spring forward: 02:30 does not exist, so it fires once, at 03:00 EDT.
        (_utc(2026, 3, 8, 6, 59), _utc(2026, 3, 8, 7, 0), _utc(2026, 3, 8, 8, 0)),
        # Fall back: 01:30 EDT (05:30 UTC) fires; 01:30 EST (06:30 UTC) does not.
        (_utc(2026, 11, 1, 5, 29), _utc(2026, 11, 1, 5, 30), _utc(2026, 11, 1, 6, 30)),
    ],
)
def test_dst_transition_day_gives_exactly_one_nudge(dispatch, now, first, second):
    user = UserFactory(time_zone="America/New_York")
    with time_machine.travel(now, tick=False):
        reminder(user, at=time(2, 30) if first.month == 3 else time(1, 30))

    for instant in (first, second):
        with time_machine.travel(instant, tick=False):
            dispatch(instant)

    assert [m.to for m in mail.outbox] == [[user.email]]
    delivery = NudgeDelivery.objects.get()
    assert (delivery.local_date, delivery.due_at) == (first.date(), first)


@pytest.mark.django_db
def test_only_chosen_weekdays_are_due(alice):
    # Alice (Europe/London) wants Tuesday and Saturday; it is Wednesday 4 March 2026.
    with time_machine.travel(_utc(2026, 3, 4, 9), tick=False):
        schedule = reminder(alice, weekdays=[1, 5])

    assert schedule.next_due_at == _utc(2026, 3, 7, 20, 0)


@pytest.mark.django_db
def test_a_pause_skips_up_to_and_including_its_last_day(alice):
    with time_machine.travel(_utc(2026, 3, 4, 9), tick=False):
        schedule = reminder(alice, paused_until=date(2026, 3, 10))

    assert schedule.next_due_at == _utc(2026, 3, 11, 20, 0)


@pytest.mark.django_db
def test_turned_off_schedule_is_never_due(alice):
    with time_machine.travel(_utc(2026, 3, 4, 9), tick=False):
        schedule_turn_off(schedule=reminder(alice))

    assert ReminderSchedule.objects.get(user=alice).next_due_at is None


@pytest.mark.django_db
def test_signup_creates_the_default_reminder(client):
    with time_machine.travel(_utc(2026, 3, 4, 9), tick=False):
        client.post(
            reverse("account_signup"),
            {
                "display_name": "Dana",
                "email": "dana@example.com",
                "password1": "quiet-harbour-lantern-42",
                "password2": "quiet-harbour-lantern-42",
                "time_zone": "Asia/Kolkata",
            },
        )

    schedule = ReminderSchedule.objects.get(user=User.objects.get(email="dana@example.com"))
    assert (schedule.enabled, schedule.local_time, schedule.weekday_list, schedule.channel) == (
        True,
        time(20, 0),
        [0, 1, 2, 3, 4, 5, 6],
        "email",
    )
    assert schedule.next_due_at == _utc(2026, 3, 4, 14, 30)  # 20:00 in Kolkata


@pytest.mark.django_db
def test_a_time_zone_changed_on_the_profile_moves_the_next_nudge(dispatch, alice_client, alice):
    with time_machine.travel(_utc(2026, 3, 4, 9), tick=False):
        reminder(alice)  # 20:00 London = 20:00 UTC
        alice_client.post(
            reverse("home:profile"), {"display_name": "Alice", "time_zone": "Asia/Kolkata"}
        )
        page = alice_client.get(reverse("nudges:settings")).content.decode()

    for instant in (_utc(2026, 3, 4, 14, 30), _utc(2026, 3, 4, 20, 0)):
        with time_machine.travel(instant, tick=False):
            dispatch(instant)

    # 20:00 in Kolkata is 14:30 UTC, later today; not 01:30 in the night.
    assert "Next reminder: Wednesday 4 March at 20:00." in page
    assert [m.to for m in mail.outbox] == [[alice.email]]
    delivery = NudgeDelivery.objects.get()
    assert (delivery.local_date, delivery.due_at) == (date(2026, 3, 4), _utc(2026, 3, 4, 14, 30))
    assert ReminderSchedule.objects.get(user=alice).next_due_at == _utc(2026, 3, 5, 14, 30)
