"""One-off reminders: the end of a break. Scheduled, cancelled, and sent once each.

A reminder waits for its time, when the every-minute run hands it to the outbox
(outbox/services.py), which claims it in a commit of its own, sends it by the user's channel and
records the outcome; a transport error leaves it waiting for the next minute's run. Nothing
here carries what the user wrote.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from accounts.models import User
from core.emails import email_build
from journal.models import Entry
from outbox import services as outbox
from outbox.discreet import discreet_email, sender
from outbox.selectors import reachable_user_ids

from .. import push
from ..models import Channel, OneOffReminder

log = logging.getLogger(__name__)
Status = OneOffReminder.Status
Purpose = OneOffReminder.Purpose
SEND_AT_ONCE = 200  # per run of the every-minute task; the rest wait for the next
GONE = "What it was for was deleted."
UNREACHABLE = "The account is inactive or its address unconfirmed."


@dataclass(frozen=True)
class Message:
    """What a reminder says: no journal text, only the app's own words and a link."""

    title: str
    lines: list[str]
    link_text: str
    path: str


def one_off_schedule(
    *, user: User, purpose: str, key: str, due_at: datetime, entry: Entry | None = None
) -> OneOffReminder:
    """Remind `user` once at `due_at`; with `entry`, the reminder goes when the entry does."""
    reminder, _ = OneOffReminder.objects.update_or_create(
        user=user,
        purpose=purpose,
        key=key,
        defaults={"due_at": due_at, "status": Status.WAITING, "error": "", "entry": entry},
    )
    return reminder


def one_off_cancel(*, user: User, purpose: str, key: str) -> bool:
    """Cancel a reminder not yet claimed; False if it is already on its way or gone."""
    waiting = OneOffReminder.objects.filter(
        user=user, purpose=purpose, key=key, status=Status.WAITING
    )
    return waiting.update(status=Status.CANCELLED) == 1


def one_off_send_due(*, now: datetime) -> int:
    """Send the reminders due by `now`, each once; returns how many went out."""
    due = OneOffReminder.objects.filter(status=Status.WAITING, due_at__lte=now)
    ids = list(due.order_by("due_at").values_list("pk", flat=True)[:SEND_AT_ONCE])
    return sum(handle_one_reminder(pk=pk, now=now) for pk in ids)


def handle_one_reminder(*, pk: int, now: datetime) -> bool:
    try:
        sent = outbox.handle_one(purpose=ONE_OFF_REMINDER, pk=pk, now=now)
    except outbox.TRANSPORT_ERRORS:
        return False  # waiting again: nobody took it, so next minute's try cannot double it
    except Exception as error:
        # A fault in one reminder holds up no one else's: it is failed, not tried again
        # (it may have gone out before the fault), and the run goes on.
        log.exception("one-off reminder %s could not be sent", pk)
        unfinished = OneOffReminder.objects.filter(
            pk=pk, status__in=[Status.WAITING, Status.SENDING]
        )
        unfinished.update(status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:1000])
        return False
    return sent


def _skip_reason(reminder: OneOffReminder, now: datetime) -> str:
    """Skipped, not sent, once what it reminds of is deleted (still within its undo window:
    the database deletes the reminder with it after that), or while the app may not write to
    the person (as for the daily and weekly reminders: outbox.selectors.reachable_addresses)."""
    if not MESSAGES[reminder.purpose](reminder):
        return GONE
    if not reachable_user_ids([reminder.user_id]):
        return UNREACHABLE
    return ""


def _send(reminder: OneOffReminder) -> dict | None:
    """Hand the reminder over by the user's channel; records the channel that took it."""
    user, message = reminder.user, MESSAGES[reminder.purpose](reminder)
    if message is None:
        return None
    schedule = getattr(user, "reminder_schedule", None)
    if schedule and schedule.channel == Channel.PUSH:
        result = push.user_push(
            user=user, title=message.title, body=message.lines[0], url=message.path
        )
        if result.delivered:
            return {"channel": Channel.PUSH}
        if result.errors:
            raise push.PushTransportError(result.errors[0])
    outbox.email_hand_over(_email(user, message))
    return {"channel": Channel.EMAIL}


def _email(user: User, message: Message):
    if user.discreet_reminders:
        return discreet_email(user=user)
    context = {
        "name": user.display_name,
        "message": message,
        "url": settings.SITE_URL + message.path,
    }
    return email_build("one_off", to=user.email, context=context, from_email=sender(user))


# What each purpose's reminder says, or None once what it was for is gone: the feature that
# schedules it fills this in (the end of a break: practice/reminders.py, from
# practice/apps.py); nudges imports no feature above it.
MESSAGES: dict[str, Callable[[OneOffReminder], Message | None]] = {}


def register_message(purpose: str, message: Callable[[OneOffReminder], Message | None]) -> None:
    MESSAGES[purpose] = message


ONE_OFF_REMINDER = outbox.register(
    outbox.Purpose(model=OneOffReminder, send=_send, skip_reason=_skip_reason, ready=Status.WAITING)
)
