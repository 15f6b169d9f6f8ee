"""A real Celery worker, consuming from Redis, runs the heartbeat task."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone

from health.models import Heartbeat
from health.tasks import heartbeat
from selfhelp.celery import app
from tests.services import require_redis


def _close_other_sessions() -> None:
    """The worker thread keeps its own database connection; end it so teardown can drop the db."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def redis_worker(transactional_db):
    require_redis()
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker
    _close_other_sessions()


def test_worker_writes_heartbeat_row_through_redis(redis_worker):
    sent_at = timezone.now()
    heartbeat.delay()

    deadline = time.monotonic() + 30
    while not Heartbeat.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)

    row = Heartbeat.objects.get()
    assert row.beat_at >= sent_at
    assert row.worker in redis_worker.hostname
