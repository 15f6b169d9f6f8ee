"""One-off reminders: the end of a break. Scheduled, cancelled, and sent once each.

Each reminder is claimed (waiting → sending) in a commit of its own before it is handed to
the mail server or push service, and marked sent right after: if the worker dies in
between, only that one message's fate is unknown, and the sweeper marks it failed instead
of sending it again. A transport error before the hand-over puts it back to waiting, so
the next minute's run tries again. Nothing here carries what the user wrote.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import pagecache
from core.emails import email_build
from journal import breaks, texts
from journal.models import Entry

from .. import push
from ..models import Channel, OneOffReminder
from .send import TRANSPORT_ERRORS

Status = OneOffReminder.Status
Purpose = OneOffReminder.Purpose
SEND_AT_ONCE = 200  # per run of the every-minute task; the rest wait for the next
GIVE_UP_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Message:
    """What a reminder says: no journal text, only the app's own words and a link."""

    title: str
    lines: list[str]
    link_text: str
    path: str


def one_off_schedule(*, user: User, purpose: str, key: str, due_at: datetime) -> OneOffReminder:
    reminder, _ = OneOffReminder.objects.update_or_create(
        user=user,
        purpose=purpose,
        key=key,
        defaults={"due_at": due_at, "status": Status.WAITING, "error": ""},
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
    claimed = OneOffReminder.objects.filter(pk=pk, status=Status.WAITING, due_at__lte=now)
    if not claimed.update(status=Status.SENDING, sending_at=now):
        return False  # another worker has it, or it was cancelled
    reminder = OneOffReminder.objects.select_related("user__reminder_schedule").get(pk=pk)
    mine = OneOffReminder.objects.filter(pk=pk, status=Status.SENDING)
    try:
        channel = _send(reminder)
    except TRANSPORT_ERRORS as error:
        # Nobody took it, so trying again next minute cannot make it arrive twice.
        mine.update(status=Status.WAITING, sending_at=None, error=_describe(error))
        return False
    mine.update(status=Status.SENT, sent_at=timezone.now(), channel=channel)
    pagecache.bump(reminder.user_id)  # Today now asks whether they went back
    return True


def one_off_sweep(*, now: datetime) -> int:
    """Give up on reminders a dead worker left "sending": never send them twice."""
    stale = OneOffReminder.objects.filter(status=Status.SENDING, sending_at__lt=now - GIVE_UP_AFTER)
    return stale.update(
        status=Status.FAILED, error="The worker stopped while sending; not sent again."
    )


def _send(reminder: OneOffReminder) -> str:
    """Hand the reminder over by the user's channel; returns the channel that took it."""
    user, message = reminder.user, MESSAGES[reminder.purpose](reminder)
    schedule = getattr(user, "reminder_schedule", None)
    if schedule and schedule.channel == Channel.PUSH:
        result = push.user_push(
            user=user, title=message.title, body=message.lines[0], url=message.path
        )
        if result.delivered:
            return Channel.PUSH
        if result.errors:
            raise push.PushTransportError(result.errors[0])
    context = {
        "name": user.display_name,
        "message": message,
        "url": settings.SITE_URL + message.path,
        "help_url": settings.SITE_URL + reverse("get_help"),
    }
    with mail.mailers.default as mailer:
        sent = mailer.send_messages([email_build("one_off", to=user.email, context=context)])
    if not sent:
        raise OSError("The mail server took no message.")
    return Channel.EMAIL


def _break_end(reminder: OneOffReminder) -> Message:
    entry = Entry.objects.get(pk=int(reminder.key), user_id=reminder.user_id)
    when = breaks.when_words(entry.return_at, now=entry.created_at, zone=reminder.user.zone)
    return Message(
        title="Time to go back",
        lines=[
            f"You said you would be back at {when}. When you are ready, go back and pick it up.",
            "Some ways to start again:",
            *(f"“{way}”" for way in texts.load("breaks")["restart_ways"]),
        ],
        link_text="Say whether you went back",
        path=reverse("journal:entry_detail", args=[entry.pk]),
    )


MESSAGES = {Purpose.BREAK_END: _break_end}


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
