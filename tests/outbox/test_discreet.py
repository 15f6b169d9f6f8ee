"""Discreet reminders: for a phone others may see, every message the app sends a person on
its own says only "A moment for you", and comes from the sender name they chose."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from nudges import push, services, weekly
from nudges.selectors import Suggestion
from nudges.services import one_off
from outbox import services as outbox
from sharing import digests
from tests.factories import BreakFactory
from tests.nudges.conftest import reminder
from tests.nudges.test_push import AUTH, P256DH, PHONE, FakePushService, push_keys  # noqa: F401
from tests.sharing.conftest import notices_world

EVENING = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)  # 20:00 in London, where alice lives
SECRET = "quokka-private-words"
# What a glance at a shared phone must not learn.
TELLING = re.compile(r"partner|relationship|therap|closer|gratitude|break|check-in|comment", re.I)
HELLO = (
    "Hello Alice,\n\nA moment for you. Open it when you have a minute.\nhttp://127.0.0.1:8000/\n"
)


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """Tasks run in the test's own thread."""


@pytest.fixture
def discreet(alice, bob):
    for person, name in ((alice, "A. Reader"), (bob, "")):
        person.discreet_reminders, person.sender_name = True, name
        person.save(update_fields=["discreet_reminders", "sender_name"])
    return alice


def _assert_plain(message, *, sender='"A. Reader" <hello@localhost>') -> None:
    assert message.subject == "A moment for you"
    assert message.from_email == sender
    html = message.alternatives[0][0]
    assert not TELLING.search(message.subject + message.body + html)
    assert SECRET not in message.body + html


def test_the_daily_reminder_says_only_a_moment_for_you(
    discreet, django_capture_on_commit_callbacks
):
    with time_machine.travel(EVENING - timedelta(hours=11), tick=False):
        reminder(discreet)
    with time_machine.travel(EVENING, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due(now=EVENING)

    [message] = mail.outbox
    _assert_plain(message)
    assert message.body.startswith(HELLO)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert f"To stop these (no login needed): {unsubscribe}" in message.body


def test_the_end_of_a_break_says_only_a_moment_for_you(discreet):
    entry = BreakFactory(user=discreet, return_at=EVENING)
    one_off.one_off_schedule(
        user=discreet, purpose="break_end", key=str(entry.pk), due_at=EVENING, entry=entry
    )

    assert one_off.one_off_send_due(now=EVENING) == 1

    [message] = mail.outbox
    _assert_plain(message)
    assert message.body.startswith(HELLO)


def test_the_weekly_check_in_says_only_a_moment_for_you(
    discreet, django_capture_on_commit_callbacks
):
    sunday = datetime(2026, 3, 8, 19, 0, tzinfo=UTC)  # 19:00 in London
    with time_machine.travel(sunday - timedelta(days=1), tick=False):
        weekly.reminder_update(user=discreet, enabled=True, weekday=6, local_time=time(19, 0))
    with time_machine.travel(sunday, tick=False), django_capture_on_commit_callbacks(execute=True):
        weekly.dispatch_due(now=sunday)

    [message] = mail.outbox
    _assert_plain(message)


def test_the_sharing_notices_say_only_a_moment_for_you(
    discreet, alice, bob, django_capture_on_commit_callbacks
):
    evening = datetime(2026, 3, 11, 18, 5, tzinfo=UTC)
    notices_world(alice, bob, evening=evening, secret=SECRET)
    with time_machine.travel(evening, tick=False), django_capture_on_commit_callbacks() as queued:
        created = digests.digests_dispatch(now=evening)
    with time_machine.travel(evening, tick=False):
        for pk in created:
            outbox.handle_one(purpose=digests.NOTICE, pk=pk)

    assert len(queued) == 2
    emails = {message.to[0]: message for message in mail.outbox}
    _assert_plain(emails["alice@example.com"])
    _assert_plain(emails["bob@example.com"], sender="Closer <hello@localhost>")


def test_notifications_say_only_a_moment_for_you(discreet, push_keys, monkeypatch):  # noqa: F811
    service = FakePushService()
    monkeypatch.setattr(push, "webpush", service)
    reminder(discreet)
    push.subscription_save(user=discreet, endpoint=PHONE, p256dh=P256DH, auth=AUTH)
    entry = BreakFactory(user=discreet, return_at=EVENING)
    one_off.one_off_schedule(
        user=discreet, purpose="break_end", key=str(entry.pk), due_at=EVENING, entry=entry
    )

    one_off.one_off_send_due(now=EVENING)
    push.nudge_push(user=discreet, suggestion=Suggestion(text="Tell your partner", path="/"))

    shown = [(payload["title"], payload["body"]) for _, payload in service.sent]
    assert shown == [("A moment for you", "Open it when you have a minute.")] * 2
    assert mail.outbox == []


def test_without_the_option_the_sender_name_alone_changes(
    alice, django_capture_on_commit_callbacks
):
    alice.sender_name = "Book club"
    alice.save(update_fields=["sender_name"])
    with time_machine.travel(EVENING - timedelta(hours=11), tick=False):
        reminder(alice)
    with time_machine.travel(EVENING, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due(now=EVENING)

    [message] = mail.outbox
    assert (message.subject, message.from_email) == (
        "A small step for today",
        "Book club <hello@localhost>",
    )


def _bob_invites(client, bob, email: str, capture):
    """The one email Bob's invitation to `email` sends, from his list of clients."""
    client.force_login(bob)
    with capture(execute=True):
        client.post(reverse("sharing:client_invite"), {"email": email})
    [message] = mail.outbox
    return message


def test_an_invitation_to_someone_discreet_says_only_a_moment_for_you_and_keeps_its_link(
    discreet, bob, client, django_capture_on_commit_callbacks
):
    message = _bob_invites(client, bob, "ALICE@example.com", django_capture_on_commit_callbacks)

    _assert_plain(message)
    link = re.search(r"http://127\.0\.0\.1:8000/sharing/join/\S+/", message.body)
    assert link is not None
    client.force_login(discreet)
    page = client.get(link.group().removeprefix("http://127.0.0.1:8000")).content.decode()
    assert "Bob invites you to share your journal" in page


def test_an_invitation_to_another_of_their_confirmed_addresses_says_only_a_moment_for_you(
    discreet, bob, client, django_capture_on_commit_callbacks
):
    """The link acts for any confirmed address of theirs, so each one is theirs here too."""
    EmailAddress.objects.create(user=discreet, email="alice@work.example", verified=True)

    message = _bob_invites(client, bob, "Alice@Work.example", django_capture_on_commit_callbacks)

    assert message.to == ["Alice@Work.example"]
    _assert_plain(message)
    assert re.search(r"http://127\.0\.0\.1:8000/sharing/join/\S+/", message.body)


def test_an_address_someone_has_not_confirmed_gets_the_invitation_in_full(
    discreet, bob, client, django_capture_on_commit_callbacks
):
    """Only the person who confirmed an address decides how emails to it read."""
    EmailAddress.objects.create(user=discreet, email="alice@work.example", verified=False)

    message = _bob_invites(client, bob, "alice@work.example", django_capture_on_commit_callbacks)

    assert (message.subject, message.from_email) == (
        "Bob invites you to share your Closer journal",
        "Closer <hello@localhost>",
    )
