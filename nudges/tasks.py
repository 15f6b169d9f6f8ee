import logging

from celery import shared_task
from django.utils import timezone

from . import services
from .services import one_off

log = logging.getLogger(__name__)


@shared_task
def dispatch_nudges() -> int:
    queued = services.dispatch_due(now=timezone.now())
    if queued:
        log.info("queued %d nudges", queued)
    return queued


@shared_task(
    acks_late=True,
    autoretry_for=services.TRANSPORT_ERRORS,
    retry_backoff=30,  # waits of up to 30, 60, 120, 240 s; after that the sweeper takes over
    retry_backoff_max=600,
    max_retries=4,
)
def send_nudges(*, delivery_ids: list[int]) -> int:
    sent = services.deliveries_send(delivery_ids=delivery_ids)
    log.info("sent %d of %d nudges", sent, len(delivery_ids))
    return sent


@shared_task
def sweep_stale_deliveries() -> None:
    sweep = services.deliveries_sweep(now=timezone.now())
    if sweep.requeued or sweep.given_up or sweep.lost:
        log.warning("nudge sweep: %s", sweep)


@shared_task
def send_one_off_reminders() -> int:
    """Every minute: the one-off reminders now due (the end of a break), each sent once."""
    now = timezone.now()
    given_up = one_off.one_off_sweep(now=now)
    if given_up:
        log.warning("gave up on %d one-off reminders a stopped worker was sending", given_up)
    sent = one_off.one_off_send_due(now=now)
    if sent:
        log.info("sent %d one-off reminders", sent)
    return sent
