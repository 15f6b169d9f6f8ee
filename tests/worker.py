"""Driving a real Celery worker from a test: send what beat would send, wait for the result."""

import time

from django.conf import settings

from selfhelp.celery import app


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def beat(entry: str) -> None:
    """Send a task exactly as beat does for this entry of the schedule."""
    task = settings.CELERY_BEAT_SCHEDULE[entry]
    app.send_task(task["task"], **task.get("options", {}))
