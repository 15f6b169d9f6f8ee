import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services

log = logging.getLogger(__name__)

# A send task retries a transport error, or a lost database connection (PostgreSQL or
# PgBouncer restarted: the rows not yet taken wait for the retry, not for the sweeper),
# after up to 30, 60, 120, 240 s; then the sweeper takes over. Late acks: a task whose
# worker died is delivered again.
SENDER = {
    "acks_late": True,
    "autoretry_for": (*services.TRANSPORT_ERRORS, InterfaceError, OperationalError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 4,
}


@shared_task(**SENDER)
def send_deliveries(*, purpose: str, delivery_ids: list[int]) -> int:
    """The sender of every registered purpose (the daily nudge has its own)."""
    found = services.purpose_named(purpose)
    sent = services.deliveries_send(purpose=found, delivery_ids=delivery_ids)
    log.info("sent %d of %d %s messages", sent, len(delivery_ids), purpose)
    return sent


@shared_task
def sweep_deliveries() -> None:
    """Every registered purpose's rows: lost ones failed, stale ones queued again."""
    now = timezone.now()
    for name, purpose in services.PURPOSES.items():
        sweep = services.purpose_sweep(purpose=purpose, now=now)
        if sweep.requeued or sweep.given_up or sweep.lost:
            log.warning("%s sweep: %s", name, sweep)
