"""The weekly check-in reminder: one per user and local week, exactly once, DST-correct.

The same claim-then-send pattern as the daily nudge (nudges/services.py):

1. The dispatcher locks the reminders due now (SKIP LOCKED), moves each `next_due_at` to
   the next week and creates one `CheckInDelivery` per (user, local week), a unique pair,
   in the same transaction; send tasks are queued after it commits.
2. The sender claims each delivery with a conditional update (claimed -> sending) and
   commits before the email goes out, so a second task holding the same id finds it taken;
   then it logs the outcome (sent, skipped, failed) on the row.
3. The sweeper queues again what was claimed but never sent, and marks failed what a
   killed worker left "sending" (never resent: a second reminder hurts more than none).
"""

import logging
import smtplib
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import batched
from zoneinfo import ZoneInfo

from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from journal.insights import week_start
from journal.kinds import CHECK_IN
from journal.models import Entry

from . import emails
from .models import CheckInDelivery, CheckInReminder
from .services.schedule import _instant

log = logging.getLogger(__name__)

GIVE_UP_AFTER = timedelta(hours=2)  # as the daily nudge: no reminder in the middle of the night
STALE_AFTER = timedelta(minutes=10)
SEND_BATCH = 500
TRANSPORT_ERRORS = (smtplib.SMTPException, OSError)
_TICK = timedelta(microseconds=1)
Status = CheckInDelivery.Status


def reminder_for(*, user: User) -> CheckInReminder | None:
    return CheckInReminder.objects.filter(user=user).first()


def next_due(*, weekday: int, at: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after `after` that is `weekday` at `at` in `zone`, in UTC."""
    day = after.astimezone(zone).date()
    day += timedelta(days=(weekday - day.weekday()) % 7)
    instant = _instant(day, at, zone)
    return instant if instant > after else _instant(day + timedelta(weeks=1), at, zone)


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


# Dispatcher --------------------------------------------------------------------------------


def dispatch_due(*, now: datetime) -> int:
    """Claim every reminder due at or before `now`, a batch at a time; returns how many
    deliveries were created and queued."""
    queued = 0
    while True:
        created, claimed = _claim_batch(now=now)
        queued += created
        if claimed < SEND_BATCH:
            return queued


@transaction.atomic
def _claim_batch(*, now: datetime) -> tuple[int, int]:
    reminders = list(
        CheckInReminder.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(enabled=True, next_due_at__lte=now)
        .order_by("next_due_at")[:SEND_BATCH]
    )
    deliveries = [d for reminder in reminders if (d := _claim_one(reminder, now=now))]
    for reminder in reminders:
        CheckInReminder.objects.filter(pk=reminder.pk).update(next_due_at=reminder.next_due_at)
    CheckInDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)  # once a week
    created = list(
        CheckInDelivery.objects.filter(
            user_id__in=[d.user_id for d in deliveries], claimed_at=now
        ).values_list("pk", flat=True)
    )
    for chunk in batched(created, SEND_BATCH):
        transaction.on_commit(partial(_queue_send, list(chunk)))
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
        user_id=reminder.user_id, week_start=week_start(local_day), due_at=due, claimed_at=now
    )


def _queue_send(delivery_ids: list[int]) -> None:
    from .tasks import send_check_in_reminders  # tasks import this module

    send_check_in_reminders.delay(delivery_ids=delivery_ids)


# Sender ------------------------------------------------------------------------------------


def deliveries_send(*, delivery_ids: list[int]) -> int:
    """Send each delivery this call can claim; returns how many it sent."""
    return sum(handle_one_delivery(delivery_id=pk) for pk in delivery_ids)


def handle_one_delivery(*, delivery_id: int) -> bool:
    """Claim one delivery (claimed -> sending, committed), send it, log the outcome.

    True only if this call sent it. Raises one of TRANSPORT_ERRORS, with the delivery
    claimed again for the task's retry, when the mail server did not take it.
    """
    now = timezone.now()
    taken = CheckInDelivery.objects.filter(pk=delivery_id, status=Status.CLAIMED).update(
        status=Status.SENDING, sending_at=now
    )
    if not taken:
        return False
    delivery = CheckInDelivery.objects.select_related("user__check_in_reminder").get(pk=delivery_id)
    if reason := _not_sending(delivery, now=now):
        status = Status.FAILED if reason.startswith("Too late") else Status.SKIPPED
        _finish(delivery, status=status, error=reason)
        return False
    message = emails.check_in_reminder_email(
        user=delivery.user, reminder=delivery.user.check_in_reminder
    )
    try:
        with mail.mailers.default as mailer:
            sent = mailer.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        _finish(delivery, status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:1000])
        return False
    except TRANSPORT_ERRORS as error:
        # The server took nothing, so the retry cannot make it arrive twice.
        CheckInDelivery.objects.filter(pk=delivery_id, status=Status.SENDING).update(
            status=Status.CLAIMED, sending_at=None, error=f"{type(error).__name__}: {error}"[:1000]
        )
        raise
    if not sent:
        _finish(delivery, status=Status.FAILED, error="The mail server took no message.")
        return False
    _finish(delivery, status=Status.SENT, sent_at=timezone.now())
    return True


def _not_sending(delivery: CheckInDelivery, *, now: datetime) -> str:
    """Why this reminder should not go out after all, or ""."""
    reminder = getattr(delivery.user, "check_in_reminder", None)
    if reminder is None or not reminder.enabled:
        return "The check-in reminder was turned off."
    if now - delivery.due_at > GIVE_UP_AFTER:
        return "Too late to send."
    if _checked_in(delivery.user, delivery.week_start):
        return "Already checked in that week."
    return ""


def _checked_in(user: User, monday: date) -> bool:
    week = (monday, monday + timedelta(days=6))
    return Entry.objects.filter(user=user, kind=CHECK_IN.value, day__range=week).exists()


def _finish(delivery: CheckInDelivery, **fields) -> None:
    CheckInDelivery.objects.filter(pk=delivery.pk).update(**fields)


# Sweeper -----------------------------------------------------------------------------------


@transaction.atomic
def deliveries_sweep(*, now: datetime) -> tuple[int, int]:
    """Queue again what was claimed but never sent; mark failed what a killed worker left
    sending. Returns (requeued, lost)."""
    lost = CheckInDelivery.objects.filter(
        status=Status.SENDING, sending_at__lt=now - STALE_AFTER
    ).update(
        status=Status.FAILED,
        error="The worker stopped while sending. Not tried again, so it is never sent twice.",
    )
    stale = list(
        CheckInDelivery.objects.filter(
            status=Status.CLAIMED, claimed_at__lt=now - STALE_AFTER
        ).values_list("pk", flat=True)
    )
    for chunk in batched(stale, SEND_BATCH):
        transaction.on_commit(partial(_queue_send, list(chunk)))
    return len(stale), lost
