"""Reminder schedules, and the dispatcher and sender that give each user one nudge a day.

Exactly once per user and local date, in three steps:

1. The dispatcher claims due schedules under a row lock (PostgreSQL: SELECT ... FOR UPDATE
   SKIP LOCKED; SQLite: the IMMEDIATE transaction serialises writers), moves `next_due_at`
   forward and creates one `NudgeDelivery` per (user, local date), a unique pair, in the
   same transaction. Send tasks are queued only after it commits.
2. The sender claims deliveries in small groups (NUDGE_CLAIM_GROUP): under row locks it
   moves those still claimed to sending, and commits before any of their emails goes out;
   a second task holding the same ids finds them taken.
3. After the group is sent its rows become sent, in one more commit. A transport error
   before the server took a message puts it, and the rest of its group, back to claimed,
   so the task's retry sends them then.

The one window left is a worker killed while sending a group. Its unfinished rows stay
"sending" and the sweeper marks them failed: we choose at-most-once there, because a
second nudge hurts trust more than a missed one. The group size bounds what a killed
worker can lose, and is what the sender pays two commits for.
"""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from itertools import batched
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.models import User
from journal.models import Entry

from . import emails, push, selectors
from .models import Channel, NudgeDelivery, ReminderSchedule, weekdays_mask

log = logging.getLogger(__name__)

# A reminder more than this late is not sent at all: better no nudge than one at 3 a.m.
GIVE_UP_AFTER = timedelta(hours=2)
# A delivery queued this long ago and still unsent has lost its task (or its worker).
STALE_AFTER = timedelta(minutes=10)
SEND_BATCH = 500
# Errors from the mail transport that a later try may not hit.
TRANSPORT_ERRORS = (smtplib.SMTPException, OSError)
_TICK = timedelta(microseconds=1)
Status = NudgeDelivery.Status
SkipReason = NudgeDelivery.SkipReason


# Schedules ---------------------------------------------------------------------------------


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `day` at `at`. A repeated time is its first occurrence
    (fold=0); a time skipped by a spring-forward jump is the first instant after the gap."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)
    # In a gap: find the transition, the first instant whose local time is past `wall`.
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(first.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) < wall:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def schedule_next_due(*, schedule: ReminderSchedule, after: datetime) -> datetime | None:
    """The first reminder instant strictly after `after`, in UTC; None while reminders are off."""
    if not schedule.enabled or not schedule.weekdays:
        return None
    zone = schedule.user.zone
    day = after.astimezone(zone).date()
    if schedule.paused_until and schedule.paused_until >= day:
        day = schedule.paused_until + timedelta(days=1)
    for offset in range(9):
        candidate = day + timedelta(days=offset)
        if schedule.runs_on(candidate):
            instant = _instant(candidate, schedule.local_time, zone)
            if instant > after:
                return instant
    return None  # unreachable: some chosen weekday falls in any 9 days


def schedule_create_default(*, user: User) -> ReminderSchedule:
    """The user's schedule, created with the defaults (on, 20:00, every day, email) if missing."""
    schedule, created = ReminderSchedule.objects.get_or_create(user=user)
    if created:
        schedule.next_due_at = schedule_next_due(schedule=schedule, after=timezone.now())
        schedule.save(update_fields=["next_due_at"])
    return schedule


def schedule_update(
    *,
    schedule: ReminderSchedule,
    enabled: bool,
    local_time: time,
    weekdays: list[int],
    paused_until: date | None,
    skip_if_written: bool,
    channel: str = Channel.EMAIL,
) -> ReminderSchedule:
    schedule.enabled = enabled
    schedule.local_time = local_time
    schedule.weekdays = weekdays_mask(weekdays)
    schedule.paused_until = paused_until
    schedule.skip_if_written = skip_if_written
    schedule.channel = channel
    return _reschedule(
        schedule,
        fields=["enabled", "local_time", "weekdays", "paused_until", "skip_if_written", "channel"],
    )


def schedule_turn_off(*, schedule: ReminderSchedule) -> ReminderSchedule:
    schedule.enabled = False
    return _reschedule(schedule, fields=["enabled"])


def schedule_pause(*, schedule: ReminderSchedule, until: date) -> ReminderSchedule:
    schedule.paused_until = until
    return _reschedule(schedule, fields=["paused_until"])


def _reschedule(schedule: ReminderSchedule, *, fields: list[str]) -> ReminderSchedule:
    schedule.next_due_at = schedule_next_due(schedule=schedule, after=timezone.now())
    schedule.save(update_fields=[*fields, "next_due_at", "updated_at"])
    return schedule


# Dispatcher --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    schedules: int  # schedules this claim moved forward
    delivery_ids: list[int]  # deliveries it created, queued for sending after commit


def dispatch_due(*, now: datetime, batch_size: int = SEND_BATCH) -> int:
    """Claim every schedule due at or before `now`, a batch at a time; returns nudges queued."""
    queued = 0
    while ids := selectors.due_schedule_ids(now=now, limit=batch_size):
        claim = schedules_claim(schedule_ids=ids, now=now)
        queued += len(claim.delivery_ids)
        if claim.schedules == 0 or len(ids) < batch_size:
            break  # the rest belong to another dispatcher, or there are none left
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
    """Lock those of `schedule_ids` still due, create their deliveries and move them on.

    Rows another dispatcher holds are skipped; rows it already moved are no longer due.
    """
    schedules = list(
        ReminderSchedule.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .only(*_SCHEDULE_FIELDS, "user__time_zone")  # the zone is all the claim needs of a user
        .filter(pk__in=schedule_ids, enabled=True, next_due_at__lte=now)
    )
    reachable = _reachable_user_ids([s.user_id for s in schedules])
    deliveries = [
        delivery
        for schedule in schedules
        if (delivery := _claim_one(schedule=schedule, now=now)) and delivery.user_id in reachable
    ]
    _save_next_due(schedules)
    NudgeDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)  # once per local date
    # Rows this claim made (an earlier one the same day has another claimed_at). No status
    # filter: it would tempt PostgreSQL into the index of every unfinished row.
    created = list(
        NudgeDelivery.objects.filter(
            user_id__in=[d.user_id for d in deliveries], claimed_at=now
        ).values_list("pk", flat=True)
    )
    for chunk in batched(created, SEND_BATCH):
        transaction.on_commit(partial(_queue_send, list(chunk)))
    return Claim(schedules=len(schedules), delivery_ids=created)


def _save_next_due(schedules: list[ReminderSchedule]) -> None:
    """Save each schedule's new `next_due_at`: one UPDATE per distinct value (users due in the
    same minute are mostly due again at the same instant), not a CASE of hundreds of arms."""
    by_value: dict[datetime | None, list[int]] = defaultdict(list)
    for schedule in schedules:
        by_value[schedule.next_due_at].append(schedule.pk)
    for next_due_at, ids in by_value.items():
        ReminderSchedule.objects.filter(pk__in=ids).update(next_due_at=next_due_at)


def _reachable_user_ids(user_ids: list[int]) -> set[int]:
    """Active users with a confirmed address: nobody else is emailed, nor logged daily."""
    confirmed = EmailAddress.objects.filter(
        user_id__in=user_ids, user__is_active=True, primary=True, verified=True
    )
    return set(confirmed.values_list("user_id", flat=True))


def _claim_one(*, schedule: ReminderSchedule, now: datetime) -> NudgeDelivery | None:
    """Move `schedule` to its next reminder; the delivery for the one due now, if any."""
    # The index is a hint: the settings decide (the time zone may have changed on the profile).
    due = schedule_next_due(schedule=schedule, after=schedule.next_due_at - _TICK)
    if due is None or due > now:
        schedule.next_due_at = due
        return None
    schedule.next_due_at = schedule_next_due(schedule=schedule, after=now)
    if now - due > GIVE_UP_AFTER:
        log.warning("reminder for user %s was %s late; not sent", schedule.user_id, now - due)
        return None
    return NudgeDelivery(
        user_id=schedule.user_id,
        local_date=due.astimezone(schedule.user.zone).date(),
        channel=schedule.channel,
        due_at=due,
        claimed_at=now,
        queued_at=now,
    )


def _queue_send(delivery_ids: list[int]) -> None:
    from .tasks import send_nudges  # tasks import this module

    send_nudges.delay(delivery_ids=delivery_ids)


# Sender ------------------------------------------------------------------------------------


@dataclass
class Batch:
    """What a batch of deliveries needs, read in four queries rather than a few per nudge.

    Reading ahead changes nothing about sending once: a row another worker took is skipped
    at its group's claim.
    """

    deliveries: dict[int, NudgeDelivery]
    written: set[tuple[int, date]]
    suggestions: dict[int, selectors.Suggestion]
    links: emails.Links


def batch_load(*, delivery_ids: list[int]) -> Batch:
    deliveries = NudgeDelivery.objects.select_related("user__reminder_schedule").in_bulk(
        delivery_ids
    )
    rows = list(deliveries.values())
    entries = Entry.objects.filter(
        user_id__in={d.user_id for d in rows}, day__in={d.local_date for d in rows}
    )
    return Batch(
        deliveries=deliveries,
        written=set(entries.values_list("user_id", "day")),
        suggestions=selectors.suggestions_for(deliveries=rows),
        links=emails.Links.build(),
    )


def deliveries_send(*, delivery_ids: list[int]) -> int:
    """Send a batch over one mail connection, a claim group at a time; returns how many this
    call sent.

    Raises one of TRANSPORT_ERRORS (or push.PushTransportError) when a message could not be
    handed over; it and the rest of its group are then claimed again for the task's retry.
    """
    batch = batch_load(delivery_ids=delivery_ids)
    with mail.mailers.default as mailer:
        return sum(
            _send_group(list(group), batch=batch, mailer=mailer)
            for group in batched(delivery_ids, settings.NUDGE_CLAIM_GROUP)
        )


def handle_one_delivery(*, delivery_id: int) -> bool:
    """Send one claimed delivery; True only if this call sent it (see deliveries_send)."""
    return deliveries_send(delivery_ids=[delivery_id]) == 1


def _send_group(group: list[int], *, batch: Batch, mailer: BaseEmailBackend) -> int:
    """Claim `group` (claimed -> sending) in one commit, send it, then write every outcome.

    Two commits per group rather than two per nudge. A worker killed mid-group leaves the
    group's unfinished rows "sending": the sweeper marks them failed and never resends
    them, so at most one group per worker process goes missing, and nothing arrives twice.
    """
    now = timezone.now()
    taken = _claim_group(group, now=now)
    outcomes = _Outcomes()
    sent = 0
    try:
        for position, delivery_id in enumerate(taken):
            try:
                sent += _send_one(
                    batch.deliveries[delivery_id],
                    now=now,
                    batch=batch,
                    mailer=mailer,
                    outcomes=outcomes,
                )
            except (*TRANSPORT_ERRORS, push.PushTransportError):
                # Nothing from here on reached a server: all of it waits for the retry.
                NudgeDelivery.objects.filter(
                    pk__in=taken[position + 1 :], status=Status.SENDING
                ).update(status=Status.CLAIMED, sending_at=None)
                raise
    finally:
        outcomes.write()
    return sent


@transaction.atomic
def _claim_group(group: list[int], *, now: datetime) -> list[int]:
    """Those of `group` still waiting, moved to "sending"; rows another worker holds, or
    already finished, are left alone."""
    # Locked by primary key alone and judged here: given the status too, PostgreSQL may
    # scan the whole partial index of unfinished rows, hundreds of thousands in a burst.
    locked = NudgeDelivery.objects.select_for_update(skip_locked=True).filter(pk__in=group)
    free = {pk for pk, status in locked.values_list("pk", "status") if status == Status.CLAIMED}
    NudgeDelivery.objects.filter(pk__in=free).update(status=Status.SENDING, sending_at=now)
    return [pk for pk in group if pk in free]


class _Outcomes:
    """What happened to each nudge of a group, written together once the group is done."""

    def __init__(self) -> None:
        self.sent: dict[str, list[int]] = defaultdict(list)  # by suggestion: mostly one
        self.other: list[tuple[int, dict]] = []

    def record_sent(self, delivery_id: int, suggestion: selectors.Suggestion) -> None:
        self.sent[suggestion.text].append(delivery_id)

    def record(self, delivery_id: int, **fields) -> None:
        self.other.append((delivery_id, fields))

    def write(self) -> None:
        # Unconditional: if the sweeper gave up on a row meanwhile, what happened wins.
        # sent_at is when the group finished, a few milliseconds after each send.
        now = timezone.now()
        for text, ids in self.sent.items():
            NudgeDelivery.objects.filter(pk__in=ids).update(
                status=Status.SENT, sent_at=now, suggestion=text
            )
        for delivery_id, fields in self.other:
            NudgeDelivery.objects.filter(pk=delivery_id).update(**fields)


def _send_one(
    delivery: NudgeDelivery,
    *,
    now: datetime,
    batch: Batch,
    mailer: BaseEmailBackend,
    outcomes: _Outcomes,
) -> bool:
    """Send one claimed delivery of the batch; True if it was handed over."""
    if now - delivery.due_at > GIVE_UP_AFTER:
        outcomes.record(delivery.pk, status=Status.FAILED, error="Too late to send.")
        return False
    if reason := _skip_reason(delivery, batch.written):
        outcomes.record(delivery.pk, status=Status.SKIPPED, skip_reason=reason)
        return False
    suggestion = batch.suggestions[delivery.pk]
    if delivery.channel == Channel.PUSH and _send_push(delivery, suggestion, outcomes):
        return True
    return _send_email(delivery, mailer, suggestion, outcomes, links=batch.links)


def _skip_reason(delivery: NudgeDelivery, written: set[tuple[int, date]]) -> str:
    """Why the user no longer wants this nudge, if they changed something since it was due."""
    user = delivery.user
    schedule = getattr(user, "reminder_schedule", None)
    if schedule is None or not schedule.enabled:
        return SkipReason.OFF
    if not schedule.runs_on(delivery.local_date):
        return SkipReason.PAUSED
    if schedule.skip_if_written and (delivery.user_id, delivery.local_date) in written:
        return SkipReason.WRITTEN
    return ""


def _send_email(
    delivery: NudgeDelivery,
    mailer: BaseEmailBackend,
    suggestion: selectors.Suggestion,
    outcomes: _Outcomes,
    *,
    links: emails.Links,
) -> bool:
    user = delivery.user
    message = emails.nudge_email(
        user=user, schedule=user.reminder_schedule, suggestion=suggestion, links=links
    )
    try:
        sent = mailer.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        outcomes.record(delivery.pk, status=Status.FAILED, error=_describe(error))  # for good
        return False
    except TRANSPORT_ERRORS as error:
        # The server did not take the message, so a retry cannot make it arrive twice.
        NudgeDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
            status=Status.CLAIMED, sending_at=None, error=_describe(error)
        )
        raise
    if not sent:
        outcomes.record(delivery.pk, status=Status.FAILED, error="The mail server took no message.")
        return False
    outcomes.record_sent(delivery.pk, suggestion)
    return True


def _send_push(
    delivery: NudgeDelivery, suggestion: selectors.Suggestion, outcomes: _Outcomes
) -> bool:
    """Send `delivery` as browser notifications; True if a browser took it. False when none
    can (none subscribed, or push not configured): the caller emails it instead.

    Raises push.PushTransportError, with the delivery claimed again for the retry, when no
    browser took it but a later try may; once one has, it is never sent again.
    """
    result = push.nudge_push(user=delivery.user, suggestion=suggestion)
    if result.delivered:
        outcomes.record_sent(delivery.pk, suggestion)
        return True
    if result.errors:
        NudgeDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
            status=Status.CLAIMED, sending_at=None, error="; ".join(result.errors)[:1000]
        )
        raise push.PushTransportError(result.errors[0])
    NudgeDelivery.objects.filter(pk=delivery.pk).update(push_fell_back=True)
    return False


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


# Sweeper -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    requeued: int
    given_up: int
    lost: int


@transaction.atomic
def deliveries_sweep(*, now: datetime) -> Sweep:
    """Queue again what was claimed but never sent; give up on what is now too late."""
    unfinished = NudgeDelivery.objects.filter(status=Status.CLAIMED)
    given_up = unfinished.filter(due_at__lt=now - GIVE_UP_AFTER).update(
        status=Status.FAILED, error=Concat(Value("Too late to send. "), F("error"))
    )
    lost = NudgeDelivery.objects.filter(
        status=Status.SENDING, sending_at__lt=now - STALE_AFTER
    ).update(
        status=Status.FAILED,
        error="The worker stopped while sending. Not tried again, so it is never sent twice.",
    )
    stale = list(unfinished.filter(queued_at__lt=now - STALE_AFTER).values_list("pk", flat=True))
    NudgeDelivery.objects.filter(pk__in=stale, status=Status.CLAIMED).update(queued_at=now)
    for chunk in batched(stale, SEND_BATCH):
        transaction.on_commit(partial(_queue_send, list(chunk)))
    return Sweep(requeued=len(stale), given_up=given_up, lost=lost)
