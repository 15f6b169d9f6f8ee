"""Writes that change a person's profile and their reminders together."""

from datetime import time

from django.db import transaction

from accounts.models import User
from accounts.services import user_here_for_set
from nudges.services import schedule_create_default, schedule_time_zone_change, schedule_update


@transaction.atomic
def profile_save(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    situation: str,
    here_for: str,
    discreet_reminders: bool = False,
    sender_name: str = "",
) -> None:
    """Save the profile. The time zone goes through the reminders, which move with it.

    A changed situation changes only the suggested order and words: progress is by lesson.
    """
    user.display_name = display_name
    user.situation = situation
    user.discreet_reminders = discreet_reminders
    user.sender_name = sender_name
    user.save(update_fields=["display_name", "situation", "discreet_reminders", "sender_name"])
    schedule_time_zone_change(user=user, time_zone=time_zone)
    if here_for != user.here_for:
        here_for_save(user=user, here_for=here_for)


@transaction.atomic
def here_for_save(*, user: User, here_for: str) -> None:
    """Store why the person is here. A therapist or coach without a journal of their own
    gets no daily reminder to write in one: it is turned off (they can turn it on again)."""
    user_here_for_set(user=user, here_for=here_for)
    schedule = schedule_create_default(user=user)
    if not user.journal_prompts and schedule.enabled:
        _reminder_turn(schedule, enabled=False)


def _reminder_turn(schedule, *, enabled: bool, local_time: time | None = None) -> None:
    schedule_update(
        schedule=schedule,
        enabled=enabled,
        local_time=local_time or schedule.local_time,
        weekdays=schedule.weekday_list or list(range(7)),
        paused_until=schedule.paused_until,
        skip_if_written=schedule.skip_if_written,
        channel=schedule.channel,
    )


@transaction.atomic
def first_run_save(*, user: User, situation: str, reminder: bool, local_time: time) -> None:
    """The answers of the step after sign-up: the situation and the daily reminder's time."""
    user.situation = situation
    user.save(update_fields=["situation"])
    _reminder_turn(schedule_create_default(user=user), enabled=reminder, local_time=local_time)
