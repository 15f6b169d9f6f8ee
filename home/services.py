"""Writes that change a person's profile and their reminders together."""

from datetime import time

from django.db import transaction

from accounts.models import User
from nudges.services import schedule_create_default, schedule_time_zone_change, schedule_update


@transaction.atomic
def profile_save(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    situation: str,
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


@transaction.atomic
def first_run_save(*, user: User, situation: str, reminder: bool, local_time: time) -> None:
    """The answers of the step after sign-up: the situation and the daily reminder's time."""
    user.situation = situation
    user.save(update_fields=["situation"])
    schedule = schedule_create_default(user=user)
    schedule_update(
        schedule=schedule,
        enabled=reminder,
        local_time=local_time,
        weekdays=schedule.weekday_list or list(range(7)),
        paused_until=schedule.paused_until,
        skip_if_written=schedule.skip_if_written,
        channel=schedule.channel,
    )
