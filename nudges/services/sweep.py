"""The sweeper: nudges whose task was lost are queued again, or given up when too late."""

from datetime import datetime

from outbox.services import STALE_AFTER, Sweep, outbox_sweep

from ..models import UNFINISHED_WITHIN, NudgeDelivery
from .dispatch import GIVE_UP_AFTER, send_queue

__all__ = ["STALE_AFTER", "Sweep", "deliveries_sweep"]


def deliveries_sweep(*, now: datetime) -> Sweep:
    """Queue again what was claimed but never sent; give up on what is now too late."""
    return outbox_sweep(
        model=NudgeDelivery,
        now=now,
        give_up_after=GIVE_UP_AFTER,
        requeue=send_queue,
        due_since=now - UNFINISHED_WITHIN,
    )
