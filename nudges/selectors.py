from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from lessons.models import Lesson
from lessons.selectors import next_lessons_for_users

from .models import NudgeDelivery, ReminderSchedule
from .prompts import lean_in_prompt


@dataclass(frozen=True)
class Suggestion:
    """What today's nudge asks of the user, and the page that helps them do it."""

    text: str
    path: str


def suggestions_for(*, deliveries: list[NudgeDelivery]) -> dict[int, Suggestion]:
    """Each delivery's suggestion (keyed by delivery id), in two queries: the Practice of the
    user's next Lesson, or a lean-in prompt once every Lesson is done."""
    lessons = next_lessons_for_users(user_ids=[d.user_id for d in deliveries])
    made = cache(_suggestion)  # a batch shares a few lessons and days: make each once
    return {d.pk: made(lessons[d.user_id], d.local_date) for d in deliveries}


def _suggestion(lesson: Lesson | None, day: date) -> Suggestion:
    if lesson is None:
        return Suggestion(text=lean_in_prompt(day), path=reverse("journal:gratitude_new"))
    return Suggestion(
        text=f"{lesson.practice_title} (from the lesson “{lesson.title}”)",
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
    """Nudges due more than ten minutes before `now` and still waiting or being sent."""
    unfinished = NudgeDelivery.objects.filter(
        status__in=[NudgeDelivery.Status.CLAIMED, NudgeDelivery.Status.SENDING]
    )
    return unfinished.filter(due_at__lt=now - OVERDUE_AFTER).count()
