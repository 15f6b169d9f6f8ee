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
def access_logs_of_deleted_shares_delete(*, share_ids: list[int]) -> int:
    deleted = services.access_logs_of_deleted_shares_delete(share_ids=share_ids)
    if deleted:
        log.info("deleted %d access-log rows written after their share was deleted", deleted)
    return deleted
