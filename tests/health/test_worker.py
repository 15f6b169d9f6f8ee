"""A real Celery worker, consuming from Redis, runs the heartbeat task."""

import time

from django.utils import timezone

from health.models import Heartbeat
from health.tasks import heartbeat


def test_worker_writes_heartbeat_row_through_redis(redis_worker):
    sent_at = timezone.now()
    heartbeat.delay()

    deadline = time.monotonic() + 30
    while not Heartbeat.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)

    row = Heartbeat.objects.get()
    assert row.beat_at >= sent_at
    assert row.worker in redis_worker.hostname
