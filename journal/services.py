from contextlib import nullcontext
from datetime import date, datetime, timedelta
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User

from .kinds import KINDS
from .models import Entry
from .selectors import entries_made_by
from .signals import entry_created_from_lesson

# How long a deleted entry can be brought back before it is removed for good.
UNDO_WINDOW = timedelta(minutes=10)


def entry_create(
    *,
    user: User,
    kind: str,
    day: date,
    is_private: bool = False,
    lesson_slug: str = "",
    submission: UUID | None = None,
    **fields,
) -> Entry:
    """A new entry of `kind` with the fields its declaration lists (others are an error).

    `submission` is the one-time token of the form it came from (journal.forms.OneEntryForm):
    the same form sent again (a double tap, a retried POST) makes nothing and gets back the
    entry the first made, so the view answers as it did the first time.

    Written from a lesson, it tells the lessons (journal.signals.entry_created_from_lesson)
    in the same transaction: a lesson whose practice is this kind is then done. Without a
    lesson or a submission the INSERT is the whole of it and commits on its own: no BEGIN and
    COMMIT round trips around one statement.
    """
    unknown = set(fields) - set(KINDS[kind].field_names)
    if unknown:
        raise TypeError(f"{kind} entries have no field {', '.join(sorted(unknown))}")
    entry = Entry(
        user=user,
        kind=kind,
        day=day,
        is_private=is_private,
        lesson_slug=lesson_slug,
        submission=submission,
        **fields,
    )
    with transaction.atomic() if lesson_slug else nullcontext():
        saved = _insert(entry)
        if saved is entry and lesson_slug:
            entry_created_from_lesson.send(sender=Entry, entry=entry)
    return saved


def _insert(entry: Entry) -> Entry:
    """Insert the entry, or give back the one its submission made before.

    Two copies of one form at once both try: the unique index (entry_one_per_submission)
    makes the second wait for the first and then refuses it. The savepoint keeps a caller's
    transaction usable, and the first's entry is read once it is committed.
    """
    if entry.submission is None:
        entry.save(force_insert=True)  # objects.create() would build the live-entries filter
        return entry
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except IntegrityError:
        made_before = entries_made_by(user=entry.user, submissions=[entry.submission])
        if first := made_before.first():
            return first
        raise  # another constraint refused it
    return entry


def entry_mark(*, entry: Entry, **fields) -> Entry:
    """Set a few of the entry's declared fields (went back, told them) and nothing else."""
    unknown = set(fields) - set(entry.spec.field_names)
    if unknown:
        raise TypeError(f"{entry.kind} entries have no field {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*fields, "updated_at"])
    return entry


class EntryDeleted(Exception):
    """The entry was deleted (in another tab, say) before a change to it could be saved."""


@transaction.atomic
def entry_update(*, entry: Entry, data: dict) -> Entry:
    """Change the fields this kind of entry allows; anything else in data is ignored.

    Raises EntryDeleted once the entry is deleted: the row is locked first, so a delete
    either waits for the change or came before it (the save alone would still write to the
    hidden row, and the person would be told it was saved)."""
    if not Entry.objects.select_for_update().filter(pk=entry.pk).exists():
        raise EntryDeleted
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
    _, deleted = Entry.with_deleted.filter(deleted_at__lt=cutoff).delete()
    return deleted.get("journal.Entry", 0)  # not counting their search words
