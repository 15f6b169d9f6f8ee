from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import ApologyStatus, Entry, Kind

# How long a deleted entry can be brought back before it is removed for good.
UNDO_WINDOW = timedelta(minutes=10)

EDITABLE_FIELDS = {
    Kind.GRATITUDE: ["day", "moment_kinds", "moments", "why", "told_partner", "is_private"],
    Kind.BID: ["day", "at_time", "made_by", "what", "response", "note", "is_private"],
    Kind.APOLOGY: [
        "day",
        "acknowledgement",
        "empathy",
        "reassurance",
        "why_it_happened",
        "next_time",
        "their_needs",
        "status",
        "follow_up",
        "is_private",
    ],
}


def gratitude_create(
    *,
    user: User,
    day: date,
    moment_kinds: list[str],
    moments: str,
    why: str,
    told_partner: bool,
    is_private: bool = False,
    lesson_slug: str = "",
) -> Entry:
    return Entry.objects.create(
        user=user,
        kind=Kind.GRATITUDE,
        day=day,
        moment_kinds=moment_kinds,
        moments=moments,
        why=why,
        told_partner=told_partner,
        is_private=is_private,
        lesson_slug=lesson_slug,
    )


def bid_create(
    *,
    user: User,
    day: date,
    made_by: str,
    what: str,
    response: str,
    note: str = "",
    at_time: time | None = None,
    is_private: bool = False,
    lesson_slug: str = "",
) -> Entry:
    return Entry.objects.create(
        user=user,
        kind=Kind.BID,
        day=day,
        at_time=at_time,
        made_by=made_by,
        what=what,
        response=response,
        note=note,
        is_private=is_private,
        lesson_slug=lesson_slug,
    )


def apology_create(
    *,
    user: User,
    day: date,
    acknowledgement: str,
    empathy: str,
    reassurance: str = "",
    why_it_happened: str = "",
    next_time: str = "",
    their_needs: str = "",
    status: str = ApologyStatus.DRAFT,
    is_private: bool = False,
    lesson_slug: str = "",
) -> Entry:
    return Entry.objects.create(
        user=user,
        kind=Kind.APOLOGY,
        day=day,
        acknowledgement=acknowledgement,
        empathy=empathy,
        reassurance=reassurance,
        why_it_happened=why_it_happened,
        next_time=next_time,
        their_needs=their_needs,
        status=status,
        is_private=is_private,
        lesson_slug=lesson_slug,
    )


def entry_update(*, entry: Entry, data: dict) -> Entry:
    """Change the fields this kind of entry allows; anything else in data is ignored."""
    fields = [f for f in EDITABLE_FIELDS[entry.kind] if f in data]
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
