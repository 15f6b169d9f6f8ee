import logging

from celery import shared_task
from django.utils import timezone

from outbox.tasks import SENDER

from . import services, weekly
from .services import one_off

log = logging.getLogger(__name__)


@shared_task
def dispatch_nudges() -> int:
    queued = services.dispatch_due(now=timezone.now())
    if queued:
        log.info("queued %d nudges", queued)
    return queued


@shared_task(**SENDER)
def send_nudges(*, delivery_ids: list[int]) -> int:
    sent = services.deliveries_send(delivery_ids=delivery_ids)
    log.info("sent %d of %d nudges", sent, len(delivery_ids))
    return sent


@shared_task
def sweep_stale_nudges() -> None:
    """The daily nudge's deliveries (outbox.tasks.sweep_deliveries sweeps the rest)."""
    sweep = services.deliveries_sweep(now=timezone.now())
    if sweep.requeued or sweep.given_up or sweep.lost:
        log.warning("nudge sweep: %s", sweep)


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


@shared_task
def expire_old_nudges() -> int:
    deleted = services.deliveries_expire(now=timezone.now())
    if deleted:
        log.info("deleted %d nudge deliveries past their retention", deleted)
    return deleted
