"""The outbox: one mechanism for every message the app sends on its own, each exactly once.

A purpose (the weekly check-in reminder, the end of a break, the notice emails) supplies
only what differs: its rows, why a row is no longer wanted, the writes that belong with
its claim, and how its message is handed over. The rest is done here, the same for each:

1. Claim: the row goes to "sending" in a commit of its own, with the purpose's writes,
   before anything is handed over; a second sender holding the same id finds it taken.
2. Record: sent, skipped or failed is written right after the hand-over. A transport error
   before it puts the row back to wait, for a retry that cannot make it arrive twice.
3. Sweep: a row a dead worker left "sending" is marked failed and never sent again (a
   second message hurts trust more than a missed one); a queued row whose task was lost
   is queued again, or given up when too late.

A purpose registers itself (`register`) when its app is ready; the send task finds it by
name and the sweeper goes through them all. The daily nudge keeps its own batched
dispatcher and sender (nudges/services/dispatch.py, send.py) on the same states, and the
same sweep (`outbox_sweep`). No message carries what anyone wrote.
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import batched

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from .models import Delivery, DeliveryStatus, QueuedDelivery

Status = DeliveryStatus
# A row "sending" this long has lost its worker; a row queued this long ago, its task.
STALE_AFTER = timedelta(minutes=10)
LOST = "The worker stopped while sending. Not tried again, so it is never sent twice."
# Rows a send task takes at most.
SEND_BATCH = 500
# Errors from the mail transport that a later try may not hit.
TRANSPORT_ERRORS = (smtplib.SMTPException, OSError)


class NotTaken(Exception):
    """The mail server answered but took no message: failed, and not tried again."""


def _no_reason(delivery: Delivery, now: datetime) -> str:
    return ""


def _nothing(delivery: Delivery) -> None:
    return None


@dataclass(frozen=True)
class Purpose:
    """What one kind of message supplies to the outbox: its rows and its hooks."""

    model: type[Delivery]
    # Hands the message over; returns the fields to record with "sent", or None when there
    # is nothing to say any more (skipped). Raises TRANSPORT_ERRORS when nothing was taken.
    send: Callable[[Delivery], dict | None]
    skip_reason: Callable[[Delivery, datetime], str] = _no_reason  # "" while still wanted
    prepare: Callable[[Delivery], None] = _nothing  # writes that belong in the claim's commit
    give_up_after: timedelta | None = None  # not sent at all when this late
    ready: str = Status.CLAIMED  # the state a row waits in to be sent
    send_batch: int = SEND_BATCH  # rows a send task takes

    @property
    def name(self) -> str:
        return self.model._meta.label_lower


# Every purpose, by the label of its model (the name its send tasks carry).
PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    """Make `purpose` known to the send task and the sweeper (from its app's ready())."""
    PURPOSES[purpose.name] = purpose
    return purpose


def purpose_named(name: str) -> Purpose:
    return PURPOSES[name]


# Claim, send, record ---------------------------------------------------------------------


def deliveries_send(*, purpose: Purpose, delivery_ids: list[int]) -> int:
    """Send each row this call can claim; returns how many it sent."""
    return sum(handle_one(purpose=purpose, pk=pk) for pk in delivery_ids)


def handle_one(*, purpose: Purpose, pk: int, now: datetime | None = None) -> bool:
    """Claim one row due by `now`, hand its message over, record the outcome; True only if
    this call sent it. Raises one of TRANSPORT_ERRORS, with the row waiting again for the
    retry, when nothing was handed over."""
    delivery = _claim(purpose, pk, now=now or timezone.now())
    if delivery is None:
        return False
    try:
        sent = purpose.send(delivery)
    except (smtplib.SMTPRecipientsRefused, NotTaken) as error:
        _finish(delivery, status=Status.FAILED, error=_describe(error))  # for good
        return False
    except TRANSPORT_ERRORS as error:
        mine = purpose.model.objects.filter(pk=pk, status=Status.SENDING)
        mine.update(status=purpose.ready, sending_at=None, error=_describe(error))
        raise
    if sent is None:
        _finish(delivery, status=Status.SKIPPED)
        return False
    _finish(delivery, status=Status.SENT, sent_at=timezone.now(), **sent)
    return True


@transaction.atomic
def _claim(purpose: Purpose, pk: int, *, now: datetime) -> Delivery | None:
    """The row, taken for sending with the purpose's writes; None when another sender has
    it, it is not due, or it is no longer to be sent (and so recorded)."""
    rows = purpose.model.objects
    taken = rows.filter(pk=pk, status=purpose.ready, due_at__lte=now)
    if not taken.update(status=Status.SENDING, sending_at=now):
        return None
    delivery = rows.select_related("user").get(pk=pk)
    if reason := purpose.skip_reason(delivery, now):
        _finish(delivery, status=Status.SKIPPED, error=reason)
        return None
    if purpose.give_up_after and now - delivery.due_at > purpose.give_up_after:
        _finish(delivery, status=Status.FAILED, error="Too late to send.")
        return None
    purpose.prepare(delivery)
    return delivery


def _finish(delivery: Delivery, **fields) -> None:
    # Unconditional: if the sweeper gave up on the row meanwhile, what happened wins.
    type(delivery).objects.filter(pk=delivery.pk).update(**fields)


def _describe(error: Exception) -> str:
    return str(error) if isinstance(error, NotTaken) else f"{type(error).__name__}: {error}"[:1000]


def email_hand_over(message: EmailMessage) -> dict:
    """Give `message` to the mail server; nothing more to record when it takes it."""
    if not message.send():
        raise NotTaken("The mail server took no message.")
    return {}


# Queue -----------------------------------------------------------------------------------


def claimed_queue(*, purpose: Purpose, user_ids, now: datetime) -> list[int]:
    """Queue the rows a dispatcher created at `now` for these users (an earlier claim's rows
    have another `claimed_at`), a send task a batch, once it commits; returns their ids."""
    claimed = purpose.model.objects.filter(user_id__in=user_ids, claimed_at=now)
    ids = list(claimed.values_list("pk", flat=True))
    for chunk in batched(ids, purpose.send_batch):
        transaction.on_commit(partial(send_queue, purpose.name, list(chunk)))
    return ids


def send_queue(purpose_name: str, delivery_ids: list[int]) -> None:
    """Queue a send task for these rows of a purpose (after commit, from the caller)."""
    from .tasks import send_deliveries  # tasks import this module

    send_deliveries.delay(purpose=purpose_name, delivery_ids=delivery_ids)


# Sweep -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    requeued: int
    given_up: int
    lost: int


@transaction.atomic
def outbox_sweep(
    *,
    model: type[Delivery],
    now: datetime,
    give_up_after: timedelta | None = None,
    requeue: Callable[[list[int]], None] | None = None,
    batch: int = SEND_BATCH,
    due_since: datetime | None = None,
) -> Sweep:
    """Mark failed what a dead worker left sending; give up on what waited too long; queue
    again (with `requeue`, after commit) what was queued but never sent.

    With `due_since`, only rows due since then are looked at (a table indexed by its due
    time, not by its status)."""
    rows = model.objects.filter(due_at__gte=due_since) if due_since else model.objects.all()
    unfinished = rows.filter(status=Status.CLAIMED)
    given_up = 0
    if give_up_after:
        given_up = unfinished.filter(due_at__lt=now - give_up_after).update(
            status=Status.FAILED, error=Concat(Value("Too late to send. "), F("error"))
        )
    lost = rows.filter(status=Status.SENDING, sending_at__lt=now - STALE_AFTER)
    lost = lost.update(status=Status.FAILED, error=LOST)
    if requeue is None:
        return Sweep(requeued=0, given_up=given_up, lost=lost)
    stale = list(unfinished.filter(queued_at__lt=now - STALE_AFTER).values_list("pk", flat=True))
    model.objects.filter(pk__in=stale, status=Status.CLAIMED).update(queued_at=now)
    for chunk in batched(stale, batch):
        transaction.on_commit(partial(requeue, list(chunk)))
    return Sweep(requeued=len(stale), given_up=given_up, lost=lost)


def purpose_sweep(*, purpose: Purpose, now: datetime) -> Sweep:
    """The sweep of one purpose; rows waiting for their time are left to their own run."""
    queued = issubclass(purpose.model, QueuedDelivery)
    requeue = partial(send_queue, purpose.name) if queued else None
    return outbox_sweep(
        model=purpose.model,
        now=now,
        give_up_after=purpose.give_up_after,
        requeue=requeue,
        batch=purpose.send_batch,
    )
