import logging

from celery import shared_task

from .services import entries_purge_deleted

log = logging.getLogger(__name__)


@shared_task
def purge_deleted_entries() -> int:
    removed = entries_purge_deleted()
    if removed:
        log.info("removed %d entries past their undo window", removed)
    return removed
