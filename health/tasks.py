import logging

from celery import shared_task

from .services import heartbeat_record

log = logging.getLogger(__name__)


@shared_task(bind=True)
def heartbeat(self) -> None:
    worker = self.request.hostname or "unknown"
    heartbeat_record(worker=worker)
    log.info("heartbeat recorded for %s", worker)
