import logging

from celery import shared_task
from django.utils import timezone

from . import services

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
