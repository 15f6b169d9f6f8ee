"""After a client stops sharing, their therapist's old links say so (still a 404), and name
nothing of the client; anyone else gets the plain 404, and a refused read is no read. What
the therapist was writing when it ended comes back to them on that page, and is not saved."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from sharing import services
from sharing.models import AccessLog, Comment, Homework, SessionNote, Share, ShareMessage
from tests.factories import GratitudeFactory, TherapistFactory

from .conftest import make_share, text_of

ENDED = "This client no longer shares their journal with you"
PLAIN = "We could not find that page"


@pytest.fixture
def old_links(alice, bob_share) -> list[str]:
    entry = GratitudeFactory(user=alice, moments="A moment only Bob read")
    return [
        reverse("sharing:client_journal", args=[alice.pk]),
        reverse("sharing:client_entry", args=[alice.pk, entry.pk]),
        reverse("sharing:session_notes", args=[alice.pk]),
    ]


@pytest.mark.parametrize("by", ["client", "therapist"])
def test_old_links_say_the_sharing_ended(bob_client, alice, bob, bob_share, old_links, by):
    services.share_revoke(share=bob_share, by=alice if by == "client" else bob)
    logged = AccessLog.objects.count()

    for link in old_links:
        response = bob_client.get(link)

        html = response.content.decode()
        assert response.status_code == 404
        assert f"<h1>{ENDED}</h1>" in html
        assert f'<a class="button" href="{reverse("sharing:clients")}">' in html
        assert "Alice" not in text_of(html) and "A moment only Bob read" not in html
    assert AccessLog.objects.count() == logged


def test_anyone_else_gets_the_plain_404(client, alice, bob_share, old_links):
    stranger = TherapistFactory(email="erin@example.com")
    make_share(alice, None, status=Share.Status.REVOKED)  # someone else's ended share
    client.force_login(stranger)

    for link in old_links:
        response = client.get(link)

        assert response.status_code == 404
        assert PLAIN in response.content.decode()
        assert ENDED not in response.content.decode()


def test_a_link_to_an_entry_out_of_scope_stays_the_plain_404(bob_client, alice, bob_share):
    private = GratitudeFactory(user=alice, is_private=True)

    response = bob_client.get(reverse("sharing:client_entry", args=[alice.pk, private.pk]))

    assert response.status_code == 404
    assert PLAIN in response.content.decode()


NOT_SAVED = "What you wrote was not saved: copy it if you want to keep it."


def kept_boxes(html: str) -> list[tuple[str, str]]:
    """Each read-only box of words the page gives back, as (its label, its text)."""
    labels = dict(re.findall(r'<label for="([^"]+)">(.*?)</label>', html))
    boxes = re.findall(r'<textarea id="([^"]+)" readonly rows="6">\n(.*?)</textarea>', html, re.S)
    return [(labels[box], html_lib.unescape(text)) for box, text in boxes]


@pytest.mark.parametrize(
    ("view", "sent", "kept"),
    [
        (
            "sharing:session_notes",
            {"session_date": "2026-03-11", "body": "She named <the fear> herself.\nAsk next time."},
            [("Your note", "She named <the fear> herself.\nAsk next time.")],
        ),
        (
            "sharing:conversation_with_client",
            {"body": "Shall we move Thursday to four?"},
            [("Your message", "Shall we move Thursday to four?")],
        ),
        (
            "sharing:homework",
            {"what": "kind:gratitude", "note": "One a day this week", "due_on": "2026-03-18"},
            [("A short note (optional)", "One a day this week")],
        ),
    ],
)
def test_a_post_after_the_sharing_ended_gives_the_words_back_unsaved(
    bob_client, alice, bob_share, view, sent, kept
):
    services.share_revoke(share=bob_share, by=alice)
    logged = AccessLog.objects.count()

    response = bob_client.post(reverse(view, args=[alice.pk]), sent)

    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{ENDED}</h1>" in html
    assert NOT_SAVED in text_of(html)
    assert kept_boxes(html) == kept
    assert "<the fear>" not in html  # shown as text, never as markup
    assert "Alice" not in text_of(html)
    assert AccessLog.objects.count() == logged
    assert not SessionNote.objects.exists()
    assert not ShareMessage.objects.exists()
    assert not Homework.objects.exists()


def test_a_comment_after_the_sharing_ended_comes_back_and_nothing_of_the_entry(
    bob_client, alice, bob_share
):
    entry = GratitudeFactory(user=alice, moments="A moment only Bob read")
    services.share_revoke(share=bob_share, by=alice)

    response = bob_client.post(
        reverse("sharing:comment_create", args=[alice.pk, entry.pk]), {"body": "Lovely."}
    )

    html = response.content.decode()
    assert response.status_code == 404
    assert kept_boxes(html) == [("Your comment", "Lovely.")]
    assert "A moment only Bob read" not in html and "Alice" not in text_of(html)
    assert not Comment.objects.exists()


def test_a_post_of_nothing_typed_or_a_visit_gets_no_box(bob_client, alice, bob_share):
    services.share_revoke(share=bob_share, by=alice)
    url = reverse("sharing:session_notes", args=[alice.pk])

    for response in (
        bob_client.post(url, {"session_date": "2026-03-11", "body": "  "}),
        bob_client.get(url),
    ):
        html = response.content.decode()
        assert response.status_code == 404
        assert f"<h1>{ENDED}</h1>" in html
        assert NOT_SAVED not in text_of(html)
        assert kept_boxes(html) == []


def test_a_stranger_posting_gets_the_plain_404_without_their_words(client, alice, bob_share):
    client.force_login(TherapistFactory(email="erin@example.com"))
    services.share_revoke(share=bob_share, by=alice)

    response = client.post(
        reverse("sharing:session_notes", args=[alice.pk]),
        {"session_date": "2026-03-11", "body": "Erin's words"},
    )

    assert response.status_code == 404
    assert PLAIN in response.content.decode()
    assert "Erin&#x27;s words" not in response.content.decode()
