"""The sweeper: deliveries whose task was lost are queued again, or given up when too late."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import batched

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from ..models import NudgeDelivery
from .dispatch import GIVE_UP_AFTER, SEND_BATCH, _queue_send

# A delivery queued this long ago and still unsent has lost its task (or its worker).
STALE_AFTER = timedelta(minutes=10)
Status = NudgeDelivery.Status


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
