from contextlib import nullcontext
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from lessons.services import practice_used
from nudges.models import OneOffReminder
from nudges.services.one_off import one_off_cancel, one_off_schedule

from . import breaks, questions, tool_content
from .kinds import FOUR_ABILITIES, KINDS, LOVE_LANGUAGES, RUNG
from .models import DailyQuestion, Entry

BREAK_END = OneOffReminder.Purpose.BREAK_END

# How long a deleted entry can be brought back before it is removed for good.
UNDO_WINDOW = timedelta(minutes=10)


def entry_create(
    *,
    user: User,
    kind: str,
    day: date,
    is_private: bool = False,
    lesson_slug: str = "",
    **fields,
) -> Entry:
    """A new entry of `kind` with the fields its declaration lists (others are an error).

    Written from a lesson whose practice is this kind, it marks that lesson done, in the same
    transaction. Otherwise the INSERT is the whole of it and commits on its own: no BEGIN and
    COMMIT round trips around one statement.
    """
    unknown = set(fields) - set(KINDS[kind].field_names)
    if unknown:
        raise TypeError(f"{kind} entries have no field {', '.join(sorted(unknown))}")
    with transaction.atomic() if lesson_slug else nullcontext():
        entry = Entry(
            user=user, kind=kind, day=day, is_private=is_private, lesson_slug=lesson_slug, **fields
        )
        entry.save(force_insert=True)  # objects.create() would build the live-entries filter
        if lesson_slug:
            practice_used(user=user, lesson_slug=lesson_slug, kind=kind)
    return entry


@transaction.atomic
def break_start(*, user: User, return_at: datetime, now: datetime, lesson_slug: str = "") -> Entry:
    """A break until `return_at`, with a message for the partner to edit and send themselves,
    and a reminder to go back at that time (sent once, by the user's reminder channel)."""
    when = breaks.when_words(return_at, now=now, zone=user.zone)
    entry = entry_create(
        user=user,
        kind="break",
        day=user.local_today(),
        return_at=return_at,
        partner_message=breaks.messages_for(when)[0],
        lesson_slug=lesson_slug,
    )
    one_off_schedule(user=user, purpose=BREAK_END, key=str(entry.pk), due_at=return_at)
    return entry


def break_cancel(*, entry: Entry) -> bool:
    """Call the break off: its reminder is not sent. False once it has gone out."""
    return one_off_cancel(user=entry.user, purpose=BREAK_END, key=str(entry.pk))


@transaction.atomic
def question_for_day(*, user: User, day: date, lessons_done: int) -> DailyQuestion:
    """The day's question for `user`: picked once, then the same all day."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one pick at a time per user
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
    *, daily: DailyQuestion, answer: str, is_private: bool, lesson_slug: str = ""
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
    )
    DailyQuestion.objects.filter(pk=daily.pk).update(answer=entry, skipped_at=None)
    return entry


def question_skip(*, daily: DailyQuestion) -> None:
    DailyQuestion.objects.filter(pk=daily.pk, answer__isnull=True).update(skipped_at=timezone.now())


def entry_mark(*, entry: Entry, **fields) -> Entry:
    """Set a few of the entry's declared fields (went back, told them) and nothing else."""
    unknown = set(fields) - set(entry.spec.field_names)
    if unknown:
        raise TypeError(f"{entry.kind} entries have no field {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*fields, "updated_at"])
    return entry


def entry_update(*, entry: Entry, data: dict) -> Entry:
    """Change the fields this kind of entry allows; anything else in data is ignored."""
    editable = [*entry.spec.editable_names, "day", "is_private"]
    fields = [f for f in editable if f in data]
    for field in fields:
        setattr(entry, field, data[field])
    entry.save(update_fields=[*fields, "updated_at"])
    return entry


def apology_set_status(*, entry: Entry, status: str, follow_up: str = "") -> Entry:
    entry.status = status
    if follow_up:
        entry.follow_up = follow_up
    entry.save(update_fields=["status", "follow_up", "updated_at"])
    return entry


def entry_delete(*, entry: Entry) -> None:
    """Hide the entry at once; it is removed for good after the undo window."""
    Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now())


def _restorable(*, user: User, pk: int):
    cutoff = timezone.now() - UNDO_WINDOW
    return Entry.with_deleted.filter(pk=pk, user=user, deleted_at__gte=cutoff)


def entry_can_restore(*, user: User, pk: int) -> bool:
    return _restorable(user=user, pk=pk).exists()


def entry_restore(*, user: User, pk: int) -> bool:
    """Undo a delete still inside the window. False when it is too late."""
    return _restorable(user=user, pk=pk).update(deleted_at=None) == 1


@transaction.atomic
def entries_purge_deleted(*, now: datetime | None = None) -> int:
    """Really delete entries whose undo window has passed. Returns how many."""
    cutoff = (now or timezone.now()) - UNDO_WINDOW
    deleted, _ = Entry.with_deleted.filter(deleted_at__lt=cutoff).delete()
    return deleted


# The practice tools over weeks -------------------------------------------------------------

LADDER_MAX = 30  # rungs on one ladder: enough for months of small steps, short enough to read


def ability_scores(ratings: list[int]) -> dict[str, float]:
    """Each ability's mean rating, in the order the self-check asks them."""
    scores, start = {}, 0
    for ability in tool_content.four_abilities().abilities:
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
    acts = tool_content.love_languages().language(their_order[0]).acts
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


def rung_add(*, user: User, day: date, rung_text: str, who: str, **common) -> Entry:
    """A new rung at the top of the ladder (the hardest end); the user moves it down."""
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
