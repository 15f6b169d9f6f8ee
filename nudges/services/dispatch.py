"""The dispatcher: due schedules become one delivery per (user, local date), queued to send.

It claims a due schedule by moving `next_due_at` forward on condition that it still holds
the value read (a second dispatcher, or the user's own change, finds it moved; SQLite's
IMMEDIATE transaction serialises writers anyway), and creates one `NudgeDelivery` per
(user, local date), a unique pair, in the same transaction. Send tasks are queued only
after it commits.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import batched

from django.db import connection, transaction

from outbox import selectors as outbox_selectors
from outbox.services import SEND_BATCH

from .. import selectors
from ..models import CheckInReminder, NudgeDelivery, ReminderSchedule
from .schedule import schedule_next_due

log = logging.getLogger(__name__)

# A reminder more than this late is not sent at all: better no nudge than one at 3 a.m.
GIVE_UP_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class Claim:
    schedules: int  # schedules this claim moved forward
    delivery_ids: list[int]  # deliveries it created, queued for sending after commit


# Due schedules listed by one scan of the index, then claimed a batch at a time. A scan per
# batch would step over the index entries of every schedule already moved on (dead until a
# vacuum): quadratic in the users due at once (a minute longer for 100,000).
DUE_SCAN = 50_000


def dispatch_due(*, now: datetime, batch_size: int = SEND_BATCH) -> int:
    """Claim every schedule due at or before `now`, a batch at a time; returns nudges queued."""
    queued = 0
    while ids := selectors.due_schedule_ids(now=now, limit=DUE_SCAN):
        for chunk in batched(ids, batch_size):
            claim = schedules_claim(schedule_ids=list(chunk), now=now)
            queued += len(claim.delivery_ids)
            if claim.schedules == 0:
                return queued  # the rest belong to another dispatcher
        if len(ids) < DUE_SCAN:
            break
    return queued


_SCHEDULE_FIELDS = (
    "user",
    "enabled",
    "local_time",
    "weekdays",
    "paused_until",
    "channel",
    "next_due_at",
)


@transaction.atomic
def schedules_claim(*, schedule_ids: list[int], now: datetime) -> Claim:
    """Move those of `schedule_ids` still due on to their next reminder, and create the
    deliveries of the ones this call moved.

    Nothing is locked before it is moved: each schedule moves on condition that its next
    reminder is still the one read (next_due_save), so of two dispatchers holding the same
    schedule, or a dispatcher and the user changing their settings, the first to write wins
    and the other finds it changed. One write a schedule, not a lock and then a write.
    """
    schedules = list(
        ReminderSchedule.objects.select_related("user")
        .only(*_SCHEDULE_FIELDS, "user__time_zone")  # the zone is all the claim needs of a user
        .filter(pk__any=schedule_ids, enabled=True, next_due_at__lte=now)
    )
    was = {schedule.pk: schedule.next_due_at for schedule in schedules}
    due = {schedule.pk: _claim_one(schedule=schedule, now=now) for schedule in schedules}
    moved = next_due_save(schedules, was=was)
    reachable = outbox_selectors.reachable_user_ids([s.user_id for s in schedules if s.pk in moved])
    created = _deliveries_create(
        [d for pk, d in due.items() if d and pk in moved and d.user_id in reachable], now=now
    )
    for chunk in batched(created, SEND_BATCH):
        transaction.on_commit(partial(send_queue, list(chunk)))
    return Claim(schedules=len(moved), delivery_ids=created)


def next_due_save(
    schedules: list[ReminderSchedule] | list[CheckInReminder],
    *,
    was: dict[int, datetime | None] | None = None,
) -> set[int]:
    """Save each schedule's new `next_due_at`: one UPDATE per distinct change (users due in
    the same minute are mostly due again at the same instant), not a CASE of hundreds of
    arms. Returns the ids saved.

    With `was` (each schedule's `next_due_at` as read, without a lock), a schedule is saved
    only while it still has that value and is on. The changes go in a fixed order, each
    UPDATE taking its rows by id, so two dispatchers wait for each other rather than
    deadlock; the one that waited finds the rows moved and leaves them.
    """
    by_change: dict[tuple, list[int]] = defaultdict(list)
    for schedule in schedules:
        before = was[schedule.pk] if was is not None else None
        by_change[(before, schedule.next_due_at)].append(schedule.pk)
    saved: set[int] = set()
    model = type(schedules[0]) if schedules else ReminderSchedule
    for (before, after), ids in sorted(by_change.items(), key=_change_order):
        if was is None:
            model.objects.filter(pk__any=ids).update(next_due_at=after)
            saved.update(ids)
        else:
            saved.update(_moved(model, sorted(ids), before=before, to=after))
    return saved


def _change_order(change: tuple) -> tuple:
    (before, after), _ = change
    return (before is None, before or _EARLIEST, after is None, after or _EARLIEST)


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _moved(
    model: type, ids: list[int], *, before: datetime | None, to: datetime | None
) -> list[int]:
    """Move the schedules among `ids` still on and still at `before` to `to`; the ids moved.

    The conditions are on the updated table itself, so PostgreSQL checks them again on a row
    another transaction changed while this one waited for it (a subquery would not); the
    RETURNING clause says which rows this statement moved, which a count could not."""
    adapt = connection.ops.adapt_datetimefield_value
    table, pk = model._meta.db_table, model._meta.pk.column
    at_before = "next_due_at IS NULL" if before is None else "next_due_at = %s"
    params = [adapt(to), True, *([] if before is None else [adapt(before)]), *ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET next_due_at = %s WHERE enabled = %s AND {at_before} "
            f"AND {pk} IN ({', '.join(['%s'] * len(ids))}) RETURNING {pk}",
            params,
        )
        return [pk for (pk,) in cursor.fetchall()]


@dataclass(frozen=True)
class _Due:
    """A delivery to create: what differs from one to the next."""

    user_id: int
    local_date: date
    channel: str
    due_at: datetime


def _claim_one(*, schedule: ReminderSchedule, now: datetime) -> _Due | None:
    """Move `schedule` to its next reminder; the delivery for the one due now, if any."""
    # The instant the settings page promised: every change of the settings or the time zone
    # saves it again (schedule.py).
    due = schedule.next_due_at
    schedule.next_due_at = schedule_next_due(schedule=schedule, after=now)
    if now - due > GIVE_UP_AFTER:
        log.warning("reminder for user %s was %s late; not sent", schedule.user_id, now - due)
        return None
    local_date = due.astimezone(schedule.user.zone).date()
    return _Due(schedule.user_id, local_date, schedule.channel, due)


def _deliveries_create(due: list[_Due], *, now: datetime) -> list[int]:
    """Create the deliveries, claimed at `now`; the ids of those this call made. A (user,
    local date) that has its delivery (an earlier claim the same day) keeps it: the insert
    skips it, and only rows claimed at `now` are read back."""
    if not due:
        return []
    NudgeDelivery.objects.bulk_create(
        [
            NudgeDelivery(
                user_id=d.user_id,
                local_date=d.local_date,
                channel=d.channel,
                due_at=d.due_at,
                claimed_at=now,
                queued_at=now,
            )
            for d in due
        ],
        ignore_conflicts=True,
    )
    made = NudgeDelivery.objects.filter(user_id__any=[d.user_id for d in due], claimed_at=now)
    return list(made.values_list("pk", flat=True))


def send_queue(delivery_ids: list[int]) -> None:
    """Queue a send task for these nudges (after commit, from the caller)."""
    from ..tasks import send_nudges  # tasks import this package

    send_nudges.delay(delivery_ids=delivery_ids)
