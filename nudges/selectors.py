from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from journal.export import register_section
from journal.situations import words_for_situation
from lessons.models import Lesson
from lessons.selectors import next_lessons_for_users

from .models import (
    UNFINISHED_WITHIN,
    WEEKDAY_NAMES,
    CheckInReminder,
    NudgeDelivery,
    ReminderSchedule,
)
from .prompts import lean_in_prompt


@dataclass(frozen=True)
class Suggestion:
    """What today's nudge asks of the user, and the page that helps them do it."""

    text: str
    path: str


def suggestions_for(*, deliveries: list[NudgeDelivery]) -> dict[int, Suggestion]:
    """Each delivery's suggestion (keyed by delivery id), in two queries: the Practice that
    fits the user's situation, of their next Lesson in the order it suggests; once every
    Lesson is done, a lean-in prompt, or a line about the people close to them for a reader
    without a partner. The deliveries come with their users."""
    lessons = next_lessons_for_users(situations={d.user_id: d.user.situation for d in deliveries})
    made = cache(_suggestion)  # a batch shares a few lessons and days: make each once
    return {d.pk: made(lessons[d.user_id], d.local_date, _Reader.of(d.user)) for d in deliveries}


@dataclass(frozen=True)
class _Reader:
    """What of a user their suggestion depends on."""

    situation: str
    has_partner: bool
    practises_alone: bool

    @classmethod
    def of(cls, user: User) -> "_Reader":
        return cls(user.situation, user.has_partner, user.practises_alone)


def _suggestion(lesson: Lesson | None, day: date, reader: _Reader) -> Suggestion:
    if lesson is None:
        if reader.has_partner:
            text = lean_in_prompt(day)
        else:
            text = words_for_situation(reader.situation).nudge_suggestion
        return Suggestion(text=text, path=reverse("journal:gratitude_new"))
    practice = lesson.practice_for(alone=reader.practises_alone)
    return Suggestion(
        text=f"{practice.title} (from the lesson “{lesson.title}”)",
        path=lesson.get_absolute_url(),
    )


def due_schedule_ids(*, now: datetime, limit: int) -> list[int]:
    """Schedules whose next reminder is at or before `now`, oldest first (an index range scan)."""
    due = ReminderSchedule.objects.filter(enabled=True, next_due_at__lte=now)
    return list(due.order_by("next_due_at").values_list("pk", flat=True)[:limit])


def schedules_due_by(*, end: datetime) -> QuerySet[ReminderSchedule]:
    """Schedules due at or before `end` (overdue ones included), soonest first, with users."""
    return (
        ReminderSchedule.objects.filter(enabled=True, next_due_at__lte=end)
        .select_related("user")
        .order_by("next_due_at")
    )


def recent_deliveries(*, user: User, limit: int = 5) -> QuerySet[NudgeDelivery]:
    return NudgeDelivery.objects.filter(user=user).order_by("-local_date")[:limit]


# Due this long ago and still unsent, a nudge is stuck: its task or its worker was lost.
OVERDUE_AFTER = timedelta(minutes=10)


def overdue_deliveries_count(*, now: datetime) -> int:
    """Nudges due more than ten minutes before `now` (and within UNFINISHED_WITHIN) and still
    waiting or being sent."""
    unfinished = NudgeDelivery.objects.filter(
        status__in=[NudgeDelivery.Status.CLAIMED, NudgeDelivery.Status.SENDING]
    )
    since, overdue = now - UNFINISHED_WITHIN, now - OVERDUE_AFTER
    return unfinished.filter(due_at__gte=since, due_at__lt=overdue).count()


@register_section("reminders")
def reminders_for_export(*, user: User) -> list[dict]:
    """The user's reminder settings, for the JSON export (journal/export.py)."""
    rows = []
    if daily := ReminderSchedule.objects.filter(user=user).first():
        rows.append(
            {
                "reminder": "daily",
                "enabled": daily.enabled,
                "at": daily.local_time,
                "days": daily.days_label,
                "paused_until": daily.paused_until,
                "skip_if_written": daily.skip_if_written,
                "channel": daily.channel,
            }
        )
    if weekly := CheckInReminder.objects.filter(user=user).first():
        rows.append(
            {
                "reminder": "weekly check-in",
                "enabled": weekly.enabled,
                "at": weekly.local_time,
                "days": f"on {WEEKDAY_NAMES[weekly.weekday]}s",
            }
        )
    return rows
