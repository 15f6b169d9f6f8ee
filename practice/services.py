"""The practice tools' writes: breaks and their reminder, the day's question, the weekly
check-in and its draft, the self-checks and the ladder. Every entry is written through
journal.services.entry_create."""

import json
from datetime import date, datetime
from uuid import UUID, uuid5

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from journal.insights import week_start
from journal.models import DailyQuestion, Entry
from journal.selectors import entries_made_by
from journal.services import entry_create
from nudges.models import OneOffReminder
from nudges.services.one_off import one_off_cancel, one_off_schedule

from . import breaks, content, questions, selectors
from .kinds import CHECK_IN, FOUR_ABILITIES, LOVE_LANGUAGES, RUNG, WentBack
from .models import CheckInDraft

BREAK_END = OneOffReminder.Purpose.BREAK_END


class OnABreak(Exception):
    """A break is already running (`running`): one break at a time."""

    def __init__(self, running: Entry) -> None:
        super().__init__(running.pk)
        self.running = running


@transaction.atomic
def break_start(
    *,
    user: User,
    return_at: datetime,
    now: datetime,
    lesson_slug: str = "",
    submission: UUID | None = None,
) -> Entry:
    """A break until `return_at`, with a message for the partner to edit and send themselves,
    and a reminder to go back at that time (sent once, by the user's reminder channel).

    The form sent again gets back the break it started (entry_create), whose reminder is
    left as it is: set, sent, or called off since. Raises OnABreak while another break runs,
    even one a second tab started a moment before."""
    User.objects.lock(user.pk)  # two tabs' starts queue here, the second then sees the first
    running = selectors.running_break(user=user, now=now)
    if running and (submission is None or running.submission != submission):
        raise OnABreak(running)
    when = breaks.when_words(return_at, now=now, zone=user.zone)
    entry = entry_create(
        user=user,
        kind="break",
        day=user.local_today(),
        return_at=return_at,
        partner_message=breaks.messages_for(when)[0],
        lesson_slug=lesson_slug,
        submission=submission,
    )
    key = str(entry.pk)
    if not OneOffReminder.objects.filter(user=user, purpose=BREAK_END, key=key).exists():
        one_off_schedule(user=user, purpose=BREAK_END, key=key, due_at=return_at, entry=entry)
    return entry


def break_cancel(*, entry: Entry, now: datetime) -> bool:
    """Call the break off: its reminder is not sent, and the entry says so (its card, its
    page, the export). False once the reminder has gone out."""
    return _break_close(entry, called_off_at=now)


def break_back_early(*, entry: Entry) -> bool:
    """Back before the time given: the break is over and counts as one they came back from
    (the time they gave stays as they gave it), and its reminder is not sent. False once the
    reminder has gone out (or the break was called off): the break is over anyway, and its
    page says how it ended."""
    return _break_close(entry, went_back=WentBack.YES)


@transaction.atomic
def _break_close(entry: Entry, **fields) -> bool:
    """Cancel the break's reminder and record `fields` on it; False, recording nothing, once
    the reminder is no longer waiting (sent, or cancelled when the break was called off)."""
    if not one_off_cancel(user=entry.user, purpose=BREAK_END, key=str(entry.pk)):
        return False
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=list(fields))
    return True


def question_for_day(*, user: User, day: date, lessons_done: int) -> DailyQuestion:
    """The day's question for `user`: picked once, then the same all day (read without a
    transaction or a lock, as on almost every visit, once it is picked)."""
    existing = DailyQuestion.objects.filter(user=user, day=day).first()
    if existing and existing.question_id in questions.deck():
        return existing
    return _question_pick(user=user, day=day, lessons_done=lessons_done)


def question_shown(*, user: User, day: date, today: date, lessons_done: int) -> DailyQuestion:
    """The question of a page that carried `day`: an answer or a skip sent after midnight is
    about the question read before it. Today's question when `day` has none (left)."""
    if day != today:
        shown = DailyQuestion.objects.filter(user=user, day=day).first()
        if shown and shown.question_id in questions.deck():
            return shown
    return question_for_day(user=user, day=today, lessons_done=lessons_done)


@transaction.atomic
def _question_pick(*, user: User, day: date, lessons_done: int) -> DailyQuestion:
    User.objects.lock(user.pk)  # one pick at a time per user
    existing = DailyQuestion.objects.filter(user=user, day=day).first()
    if existing and existing.question_id in questions.deck():
        return existing
    latest = DailyQuestion.objects.filter(user=user).order_by("-cycle").first()
    cycle = latest.cycle if latest else 1
    seen = set(
        DailyQuestion.objects.filter(user=user, cycle=cycle).values_list("question_id", flat=True)
    )
    question, starts_over = questions.pick(
        seen=seen,
        lessons_done=lessons_done,
        has_partner=user.has_partner,
        seed=questions.seed_for(user.pk, day),
    )
    if existing:  # its question was merged into another since: today gets a new one
        existing.question_id = question.id
        existing.save(update_fields=["question_id"])
        return existing
    return DailyQuestion.objects.create(
        user=user, day=day, question_id=question.id, cycle=cycle + starts_over
    )


def question_answer(
    *,
    daily: DailyQuestion,
    answer: str,
    is_private: bool,
    lesson_slug: str = "",
    submission: UUID | None = None,
) -> Entry:
    question = questions.deck()[daily.question_id]
    entry = entry_create(
        user=daily.user,
        kind="answer",
        day=daily.day,
        question=question.for_journal,
        answer=answer,
        is_private=is_private,
        lesson_slug=lesson_slug,
        submission=submission,
    )
    DailyQuestion.objects.filter(pk=daily.pk).update(answer=entry, skipped_at=None)
    return entry


def question_skip(*, daily: DailyQuestion) -> None:
    DailyQuestion.objects.filter(pk=daily.pk, answer__isnull=True).update(skipped_at=timezone.now())


# The practice tools over weeks -------------------------------------------------------------


def check_in_draft_keep(
    *, user: User, screen: int, answers: dict[str, list[str]], week: date | None = None
) -> CheckInDraft:
    """Keep the check-in of the week starting `week` (this one unless said) as far as it
    got, in place of the draft before."""
    draft, _ = CheckInDraft.objects.update_or_create(
        user=user,
        defaults={
            "week_start": week or week_start(user.local_today()),
            "screen": screen,
            "answers_json": json.dumps(answers),
        },
    )
    return draft


def check_in_draft_discard(*, user: User) -> None:
    CheckInDraft.objects.filter(user=user).delete()


def check_in_draft_forget_old(*, user: User, today: date) -> None:
    """Delete a check-in left in a week no longer offered: its words are kept no longer."""
    drafts_from = selectors.check_in_drafts_from(today)
    CheckInDraft.objects.filter(user=user, week_start__lt=drafts_from).delete()


class CheckedIn(Exception):
    """The week has its check-in already (`entry`): one a week."""

    def __init__(self, entry: Entry) -> None:
        super().__init__(entry.pk)
        self.entry = entry


@transaction.atomic
def check_in_create(
    *, user: User, day: date, last_plan: str, submission: UUID | None = None, **fields
) -> Entry:
    """The check-in of the week of `day`, which replaces the draft it was finished from.
    Raises CheckedIn when that week has one, even one another tab saved a moment before;
    the same form sent again gets back the check-in it saved (entry_create)."""
    User.objects.lock(user.pk)  # two tabs' saves queue here, the second then sees the first
    saved = selectors.check_in_of_week(user=user, day=day)
    if saved and (submission is None or saved.submission != submission):
        raise CheckedIn(saved)
    entry = entry_create(
        user=user,
        kind=CHECK_IN.value,
        day=day,
        last_plan=last_plan,
        submission=submission,
        **fields,
    )
    check_in_draft_discard(user=user)
    return entry


LADDER_MAX = 30  # rungs on one ladder: enough for months of small steps, short enough to read


def ability_scores(ratings: list[int]) -> dict[str, float]:
    """Each ability's mean rating, in the order the self-check asks them."""
    scores, start = {}, 0
    for ability in content.four_abilities().abilities:
        own = ratings[start : start + len(ability.statements)]
        scores[ability.key] = round(sum(own) / len(own), 2)
        start += len(ability.statements)
    return scores


def four_abilities_create(*, user: User, day: date, ratings: list[int], **common) -> Entry:
    return entry_create(
        user=user,
        kind=FOUR_ABILITIES.value,
        day=day,
        ratings=ratings,
        scores=ability_scores(ratings),
        **common,
    )


def love_languages_create(
    *, user: User, day: date, my_order: list[str], their_order: list[str], **common
) -> Entry:
    """Save both orders with one act in the other person's first language; each retake
    suggests the next act of that language, so the same one does not come back every time."""
    acts = content.love_languages().language(their_order[0]).acts
    taken = Entry.objects.filter(user=user, kind=LOVE_LANGUAGES.value).count()
    return entry_create(
        user=user,
        kind=LOVE_LANGUAGES.value,
        day=day,
        my_order=my_order,
        their_order=their_order,
        suggested_act=acts[taken % len(acts)],
        **common,
    )


class LadderFull(Exception):
    """The new rungs do not fit: a ladder holds LADDER_MAX. `room` is how many more would."""

    def __init__(self, room: int) -> None:
        super().__init__(room)
        self.room = room


def _ladder_make_room(*, user: User, submissions: list[UUID | None]) -> None:
    """Wait for any other request adding to the user's ladder (each locks their row first),
    then raise LadderFull unless one rung for each of `submissions` fits. Rungs these
    submissions made before take no more room: their form sent again makes nothing."""
    User.objects.lock(user.pk)
    rungs = Entry.objects.filter(user=user, kind=RUNG.value).count()
    new = len(submissions) - entries_made_by(user=user, submissions=submissions).count()
    if new > LADDER_MAX - rungs:
        raise LadderFull(room=max(LADDER_MAX - rungs, 0))


def _rung_insert(*, user: User, day: date, rung_text: str, who: str, **common) -> Entry:
    top = Entry.objects.filter(user=user, kind=RUNG.value).aggregate(top=Max("position"))
    position = (top["top"] or 0) + 1
    return entry_create(
        user=user,
        kind=RUNG.value,
        day=day,
        rung_text=rung_text,
        who=who,
        position=position,
        **common,
    )


@transaction.atomic
def rung_add(
    *, user: User, day: date, rung_text: str, who: str, submission: UUID | None = None, **common
) -> Entry:
    """A new rung at the top of the ladder (the hardest end); the user moves it down.
    Raises LadderFull when the ladder has no room, even for a form sent in another tab at
    the same moment."""
    _ladder_make_room(user=user, submissions=[submission])
    return _rung_insert(
        user=user, day=day, rung_text=rung_text, who=who, submission=submission, **common
    )


def first_rung_submission(submission: UUID | None, number: int) -> UUID | None:
    """Suggested first rung `number`'s own token, derived from the one its form carried: the
    form sent again gives each rung the token it had the first time."""
    return uuid5(submission, str(number)) if submission else None


@transaction.atomic
def first_rungs_add(
    *, user: User, day: date, numbers: list[int], submission: UUID | None
) -> list[Entry]:
    """The suggested first rungs `numbers`, in that order, at the top of the ladder.

    One set however often their form is sent: each rung's token is derived from the form's
    (first_rung_submission), so a copy gets back the first copy's rungs, and two copies at
    once wait for each other. Added whole or not at all: raises LadderFull when they do not
    all fit."""
    submissions = [first_rung_submission(submission, n) for n in numbers]
    _ladder_make_room(user=user, submissions=submissions)
    suggestions = content.ladder().first_rungs
    return [
        _rung_insert(
            user=user,
            day=day,
            rung_text=suggestions[n].text,
            who=suggestions[n].who,
            submission=each,
        )
        for n, each in zip(numbers, submissions, strict=True)
    ]


@transaction.atomic
def rung_move(*, rung: Entry, harder: bool) -> bool:
    """Swap the rung with its harder (or easier) neighbour; False at that end of the ladder."""
    ladder = list(
        Entry.objects.select_for_update()
        .filter(user_id=rung.user_id, kind=RUNG.value)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(ladder) if other.pk == rung.pk)
    other = index + (1 if harder else -1)
    if not 0 <= other < len(ladder):
        return False
    ladder[index], ladder[other] = ladder[other], ladder[index]
    for position, each in enumerate(ladder, start=1):  # also closes gaps left by deletes
        if each.position != position:
            Entry.objects.filter(pk=each.pk).update(position=position)
    return True


def rung_mark_done(
    *,
    rung: Entry,
    done_on: date,
    how_it_went: str,
    feeling_before: int | None,
    feeling_after: int | None,
) -> Entry:
    rung.done_on = done_on
    rung.how_it_went = how_it_went
    rung.feeling_before = feeling_before
    rung.feeling_after = feeling_after
    rung.save(
        update_fields=["done_on", "how_it_went", "feeling_before", "feeling_after", "updated_at"]
    )
    return rung
