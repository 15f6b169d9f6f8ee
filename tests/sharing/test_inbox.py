"""The inbox: conversations per therapist and per client, with unread counts, replies on
entries included, and a conversation about the share as a whole."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from journal import services as journal_services
from journal.kinds import KINDS
from sharing import services
from sharing.models import AccessLog, Comment, ShareMessage
from tests.factories import GratitudeFactory, TherapistFactory

from .conftest import make_share, text_of


def inbox(browser) -> str:
    return text_of(browser.get(reverse("sharing:inbox")).content.decode())


def alice_replies_to_bob(alice_client, alice, bob, *, day):
    """Bob comments on Alice's gratitude entry of `day`, and she replies through the page."""
    entry = GratitudeFactory(user=alice, day=day)
    Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Lovely.")
    alice_client.post(
        reverse("sharing:reply_create", args=[entry.pk, bob.pk]), {"body": "Thank you."}
    )
    return entry


def test_a_reply_shows_in_the_therapists_inbox_and_home_until_read(
    bob_client, alice_client, alice, bob, bob_share
):
    entry = alice_replies_to_bob(alice_client, alice, bob, day=alice.local_today())

    assert "Alice 1 unread Reply on gratitude of" in inbox(bob_client)
    assert "Unread messages 1" in text_of(bob_client.get(reverse("home")).content.decode())
    bob_client.get(reverse("sharing:client_entry", args=[alice.pk, entry.pk]))

    assert "unread" not in inbox(bob_client)
    assert "Unread messages 0" in text_of(bob_client.get(reverse("home")).content.decode())


# Three ways a client takes an entry out of what a therapist sees, after replying on it.
UNSHARE = {
    "made private": lambda share, entry: journal_services.entry_update(
        entry=entry, data={"is_private": True}
    ),
    "its kind no longer shared": lambda share, entry: services.share_update_scopes(
        share=share,
        shared_from=share.shared_from,
        **{**share.scopes, KINDS["gratitude"].scope: False},
    ),
    "shared from a later day": lambda share, entry: services.share_update_scopes(
        share=share, shared_from=entry.day + timedelta(days=1), **share.scopes
    ),
}


@pytest.mark.parametrize("unshare", UNSHARE)
def test_a_reply_on_an_entry_no_longer_shared_is_not_counted_as_unread(
    bob_client, alice_client, alice, bob, bob_share, unshare
):
    three_days_ago = alice.local_today() - timedelta(days=3)
    entry = alice_replies_to_bob(alice_client, alice, bob, day=three_days_ago)
    assert "Alice 1 unread Reply on gratitude of" in inbox(bob_client)

    UNSHARE[unshare](bob_share, entry)

    assert "unread" not in inbox(bob_client)
    assert "Unread messages 0" in text_of(bob_client.get(reverse("home")).content.decode())


def test_a_conversation_about_the_share_both_ways(bob_client, alice_client, alice, bob_share):
    with_alice = reverse("sharing:conversation_with_client", args=[alice.pk])
    with_bob = reverse("sharing:conversation_with_therapist", args=[bob_share.pk])

    bob_client.post(with_alice, {"body": "How did the week feel?"})
    assert "Bob 1 unread" in inbox(alice_client)
    page = text_of(alice_client.get(with_bob).content.decode())
    assert "How did the week feel?" in page
    assert "Bob 1 unread" not in inbox(alice_client)
    alice_client.post(with_bob, {"body": "Calmer than last."})

    assert "Alice 1 unread" in inbox(bob_client)
    assert "Calmer than last." in text_of(bob_client.get(with_alice).content.decode())
    assert list(ShareMessage.objects.values_list("by_therapist", flat=True)) == [True, False]
    assert AccessLog.objects.filter(
        what="Your conversation with them about sharing as a whole"
    ).exists()


def test_an_empty_message_is_refused_and_nothing_is_sent(bob_client, alice, bob_share):
    url = reverse("sharing:conversation_with_client", args=[alice.pk])

    response = bob_client.post(url, {"body": "   "})

    assert "Write your message first: the box is empty." in response.content.decode()
    assert not ShareMessage.objects.exists()


def test_nobody_else_reads_or_writes_the_conversation(alice, bob_share, charlie):
    stranger = Client()
    stranger.force_login(charlie)
    other = Client()
    other.force_login(TherapistFactory(email="tess@example.com"))
    ShareMessage.objects.create(
        client=alice, therapist=bob_share.therapist, by_therapist=True, body="secret-words"
    )

    for browser in (stranger, other):
        assert (
            browser.get(reverse("sharing:conversation_with_client", args=[alice.pk])).status_code
            == 404
        )
        assert (
            browser.get(
                reverse("sharing:conversation_with_therapist", args=[bob_share.pk])
            ).status_code
            == 404
        )
        assert "secret-words" not in inbox(browser)


def test_after_revoking_the_conversation_closes_and_leaves_the_inbox(
    bob_client, alice_client, alice, bob_share
):
    bob_client.post(reverse("sharing:conversation_with_client", args=[alice.pk]), {"body": "Hello"})
    bob_share.status = "revoked"
    bob_share.save()

    assert "Alice" not in inbox(bob_client)
    assert (
        bob_client.get(reverse("sharing:conversation_with_client", args=[alice.pk])).status_code
        == 404
    )
    assert (
        alice_client.get(
            reverse("sharing:conversation_with_therapist", args=[bob_share.pk])
        ).status_code
        == 404
    )


def test_after_the_last_share_ends_the_inbox_says_none_is_open_without_a_yet(
    bob_client, alice_client, alice, bob_share
):
    bob_client.post(reverse("sharing:conversation_with_client", args=[alice.pk]), {"body": "Hello"})
    alice_client.post(reverse("sharing:share_revoke", args=[bob_share.pk]))

    page = inbox(bob_client)

    assert (
        "No open conversations. A conversation is open while someone shares a journal with"
        " you, or you with them."
    ) in page
    assert "Alice" not in page and "yet" not in page


def test_a_client_with_two_therapists_sees_each_conversation_apart(alice_client, alice, bob):
    tess = TherapistFactory(email="tess@example.com", display_name="Tess")
    make_share(alice, bob)
    make_share(alice, tess)
    ShareMessage.objects.create(client=alice, therapist=tess, by_therapist=True, body="Hi")

    page = inbox(alice_client)

    assert "Bob" in page and "Tess 1 unread" in page and "Bob 1 unread" not in page


def test_a_head_request_leaves_a_reply_unread_and_is_logged(
    bob_client, alice_client, alice, bob, bob_share
):
    entry = alice_replies_to_bob(alice_client, alice, bob, day=alice.local_today())
    entry_url = reverse("sharing:client_entry", args=[alice.pk, entry.pk])

    bob_client.head(entry_url)

    assert "Alice 1 unread Reply on gratitude of" in inbox(bob_client)
    assert AccessLog.objects.filter(path=entry_url).count() == 1  # every read is logged


def test_a_head_request_leaves_a_message_about_the_share_unread(
    bob_client, alice_client, alice, bob_share
):
    with_alice = reverse("sharing:conversation_with_client", args=[alice.pk])
    with_bob = reverse("sharing:conversation_with_therapist", args=[bob_share.pk])
    bob_client.post(with_alice, {"body": "How did the week feel?"})
    alice_client.post(with_bob, {"body": "Calmer than last."})

    alice_client.head(with_bob)
    bob_client.head(with_alice)

    assert "Bob 1 unread" in inbox(alice_client)
    assert "Alice 1 unread" in inbox(bob_client)
