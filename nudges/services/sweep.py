"""The sweeper: nudges whose task was lost are queued again, or given up when too late;
and the record of nudges past NUDGE_RETENTION_DAYS is deleted."""

from datetime import datetime, timedelta

from django.conf import settings

from core.retention import delete_before
from outbox.services import STALE_AFTER, Sweep, outbox_sweep

from ..models import UNFINISHED_WITHIN, NudgeDelivery
from .dispatch import GIVE_UP_AFTER, send_queue

__all__ = ["STALE_AFTER", "Sweep", "deliveries_expire", "deliveries_sweep"]


def deliveries_sweep(*, now: datetime) -> Sweep:
    """Queue again what was claimed but never sent; give up on what is now too late."""
    return outbox_sweep(
        model=NudgeDelivery,
        now=now,
        give_up_after=GIVE_UP_AFTER,
        requeue=send_queue,
        due_since=now - UNFINISHED_WITHIN,
    )


def deliveries_expire(*, now: datetime) -> int:
    """Delete nudges due more than NUDGE_RETENTION_DAYS ago: once a day each, they were over
    half of the database (README, capacity plan); the reminders page shows the last few."""
    cutoff = now - timedelta(days=settings.NUDGE_RETENTION_DAYS)
    return delete_before(NudgeDelivery.objects.all(), field="due_at", cutoff=cutoff)
