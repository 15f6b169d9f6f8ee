import logging

from celery import shared_task
from django.utils import timezone

from nudges.services import TRANSPORT_ERRORS

from . import digests

log = logging.getLogger(__name__)


@shared_task
def dispatch_digests() -> int:
    queued = len(digests.digests_dispatch(now=timezone.now()))
    if queued:
        log.info("queued %d notice emails", queued)
    return queued


@shared_task(
    acks_late=True,
    autoretry_for=TRANSPORT_ERRORS,
    retry_backoff=30,  # waits of up to 30, 60, 120, 240 s; after that the sweeper takes over
    retry_backoff_max=600,
    max_retries=4,
)
def send_digest(*, delivery_id: int) -> bool:
    sent = digests.handle_one_digest(delivery_id=delivery_id)
    log.info("notice email %s: %s", delivery_id, "sent" if sent else "not sent")
    return sent


@shared_task
def sweep_digests() -> None:
    requeued, lost = digests.digests_sweep(now=timezone.now())
    if requeued or lost:
        log.warning("notice sweep: %d queued again, %d lost", requeued, lost)
