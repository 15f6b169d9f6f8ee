from datetime import time

import pytest

from nudges import services


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """Tasks run in the test's own thread, so nothing lands in a real queue."""


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the dispatcher at `now` as beat would, with the send tasks it queues on commit."""

    def run(now, **kwargs) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.dispatch_due(now=now, **kwargs)

    return run


def reminder(user, *, at=time(20, 0), weekdays=range(7), paused_until=None, skip=False):
    """Set `user`'s reminder schedule as the settings page would."""
    schedule = services.schedule_create_default(user=user)
    return services.schedule_update(
        schedule=schedule,
        enabled=True,
        local_time=at,
        weekdays=list(weekdays),
        paused_until=paused_until,
        skip_if_written=skip,
    )
