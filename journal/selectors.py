from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from nudges.models import OneOffReminder

from . import insights, situations, tool_content
from .kinds import (
    BREAK,
    CHECK_IN,
    FOUR_ABILITIES,
    LOVE_LANGUAGES,
    RUNG,
    URGE,
    Kind,
    moment_fields,
    searchable_fields,
)
from .models import DailyQuestion, Entry


def entries_for_user(*, user: User, kind: str | None = None, query: str = "") -> QuerySet[Entry]:
    """The user's live entries, newest first, optionally one kind and matching a search."""
    entries = Entry.objects.filter(user=user)
    if kind:
        entries = entries.filter(kind=kind)
    if query:
        match = Q()
        for field in searchable_fields():
            match |= Q(**{f"{field}__icontains": query})
        entries = entries.filter(match)
    return entries.order_by("-day", "-created_at")


def entries_for_day(*, user: User, day: date) -> QuerySet[Entry]:
    return Entry.objects.filter(user=user, day=day).order_by("-created_at")


def entry_for_user(*, user: User, pk: int) -> Entry | None:
    return Entry.objects.filter(user=user, pk=pk).first()


def insights_for(
    *,
    user: User,
    kinds: set[str],
    today: date,
    include_private: bool = True,
    since: date | None = None,
) -> insights.Insights:
    """The insights pictures for the given kinds of the user's entries, in two queries (two
    more with breaks or urges).

    A therapist's view passes the shared kinds, include_private=False and the share's
    from-date as `since`, so the pictures show nothing the client has not shared.
    """
    entries = Entry.objects.filter(user=user, kind__in=kinds, day__lte=today)
    if not include_private:
        entries = entries.filter(is_private=False)
    if since:
        entries = entries.filter(day__gte=since)
    counts = (
        entries.filter(day__gte=insights.window_start(today))
        .values("day", "kind", *moment_fields())
        .annotate(n=Count("id"))
        .order_by()
    )
    # The run can reach back past the window, so the days are read newest first until a gap.
    days = entries.values_list("day", flat=True).distinct().order_by("-day")
    built = insights.build_insights(
        today=today,
        kinds=kinds,
        counts=counts,
        days_newest_first=days.iterator(chunk_size=100),
        ability_takes=_takes(entries, kinds, FOUR_ABILITIES.value, "scores"),
        language_takes=_takes(entries, kinds, LOVE_LANGUAGES.value, "my_order"),
    )
    if not kinds & {BREAK.value, URGE.value}:
        return built
    recent = entries.filter(day__gte=today - timedelta(weeks=insights.CHART_WEEKS))
    tools = insights.tools_summary(
        urges=recent.filter(kind=URGE.value).values("day", "strength", "helped"),
        breaks=recent.filter(kind=BREAK.value).values("went_back"),
        today=today,
        helped_labels=dict(URGE.get("helped").choices.choices),
    )
    # Nothing to say about tools the user has not used: the page stays as it was.
    return replace(built, tools=tools) if tools.urges or tools.breaks_taken else built


def _takes(entries: QuerySet[Entry], kinds: set[str], kind: str, field: str) -> list[tuple]:
    """(day, result) of a self-check's latest takes among `entries`, oldest first."""
    if kind not in kinds:
        return []
    takes = entries.filter(kind=kind).order_by("-day", "-created_at", "-pk")
    return list(reversed(takes.values_list("day", field)[: insights.LINE_TAKES]))


def days_practised_this_week(*, user: User, today: date) -> int:
    """Local days from Monday to today with at least one entry of any kind."""
    start = insights.week_start(today)
    entries = Entry.objects.filter(user=user, day__gte=start, day__lte=today)
    return entries.values("day").distinct().count()


def entries_for_export(*, user: User) -> QuerySet[Entry]:
    """Every live entry of the user, oldest first, as export and print read them."""
    return Entry.objects.filter(user=user).order_by("day", "created_at", "pk")


def entries_between(
    *, user: User, start: date, end: date, include_private: bool = True
) -> QuerySet[Entry]:
    entries = entries_for_export(user=user).filter(day__gte=start, day__lte=end)
    return entries if include_private else entries.filter(is_private=False)


def _break_called_off(entry: Entry) -> bool:
    reminder = break_reminder(entry=entry)
    return reminder is not None and reminder.status == OneOffReminder.Status.CANCELLED


def break_reminder(*, entry: Entry) -> OneOffReminder | None:
    """The reminder to go back at the end of this break: waiting, sent or cancelled."""
    return OneOffReminder.objects.filter(
        user_id=entry.user_id, purpose=OneOffReminder.Purpose.BREAK_END, key=str(entry.pk)
    ).first()


@dataclass(frozen=True)
class NextStep:
    """The one thing Today suggests doing next."""

    eyebrow: str
    title: str
    text: str
    action: str
    url: str


def next_step(*, user: User, today: date, next_lesson, lessons_done: int) -> NextStep:
    """One suggestion for Today, most pressing first: a break that has ended (did you go
    back?), the first lesson, the day's question while it is open, then the next lesson;
    once all of those are done, a line of gratitude in the words of the reader's situation."""
    ended = entries_for_user(user=user, kind="break").filter(
        return_at__lte=timezone.now(), went_back="", day__gte=today - timedelta(days=1)
    )
    ended = next((e for e in ended[:3] if not _break_called_off(e)), None)
    if ended:
        return NextStep(
            "Your break",
            "Did you go back?",
            "Your break has ended. Saying how it went takes a few seconds.",
            "Say how it went",
            reverse("journal:entry_detail", args=[ended.pk]),
        )
    daily = DailyQuestion.objects.filter(user=user, day=today).first()
    question_open = not (daily and (daily.answer_id or daily.skipped_at))
    if next_lesson and (lessons_done == 0 or not question_open):
        return NextStep(
            next_lesson.module.title,
            next_lesson.title,
            next_lesson.summary,
            "Continue",
            next_lesson.get_absolute_url(),
        )
    if question_open:
        return NextStep(
            "A question a day",
            "Today's question",
            "One question to answer for yourself, or to ask them.",
            "See today's question",
            reverse("journal:answer_new"),
        )
    return NextStep(
        "For today",
        "One small moment",
        situations.words_for(user).home_next_step,
        "Write it down",
        reverse("journal:gratitude_new"),
    )


# The practice tools over weeks: the weekly check-in, the self-checks, the ladder ---------

RETAKE_AFTER = timedelta(days=30)


def check_ins_for(*, user: User) -> QuerySet[Entry]:
    return Entry.objects.filter(user=user, kind=CHECK_IN.value).order_by("-day", "-created_at")


def last_plan(*, user: User, before: date) -> str:
    """The newest "one thing we'll do" from a check-in before `before`, or ""."""
    planned = check_ins_for(user=user).filter(day__lt=before).exclude(next_week="")
    return planned.values_list("next_week", flat=True).first() or ""


def self_checks_for(*, user: User, kind: str) -> QuerySet[Entry]:
    """The user's takes of one self-check, oldest first."""
    return Entry.objects.filter(user=user, kind=kind).order_by("day", "created_at", "pk")


def latest_self_check(*, user: User, kind: str) -> Entry | None:
    return self_checks_for(user=user, kind=kind).last()


def self_check_due(user: User) -> Kind | None:
    """The self-check whose last take is more than 30 days old (a retake is suggested), or
    None. For the home page's one suggested next step; a check never taken is not due."""
    today = user.local_today()
    for kind in (FOUR_ABILITIES, LOVE_LANGUAGES):
        latest = latest_self_check(user=user, kind=kind.value)
        if latest and today - latest.day > RETAKE_AFTER:
            return kind
    return None


def lowest_ability(*, user: User) -> tool_content.Ability | None:
    """The lowest-scoring ability of the user's latest four abilities self-check."""
    latest = latest_self_check(user=user, kind=FOUR_ABILITIES.value)
    if latest is None or not latest.scores:
        return None
    key = min(latest.scores, key=latest.scores.get)
    return tool_content.four_abilities().ability(key)


def rungs_for(*, user: User) -> QuerySet[Entry]:
    """The user's ladder, easiest first."""
    return Entry.objects.filter(user=user, kind=RUNG.value).order_by("position", "pk")


def next_rung(user: User) -> Entry | None:
    """The easiest rung not yet done, for the home page; None when there is none."""
    return rungs_for(user=user).filter(done_on__isnull=True).first()


def rung_for_user(*, user: User, pk: int) -> Entry | None:
    return rungs_for(user=user).filter(pk=pk).first()


def check_in_today(user: User) -> bool:
    """True on the weekday the user chose for their weekly check-in reminder, until they
    have checked in that local week; for the home page's one suggested next step."""
    from nudges.models import CheckInReminder  # nudges reads journal; not the other way round

    today = user.local_today()
    chosen = CheckInReminder.objects.filter(user=user, enabled=True, weekday=today.weekday())
    week = (insights.week_start(today), today)
    return chosen.exists() and not check_ins_for(user=user).filter(day__range=week).exists()
