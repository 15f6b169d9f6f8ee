import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services, weekly
from .services import one_off, outbox

log = logging.getLogger(__name__)


@shared_task
def dispatch_nudges() -> int:
    queued = services.dispatch_due(now=timezone.now())
    if queued:
        log.info("queued %d nudges", queued)
    return queued


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
def send_nudges(*, delivery_ids: list[int]) -> int:
    sent = services.deliveries_send(delivery_ids=delivery_ids)
    log.info("sent %d of %d nudges", sent, len(delivery_ids))
    return sent


@shared_task(**SENDER)
def send_deliveries(*, purpose: str, delivery_ids: list[int]) -> int:
    """The outbox's sender, for every purpose but the daily nudge (which has its own)."""
    sent = outbox.deliveries_send(purpose=outbox.purpose_named(purpose), delivery_ids=delivery_ids)
    log.info("sent %d of %d %s messages", sent, len(delivery_ids), purpose)
    return sent


@shared_task
def sweep_stale_deliveries() -> None:
    """The daily nudge's deliveries, then every outbox purpose's."""
    now = timezone.now()
    sweeps = {"nudge": services.deliveries_sweep(now=now)}
    for name in outbox.PURPOSES:
        sweeps[name] = outbox.purpose_sweep(purpose=outbox.purpose_named(name), now=now)
    for name, sweep in sweeps.items():
        if sweep.requeued or sweep.given_up or sweep.lost:
            log.warning("%s sweep: %s", name, sweep)


@shared_task
def send_one_off_reminders() -> int:
    """Every minute: the one-off reminders now due (the end of a break), each sent once."""
    sent = one_off.one_off_send_due(now=timezone.now())
    if sent:
        log.info("sent %d one-off reminders", sent)
    return sent


@shared_task
def dispatch_check_in_reminders() -> int:
    queued = weekly.dispatch_due(now=timezone.now())
    if queued:
        log.info("queued %d check-in reminders", queued)
    return queued
