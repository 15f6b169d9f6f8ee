"""The practice tools' reads: a break's reminder, the weekly check-ins, the self-checks,
the ladder, their insight cards, and what Today suggests next."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from journal import situations
from journal.insights import CHART_WEEKS, Card, week_start
from journal.kinds import EntryKind
from journal.models import DailyQuestion, Entry
from journal.selectors import entries_for_user
from lessons.selectors import Focus
from nudges.models import CheckInReminder, OneOffReminder

from . import breaks, content, insights
from .kinds import BREAK, CHECK_IN, FOUR_ABILITIES, LOVE_LANGUAGES, RUNG, URGE
from .models import CheckInDraft


def finished_breaks(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """The breaks among `entries` that ran their course: not called off, and past the time
    given or come back from early."""
    over = breaks.over(now=timezone.now())
    return entries.filter(over, kind=BREAK.value, called_off_at__isnull=True)


# A break not called off and not yet come back from: on until its return time, then asked
# about (did you go back?) until answered.
_OPEN_BREAK = Q(kind=BREAK.value, called_off_at__isnull=True, return_at__isnull=False, went_back="")


def running_break(*, user: User, now: datetime) -> Entry | None:
    """The break `user` is on at `now` (its return time still ahead), the soonest to end."""
    rows = entries_for_user(user=user).filter(_OPEN_BREAK, return_at__gt=now)
    return rows.order_by("return_at").first()


@dataclass(frozen=True)
class PracticeNow:
    """What Today shows of the breaks and the ladder, read in one query (`practice_now`)."""

    running_break: Entry | None  # on now: its return time still ahead
    ended_break: Entry | None  # ended since yesterday and not yet answered: did you go back?
    next_rung: Entry | None  # the easiest rung not yet done


def practice_now(*, user: User, today: date) -> PracticeNow:
    """`running_break`, `next_rung` and the break `next_step` asks about, in one query."""
    now = timezone.now()
    # One that has ended is asked about for a day.
    rows = entries_for_user(user=user).filter(
        _OPEN_BREAK & (Q(return_at__gt=now) | Q(day__gte=today - timedelta(days=1)))
        | Q(kind=RUNG.value, done_on__isnull=True)
    )
    open_breaks = [entry for entry in rows if entry.kind == BREAK.value]  # newest first
    rungs = sorted((e for e in rows if e.kind == RUNG.value), key=lambda e: (e.position, e.pk))
    running = (e for e in open_breaks if not breaks.is_over(e, now=now))
    ended = (e for e in open_breaks if breaks.is_over(e, now=now))
    return PracticeNow(
        running_break=min(running, key=lambda e: e.return_at, default=None),
        ended_break=next(ended, None),
        next_rung=rungs[0] if rungs else None,
    )


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


def next_step(
    *, user: User, today: date, next_lesson, lessons_done: int, ended_break: Entry | None
) -> NextStep:
    """One suggestion for Today, most pressing first: a break that has ended (did you go
    back? `PracticeNow.ended_break`), the first lesson, the day's question while it is open,
    then the next lesson; once all of those are done, a line of gratitude in the words of the
    reader's situation."""
    if ended := ended_break:
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
            reverse("practice:answer_new"),
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


def check_in_of_week(*, user: User, day: date) -> Entry | None:
    """The check-in saved in the local week (Monday to Sunday) of `day`: one a week."""
    start = week_start(day)
    return check_ins_for(user=user).filter(day__range=(start, start + timedelta(days=6))).first()


# A check-in left midway is offered for two days into the next week, so one begun late on
# Sunday is still there on Monday; it is then saved as the week it was begun in.
DRAFT_LATE_DAYS = timedelta(days=2)


def check_in_drafts_from(today: date) -> date:
    """The first week whose draft is still offered on `today` (earlier ones are deleted)."""
    return week_start(today - DRAFT_LATE_DAYS)


def check_in_draft_for(*, user: User, today: date) -> CheckInDraft | None:
    """The check-in the user left midway this week, or last week until DRAFT_LATE_DAYS
    into this one (one left earlier is not picked up again: its week is long over)."""
    return CheckInDraft.objects.filter(
        user=user, week_start__gte=check_in_drafts_from(today)
    ).first()


def self_checks_for(*, user: User, kind: str) -> QuerySet[Entry]:
    """The user's takes of one self-check, oldest first."""
    return Entry.objects.filter(user=user, kind=kind).order_by("day", "created_at", "pk")


def latest_self_check(*, user: User, kind: str) -> Entry | None:
    return self_checks_for(user=user, kind=kind).last()


def self_check_due(user: User) -> EntryKind | None:
    """The self-check whose last take is more than 30 days old (a retake is suggested), or
    None. For the home page's one suggested next step; a check never taken is not due."""
    today = user.local_today()
    for kind in (FOUR_ABILITIES, LOVE_LANGUAGES):
        latest = latest_self_check(user=user, kind=kind.value)
        if latest and today - latest.day > RETAKE_AFTER:
            return kind
    return None


def lowest_ability(*, user: User) -> content.Ability | None:
    """The lowest-scoring ability of the user's latest four abilities self-check."""
    latest = latest_self_check(user=user, kind=FOUR_ABILITIES.value)
    if latest is None or not latest.scores:
        return None
    key = min(latest.scores, key=latest.scores.get)
    return content.four_abilities().ability(key)


def ability_focus(*, user: User) -> Focus | None:
    """The lessons path's focus (lessons.selectors.FOCUS_PROVIDERS): the lowest ability."""
    lowest = lowest_ability(user=user)
    if lowest is None:
        return None
    reason = "Your last four abilities self-check was lowest here."
    return Focus(name=lowest.name, reason=reason, lesson_slugs=tuple(lowest.lessons))


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
    today = user.local_today()
    chosen = CheckInReminder.objects.filter(user=user, enabled=True, weekday=today.weekday())
    week = (week_start(today), today)
    return chosen.exists() and not check_ins_for(user=user).filter(day__range=week).exists()


# Insight cards: the journal's insights page draws them for these kinds (practice/apps.py) --


def tools_card(*, entries: QuerySet[Entry], kinds: set[str], today: date) -> Card | None:
    """Breaks and urges over the last weeks, in two queries; None without either."""
    if not kinds & {BREAK.value, URGE.value}:
        return None
    recent = entries.filter(day__gte=today - timedelta(weeks=CHART_WEEKS))
    tools = insights.tools_summary(
        urges=recent.filter(kind=URGE.value).values("day", "strength", "helped"),
        breaks=finished_breaks(recent).values("went_back"),
        today=today,
        helped_labels=dict(URGE.get("helped").choices.choices),
    )
    # Nothing to say about tools the user has not used: the page stays as it was.
    if not (tools.urges or tools.breaks_taken):
        return None
    return Card("practice/_insights_tools.html", tools)


def self_checks_card(*, entries: QuerySet[Entry], kinds: set[str], today: date) -> Card | None:
    """Each self-check's latest takes, a line per ability or language; a query per check."""
    abilities = insights.abilities_chart(_takes(entries, kinds, FOUR_ABILITIES.value, "scores"))
    languages = insights.languages_chart(_takes(entries, kinds, LOVE_LANGUAGES.value, "my_order"))
    if not (abilities or languages):
        return None
    return Card("practice/_insights_self_checks.html", insights.SelfChecks(abilities, languages))


def _takes(entries: QuerySet[Entry], kinds: set[str], kind: str, field: str) -> list[tuple]:
    """(day, result) of a self-check's latest takes among `entries`, oldest first."""
    if kind not in kinds:
        return []
    takes = entries.filter(kind=kind).order_by("-day", "-created_at", "-pk")
    return list(reversed(takes.values_list("day", field)[: insights.LINE_TAKES]))
