"""After a client stops sharing, their therapist's old links say so (still a 404), and name
nothing of the client; anyone else gets the plain 404, and a refused read is no read."""

import pytest
from django.urls import reverse

from sharing import services
from sharing.models import AccessLog, Share
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
