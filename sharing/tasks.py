import logging

from celery import shared_task
from django.utils import timezone

from . import digests, services

log = logging.getLogger(__name__)


@shared_task
def dispatch_digests() -> int:
    queued = len(digests.digests_dispatch(now=timezone.now()))
    if queued:
        log.info("queued %d notice emails", queued)
    return queued


@shared_task
def expire_access_logs() -> int:
    deleted = services.access_logs_expire(now=timezone.now())
    if deleted:
        log.info("deleted %d access-log rows past their retention", deleted)
    return deleted
