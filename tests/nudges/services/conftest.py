"""Fixed instants and helpers shared by the dispatcher, sender and sweeper tests."""

from datetime import UTC, datetime

import pytest
import time_machine

from nudges import services
from nudges.models import NudgeDelivery
from tests.factories import UserFactory
from tests.nudges.conftest import reminder

EVENING = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)  # 20:00 in London (alice's zone)
MORNING = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


LOCMEM_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def at():
    """Travel to a fixed instant for the rest of the block."""
    return lambda instant: time_machine.travel(instant, tick=False)


def set_reminders(*users, **kwargs):
    with time_machine.travel(MORNING, tick=False):
        for user in users:
            reminder(user, **kwargs)


def statuses() -> list[tuple[str, str]]:
    return list(NudgeDelivery.objects.order_by("user__email").values_list("user__email", "status"))


def claimed_not_sent(count: int, capture_on_commit) -> list[int]:
    """Deliveries for users u0@example.com, u1@… due at EVENING, claimed by the dispatcher
    with their send task not yet run; their ids in the users' order."""
    set_reminders(
        *(UserFactory(email=f"u{i}@example.com", time_zone="Europe/London") for i in range(count))
    )
    with time_machine.travel(EVENING, tick=False), capture_on_commit(execute=False):
        services.dispatch_due(now=EVENING)
    return list(NudgeDelivery.objects.order_by("user__email").values_list("pk", flat=True))
