"""The weekly check-in reminder: one per user and local week, exactly once, DST-correct.

A purpose of the outbox (outbox/services.py). The dispatcher locks the reminders due
now (SKIP LOCKED), moves each `next_due_at` to the next week and creates one
`CheckInDelivery` per (user, local week), a unique pair, in the same transaction; the
outbox queues, claims, sends, records and sweeps them. This module says only when one is
due, why it is no longer wanted, and what it says.
"""

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from journal.insights import week_start
from outbox import services as outbox
from outbox.selectors import reachable_user_ids

from . import emails
from .models import CheckInDelivery, CheckInReminder
from .services.dispatch import GIVE_UP_AFTER, next_due_save
from .services.schedule import local_instant

log = logging.getLogger(__name__)

_TICK = timedelta(microseconds=1)


def reminder_for(*, user: User) -> CheckInReminder | None:
    return CheckInReminder.objects.filter(user=user).first()


def next_due(*, weekday: int, at: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after `after` that is `weekday` at `at` in `zone`, in UTC."""
    day = after.astimezone(zone).date()
    day += timedelta(days=(weekday - day.weekday()) % 7)
    instant = local_instant(day, at, zone)
    return instant if instant > after else local_instant(day + timedelta(weeks=1), at, zone)


def _next_due_of(reminder: CheckInReminder, *, after: datetime) -> datetime | None:
    if not reminder.enabled:
        return None
    return next_due(
        weekday=reminder.weekday, at=reminder.local_time, zone=reminder.user.zone, after=after
    )


def reminder_update(
    *, user: User, enabled: bool, weekday: int, local_time: time
) -> CheckInReminder:
    """Create or change the user's weekly reminder; the next one falls after now."""
    reminder, _ = CheckInReminder.objects.get_or_create(user=user)
    reminder.enabled, reminder.weekday, reminder.local_time = enabled, weekday, local_time
    reminder.next_due_at = _next_due_of(reminder, after=timezone.now())
    reminder.save(update_fields=["enabled", "weekday", "local_time", "next_due_at", "updated_at"])
    return reminder


def reminder_time_zone_moved(*, user: User) -> None:
    """Move the user's next reminder to its day and time in the zone they now live in.

    Moving east brings it earlier than the instant saved, which the dispatcher would reach
    only after it had passed. A week already reminded is not reminded again: its delivery
    is once per local week."""
    # Read afresh with its user: `user.zone` may be cached from the old zone.
    reminder = CheckInReminder.objects.select_related("user").filter(user=user).first()
    if reminder is None:
        return
    reminder.next_due_at = _next_due_of(reminder, after=timezone.now())
    reminder.save(update_fields=["next_due_at", "updated_at"])


# Dispatcher --------------------------------------------------------------------------------


def dispatch_due(*, now: datetime) -> int:
    """Claim every reminder due at or before `now`, a batch at a time; returns how many
    deliveries were created and queued."""
    queued = 0
    while True:
        created, claimed = _claim_batch(now=now)
        queued += created
        if claimed < outbox.SEND_BATCH:
            return queued


@transaction.atomic
def _claim_batch(*, now: datetime) -> tuple[int, int]:
    reminders = list(
        CheckInReminder.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(enabled=True, next_due_at__lte=now)
        .order_by("next_due_at")[: outbox.SEND_BATCH]
    )
    reachable = reachable_user_ids([r.user_id for r in reminders])
    deliveries = [
        d
        for reminder in reminders
        if (d := _claim_one(reminder, now=now)) and d.user_id in reachable
    ]
    next_due_save(reminders)
    CheckInDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)  # once a week
    user_ids = [d.user_id for d in deliveries]
    created = outbox.claimed_queue(purpose=CHECK_IN_REMINDER, user_ids=user_ids, now=now)
    return len(created), len(reminders)


def _claim_one(reminder: CheckInReminder, *, now: datetime) -> CheckInDelivery | None:
    """Move the reminder to next week; the delivery for the one due now, if any."""
    # Judged again from the settings: the user may have changed time zone since.
    due = _next_due_of(reminder, after=reminder.next_due_at - _TICK)
    if due is None or due > now:
        reminder.next_due_at = due
        return None
    reminder.next_due_at = _next_due_of(reminder, after=now)
    if now - due > GIVE_UP_AFTER:
        log.warning(
            "check-in reminder for user %s was %s late; not sent", reminder.user_id, now - due
        )
        return None
    local_day = due.astimezone(reminder.user.zone).date()
    return CheckInDelivery(
        user_id=reminder.user_id,
        week_start=week_start(local_day),
        due_at=due,
        claimed_at=now,
        queued_at=now,
    )


# What the outbox needs -----------------------------------------------------------------------


def _skip_reason(delivery: CheckInDelivery, now: datetime) -> str:
    """Why this reminder should not go out after all, or ""."""
    reminder = getattr(delivery.user, "check_in_reminder", None)
    if reminder is None or not reminder.enabled:
        return "The check-in reminder was turned off."
    if _checked_in(delivery.user, delivery.week_start):
        return "Already checked in that week."
    return ""


# Whether the user has done a week's check-in: the check-in's feature says (practice/apps.py
# adds practice.reminders.checked_in); nudges imports no feature above it.
CHECKED_IN: list[Callable[..., bool]] = []


def _checked_in(user: User, monday: date) -> bool:
    return any(rule(user=user, week_start=monday) for rule in CHECKED_IN)


def _send(delivery: CheckInDelivery) -> dict:
    user = delivery.user
    return outbox.email_hand_over(
        emails.check_in_reminder_email(user=user, reminder=user.check_in_reminder)
    )


CHECK_IN_REMINDER = outbox.register(
    outbox.Purpose(
        model=CheckInDelivery, send=_send, skip_reason=_skip_reason, give_up_after=GIVE_UP_AFTER
    )
)
