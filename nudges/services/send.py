"""The sender: claimed deliveries handed to the mail server (or push service), each once.

The sender claims deliveries in small groups (NUDGE_CLAIM_GROUP): under row locks it moves
those still claimed to sending, and commits before any of their emails goes out; a second
task holding the same ids finds them taken. After the group is sent its rows become sent,
in one more commit. A transport error before the server took a message puts it, and the
rest of its group, back to claimed, so the task's retry sends them then.

The one window left is a worker killed while sending a group. Its unfinished rows stay
"sending" and the sweeper marks them failed: we choose at-most-once there, because a
second nudge hurts trust more than a missed one. The group size bounds what a killed
worker can lose, and is what the sender pays two commits for.
"""

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import batched

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from journal.models import Entry

from .. import emails, push, selectors
from ..models import Channel, NudgeDelivery
from .dispatch import GIVE_UP_AFTER

# Errors from the mail transport that a later try may not hit.
TRANSPORT_ERRORS = (smtplib.SMTPException, OSError)
Status = NudgeDelivery.Status
SkipReason = NudgeDelivery.SkipReason


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
