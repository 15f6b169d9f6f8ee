"""Notice emails without content: at most one a day per recipient and kind, opt-in."""

import re
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts import services as account_services
from journal import services as journal_services
from outbox import services as outbox
from sharing import digests
from sharing import services as sharing_services
from sharing.models import AccessLog, Comment, DigestDelivery
from tests.factories import GratitudeFactory

from .conftest import make_share, notices_world

# Alice and Bob live in London: 18:05 there, past the hour notices go from.
EVENING = datetime(2026, 3, 11, 18, 5, tzinfo=UTC)
MORNING = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
SECRET = "quokka-private-words"


@pytest.fixture
def world(alice, bob):
    """An hour before the evening Bob comments on one of Alice's two new entries; both
    want the notices."""
    return notices_world(alice, bob, evening=EVENING, secret=SECRET)


def run(now: datetime, capture) -> list[int]:
    """The dispatcher at `now`, then each send task it queued, as a worker would run them."""
    with time_machine.travel(now, tick=False), capture(execute=False) as queued:
        created = digests.digests_dispatch(now=now)
    for delivery_id in created:
        with time_machine.travel(now, tick=False):
            outbox.handle_one(purpose=digests.NOTICE, pk=delivery_id)
    assert len(queued) == len(created)
    return created


def test_each_recipient_gets_one_notice_without_any_content(
    world, django_capture_on_commit_callbacks
):
    run(EVENING, django_capture_on_commit_callbacks)

    emails = {message.to[0]: message for message in mail.outbox}
    assert set(emails) == {"alice@example.com", "bob@example.com"}
    assert emails["alice@example.com"].subject == "New comments from your therapist"
    assert emails["bob@example.com"].subject == "New activity from a client"
    for message in mail.outbox:
        whole = message.subject + message.body + message.alternatives[0][0]
        assert SECRET not in whole
        assert "Gratitude" not in whole and "Bid" not in whole
    assert "Each client sees in their access log" in emails["bob@example.com"].body


def test_the_therapists_notice_is_in_the_clients_access_log(
    world, django_capture_on_commit_callbacks
):
    run(EVENING, django_capture_on_commit_callbacks)

    log = AccessLog.objects.get(share=world)
    assert (log.who, log.what, log.path) == (
        "Bob (bob@example.com)",
        "Summary of new entries emailed: 2 new entries, counts only",
        "(email)",
    )


def test_nothing_goes_before_the_evening_and_only_once_a_day(
    world, django_capture_on_commit_callbacks
):
    assert run(MORNING, django_capture_on_commit_callbacks) == []
    run(EVENING, django_capture_on_commit_callbacks)
    run(EVENING + timedelta(minutes=15), django_capture_on_commit_callbacks)
    with time_machine.travel(EVENING + timedelta(hours=1), tick=False):
        GratitudeFactory(user=world.client, day=EVENING.date())
    run(EVENING + timedelta(hours=2), django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert DigestDelivery.objects.filter(status="sent").count() == 2


def test_a_second_task_for_the_same_notice_sends_nothing(world, django_capture_on_commit_callbacks):
    created = run(EVENING, django_capture_on_commit_callbacks)

    with time_machine.travel(EVENING, tick=False):
        again = [outbox.handle_one(purpose=digests.NOTICE, pk=pk) for pk in created]

    assert again == [False, False]
    assert len(mail.outbox) == 2


def test_the_next_day_counts_only_what_is_new(world, django_capture_on_commit_callbacks):
    run(EVENING, django_capture_on_commit_callbacks)
    tomorrow = EVENING + timedelta(days=1)
    with time_machine.travel(tomorrow - timedelta(hours=3), tick=False):
        GratitudeFactory(user=world.client, day=tomorrow.date())

    run(tomorrow, django_capture_on_commit_callbacks)

    assert [m.subject for m in mail.outbox[2:]] == ["New activity from a client"]


def test_nobody_is_emailed_without_opting_in(alice, bob, django_capture_on_commit_callbacks):
    with time_machine.travel(EVENING - timedelta(hours=7), tick=False):
        make_share(alice, bob)
        GratitudeFactory(user=alice)

    assert run(EVENING, django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_no_email_about_a_client_who_deleted_their_account(
    world, django_capture_on_commit_callbacks
):
    with time_machine.travel(EVENING, tick=False):
        created = digests.digests_dispatch(now=EVENING)
    account_services.account_delete(user=world.client)  # after the claim, before the send

    with time_machine.travel(EVENING, tick=False):
        for delivery_id in created:
            outbox.handle_one(purpose=digests.NOTICE, pk=delivery_id)

    assert mail.outbox == []
    assert list(DigestDelivery.objects.values_list("status", flat=True)) == ["skipped"]


def test_a_transport_error_leaves_it_for_the_retry_without_logging_twice(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    with time_machine.travel(EVENING, tick=False):
        created = digests.digests_dispatch(now=EVENING)
    bobs = DigestDelivery.objects.get(kind="entries").pk
    assert bobs in created

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    with time_machine.travel(EVENING, tick=False):
        with monkeypatch.context() as patch:
            patch.setattr("django.core.mail.EmailMessage.send", refuse)
            with pytest.raises(smtplib.SMTPServerDisconnected):
                outbox.handle_one(purpose=digests.NOTICE, pk=bobs)
        assert DigestDelivery.objects.get(pk=bobs).status == "claimed"

        assert outbox.handle_one(purpose=digests.NOTICE, pk=bobs) is True
    assert [m.subject for m in mail.outbox] == ["New activity from a client"]
    assert AccessLog.objects.count() == 1


def test_the_sweeper_never_resends_what_a_dead_worker_held(world):
    with time_machine.travel(EVENING, tick=False):
        created = digests.digests_dispatch(now=EVENING)
    DigestDelivery.objects.filter(pk__in=created).update(status="sending", sending_at=EVENING)

    sweep = outbox.purpose_sweep(purpose=digests.NOTICE, now=EVENING + timedelta(minutes=11))

    assert (sweep.requeued, sweep.lost) == (0, 2)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"failed"}


def test_the_notices_settings_page_turns_each_on_and_off(alice_client, alice):
    response = alice_client.post(reverse("sharing:notices"), {"comments_email": "on"})

    assert response["Location"] == reverse("sharing:notices")
    preference = alice.notice_preference
    preference.refresh_from_db()
    assert (preference.comments_email, preference.entries_email) == (True, False)
    assert preference.comments_since is not None
    page = alice_client.get(reverse("sharing:notices")).content.decode()
    assert re.search(r'<input type="checkbox" name="comments_email"[^>]* checked>', page)
    assert not re.search(r'<input type="checkbox" name="entries_email"[^>]* checked>', page)


def test_a_clients_reply_is_in_the_therapists_notice_without_words(
    alice, bob, django_capture_on_commit_callbacks
):
    from sharing import services
    from sharing.models import ShareMessage

    with time_machine.travel(EVENING - timedelta(hours=6), tick=False):
        make_share(alice, bob)
        services.notice_preference_update(user=bob, comments_email=False, entries_email=True)
    with time_machine.travel(EVENING - timedelta(hours=1), tick=False):
        ShareMessage.objects.create(client=alice, therapist=bob, by_therapist=False, body=SECRET)

    run(EVENING, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.subject == "New replies from your clients"
    assert "One reply or message from clients waits in your inbox." in message.body
    assert SECRET not in message.body + message.subject


def test_a_reply_on_an_entry_made_private_since_is_in_no_notice(
    alice, bob, django_capture_on_commit_callbacks
):
    with time_machine.travel(EVENING - timedelta(hours=6), tick=False):
        make_share(alice, bob)
        sharing_services.notice_preference_update(
            user=bob, comments_email=False, entries_email=True
        )
        entry = GratitudeFactory(user=alice, day=EVENING.date())
    with time_machine.travel(EVENING - timedelta(hours=1), tick=False):
        Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Lovely.")
        Comment.objects.create(entry=entry, author=alice, therapist=bob, body=SECRET)
    journal_services.entry_update(entry=entry, data={"is_private": True})

    run(EVENING, django_capture_on_commit_callbacks)

    assert mail.outbox == []
