"""Two dispatchers at the same moment on PostgreSQL, each on its own connection."""

import threading
from datetime import UTC, datetime

import time_machine
from django.core import mail
from django.db import connection

from nudges import services
from nudges.models import NudgeDelivery
from tests.services import require_postgres

from .conftest import reminder

EVENING = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)


def test_second_dispatcher_skips_rows_the_first_holds(
    transactional_db, alice, charlie, monkeypatch
):
    require_postgres()
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        reminder(alice)
        reminder(charlie)
    holding, second_done = threading.Event(), threading.Event()
    reachable = services._reachable_user_ids

    def hold_the_lock(user_ids):
        # The first dispatcher has locked both rows; let the second run meanwhile.
        if threading.current_thread().name == "first":
            holding.set()
            second_done.wait(timeout=20)
        return reachable(user_ids)

    monkeypatch.setattr(services, "_reachable_user_ids", hold_the_lock)
    results = {}

    def run(name: str) -> None:
        try:
            results[name] = services.dispatch_due(now=EVENING)
        finally:
            connection.close()

    with time_machine.travel(EVENING, tick=False):
        first = threading.Thread(target=run, args=["first"], name="first")
        first.start()
        assert holding.wait(timeout=20)
        second = threading.Thread(target=run, args=["second"], name="second")
        second.start()
        second.join(timeout=20)
        second_done.set()
        first.join(timeout=20)

    assert results == {"first": 2, "second": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]
    assert NudgeDelivery.objects.filter(status="sent").count() == 2
