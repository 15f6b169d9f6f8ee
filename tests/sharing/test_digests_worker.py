"""A real Celery worker, through Redis, sends the day's notices once, with the clock moved to
the evening rather than waited for."""

import time
from datetime import UTC, datetime

import time_machine
from django.core import mail

from sharing.models import AccessLog, DigestDelivery
from tests.services import beat, wait_for

from .conftest import notices_world

EVENING = datetime(2026, 3, 11, 18, 5, tzinfo=UTC)  # 18:05 in London
SECRET = "narwhal-words-nobody-emails"


def test_worker_sends_each_notice_once_without_content(redis_worker, alice, bob):
    share = notices_world(alice, bob, evening=EVENING, secret=SECRET)

    with time_machine.travel(EVENING, tick=True):
        beat("dispatch-digests")
        beat("dispatch-digests")  # beat fires twice
        beat("sweep-deliveries")
        wait_for(lambda: DigestDelivery.objects.filter(status="sent").count() == 2)
        time.sleep(1)  # room for a wrong second email to arrive

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("alice@example.com", "Your therapist commented on 1 entry"),
        ("bob@example.com", "New shared entries from 1 client"),
    ]
    for message in mail.outbox:
        assert SECRET not in message.subject + message.body + message.alternatives[0][0]
    assert list(AccessLog.objects.filter(share=share).values_list("what", flat=True)) == [
        "Summary of new entries emailed: 2 new entries, counts only"
    ]
