"""What the practice tools' reminders say, and when one is no longer wanted: the end of a
break (a one-off reminder) and the weekly check-in. The reminders' engine is nudges'
(nudges/services/one_off.py, nudges/weekly.py); practice/apps.py hands it these."""

from datetime import date, timedelta

from django.urls import reverse

from accounts.models import User
from journal.models import Entry
from nudges.models import OneOffReminder
from nudges.services.one_off import Message

from . import breaks, content
from .kinds import CHECK_IN


def break_end_message(reminder: OneOffReminder) -> Message | None:
    """Time to go back: no journal text in it, only the app's words and a link. None once
    the break is deleted."""
    entry = Entry.objects.filter(pk=int(reminder.key), user_id=reminder.user_id).first()
    if entry is None:
        return None
    when = breaks.when_words(entry.return_at, now=entry.created_at, zone=reminder.user.zone)
    return Message(
        title="Time to go back",
        lines=[
            f"You said you would be back at {when}. When you are ready, go back and pick it up.",
            "Some ways to start again:",
            *(f"“{way}”" for way in content.load("breaks")["restart_ways"]),
        ],
        link_text="Say whether you went back",
        path=reverse("journal:entry_detail", args=[entry.pk]),
    )


def checked_in(*, user: User, week_start: date) -> bool:
    """Has the user done the check-in of the week starting `week_start` (a Monday)?"""
    week = (week_start, week_start + timedelta(days=6))
    return Entry.objects.filter(user=user, kind=CHECK_IN.value, day__range=week).exists()
