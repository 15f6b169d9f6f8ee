import logging

from celery import shared_task
from django.utils import timezone

from . import digests

log = logging.getLogger(__name__)


@shared_task
def dispatch_digests() -> int:
    queued = len(digests.digests_dispatch(now=timezone.now()))
    if queued:
        log.info("queued %d notice emails", queued)
    return queued
