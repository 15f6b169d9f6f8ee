"""A client's invitation on Today: someone at the invited address who signed up to practise
for themselves, not as a therapist, lands on Today rather than a list of clients, and finds
it there with the same answers as the link. Accepting makes them a therapist, who sets up
two-step login before any client's page opens."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.http import urlencode

from sharing import services
from sharing.models import AccessLog, Invitation, Share
from tests.factories import UserFactory

from .conftest import text_of

CARD = "Alice invites you to read their journal"


@pytest.fixture
def reader(db):
    """Someone at the address Alice invited, who signed up for their own practice."""
    return UserFactory(email="dana@example.com", display_name="Dana")


@pytest.fixture
def invitation(alice) -> Invitation:
    share = services.share_invite(
        client=alice, email="Dana@Example.com", shared_from=alice.local_today(), share_bids=True
    )
    return share.invitations.get()


def _answer(invitation: Invitation) -> str:
    return reverse("sharing:share_invitation_answer", args=[invitation.pk])


def test_the_invitation_waits_on_the_readers_today(client, reader, invitation):
    client.force_login(reader)

    today = client.get(reverse("home")).content.decode()
    page = text_of(client.get(_answer(invitation)).content.decode())

    assert "<title>Today · Closer</title>" in today
    assert CARD in text_of(today)
    assert f'href="{_answer(invitation)}"' in today
    assert (
        "Accepting also makes Closer open on your list of clients, with your own practice "
        "below it. Before you read Alice's journal, you set up two-step login."
    ) in page


def test_nobody_else_sees_it_on_today(client, charlie, invitation):
    client.force_login(charlie)

    assert CARD not in text_of(client.get(reverse("home")).content.decode())


def test_a_reader_who_accepts_sets_up_two_step_before_reading_a_word(
    client, alice, reader, invitation
):
    client.force_login(reader)

    accepted = client.post(_answer(invitation))
    home = client.get(accepted["Location"])
    journal = client.get(reverse("sharing:client_journal", args=[alice.pk]))

    assert accepted["Location"] == reverse("home")
    gate = reverse("accounts:two_step_required")
    assert home["Location"] == gate + "?" + urlencode({"next": reverse("home")})
    assert journal["Location"].startswith(gate + "?")
    share = Share.objects.get()
    assert (share.status, share.therapist) == ("active", reader)
    assert not AccessLog.objects.exists()


def test_a_reader_who_declines_is_back_on_today_without_it(client, reader, invitation):
    client.force_login(reader)
    decline = reverse("sharing:share_invitation_decline", args=[invitation.pk])
    assert f'action="{decline}"' in client.get(_answer(invitation)).content.decode()

    response = client.post(decline)
    today = text_of(client.get(response["Location"]).content.decode())

    assert response["Location"] == reverse("home")
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Declined. Nothing is shared with you; Alice sees only that you declined."]
    assert CARD not in today
    assert Share.objects.get().status == "ended"
    reader.refresh_from_db()
    assert reader.role == "client"
