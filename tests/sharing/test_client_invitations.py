"""A therapist invites a client: nothing is shared until the client chooses and confirms."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import links
from sharing import selectors, services
from sharing.models import ClientInvitation, Share
from tests.factories import UserFactory
from tests.races import Race
from tests.services import require_postgres

from .conftest import make_share, text_of, yes_first
from .test_client_pages import NOT_A_REPLACEMENT


@pytest.fixture
def invite(bob_client, django_capture_on_commit_callbacks):
    """Bob invites an address; returns the path of the link in the email."""

    def send(email: str = "gina@example.com") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = bob_client.post(reverse("sharing:client_invite"), {"email": email})
        assert response.status_code == 302, response.content.decode()[:500]
        return re.search(r"https?://[^/\s]+(/sharing/join/\S+/)", mail.outbox[-1].body).group(1)

    return send


def scopes(user: User, **extra) -> dict:
    return {"share_gratitude": "on", "shared_from": user.local_today().isoformat(), **extra}


def test_the_email_names_the_therapist_and_shares_nothing(invite, bob):
    invite()

    message = mail.outbox[-1]
    assert message.to == ["gina@example.com"]
    assert message.subject == "Bob invites you to share your Closer journal"
    assert "Nothing is shared by this email." in message.body
    assert "If you ignore this email, nothing is ever shared." in message.body
    assert not Share.objects.exists()


def test_a_visitor_sees_what_the_invitation_is_and_can_sign_up(invite, client):
    path = invite()

    page = text_of(client.get(path).content.decode())

    assert "Bob invites you to share your journal" in page
    assert "Nothing is shared until you choose what Bob may read and confirm." in page
    assert "Sign up to answer" in page
    assert client.post(path, scopes(UserFactory()))["Location"].startswith(reverse("account_login"))
    assert not Share.objects.exists()


def test_a_head_request_shows_the_invitation_and_shares_nothing(invite, client):
    path = invite()
    client.force_login(UserFactory(email="gina@example.com", display_name="Gina"))

    response = client.head(path)

    assert response.status_code == 200
    assert not Share.objects.exists()
    assert ClientInvitation.objects.get().used_at is None


def test_the_client_chooses_scopes_and_confirms(invite, client, bob):
    path = invite()
    gina = UserFactory(email="gina@example.com", display_name="Gina")
    client.force_login(gina)
    form = text_of(client.get(path).content.decode())
    assert "What Bob (bob@example.com) may read" in form
    assert not Share.objects.exists()  # opening the link shares nothing

    response = client.post(path, scopes(gina, share_bids="on"))

    assert response["Location"] == reverse("sharing:index")
    share = Share.objects.get()
    assert (share.client, share.therapist, share.status) == (gina, bob, "active")
    assert (share.share_gratitude, share.share_bids, share.share_apologies) == (True, True, False)
    assert share.share_progress is False
    assert ClientInvitation.objects.get().share == share
    assert client.get(path).status_code == 410  # each link answers once


def test_a_decline_after_a_yes_in_another_window_says_what_is_shared(invite, client, monkeypatch):
    path = invite()
    gina = UserFactory(email="gina@example.com")
    client.force_login(gina)
    yes_first(monkeypatch, "client_invitation_decline", gina)

    client.post(path + "decline/")

    page = text_of(client.get("/sharing/").content.decode())
    assert "You had already said yes to Bob in another window" in page
    assert "Declined" not in page
    assert Share.objects.get().status == "active"


def test_the_client_declines_and_nothing_is_shared(invite, client, bob_client):
    path = invite()
    client.force_login(UserFactory(email="gina@example.com"))

    response = client.post(path + "decline/")

    assert response["Location"] == reverse("sharing:index")
    assert not Share.objects.exists()
    assert "Declined. Nothing is shared with Bob." in text_of(
        client.get("/sharing/").content.decode()
    )
    assert "gina@example.com" in text_of(
        bob_client.get(reverse("sharing:clients")).content.decode()
    )
    assert ClientInvitation.objects.get().state == "declined"
    assert client.post(path, scopes(UserFactory())).status_code == 410


def test_an_ignored_invitation_shares_nothing_ever(invite, client):
    path = invite()
    gina = UserFactory(email="gina@example.com")
    client.force_login(gina)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(path, scopes(gina))

    assert response.status_code == 410
    assert "This invitation has expired. Nothing was shared." in text_of(response.content.decode())
    assert not Share.objects.exists()


def test_the_therapist_cannot_answer_their_own_invitation(invite, bob_client, bob):
    path = invite()

    response = bob_client.post(path, scopes(bob))

    assert "This is your own invitation." in text_of(response.content.decode())
    assert not Share.objects.exists()


def test_a_client_who_already_shares_is_told_so(invite, alice_client, alice, bob):
    make_share(alice, bob)
    EmailAddress.objects.create(user=alice, email="alice-other@example.com", verified=True)
    path = invite("alice-other@example.com")

    page = text_of(alice_client.post(path, scopes(alice)).content.decode())

    assert "You already share your journal with Bob." in page
    assert Share.objects.count() == 1


def test_inviting_an_address_that_already_shares_is_refused(bob_client, alice, bob):
    make_share(alice, bob)

    response = bob_client.post(reverse("sharing:client_invite"), {"email": "ALICE@example.com"})

    assert "This person already shares their journal with you." in text_of(
        response.content.decode()
    )
    assert not ClientInvitation.objects.exists()


def test_invitations_are_limited_per_hour(bob_client, bob):
    for n in range(links.INVITATIONS_PER_HOUR):
        bob_client.post(reverse("sharing:client_invite"), {"email": f"c{n}@example.com"})

    response = bob_client.post(reverse("sharing:client_invite"), {"email": "late@example.com"})

    assert response.status_code == 429
    assert "You have sent 5 invitations in the last hour." in text_of(response.content.decode())
    assert ClientInvitation.objects.count() == links.INVITATIONS_PER_HOUR


def test_a_client_inviting_a_client_becomes_a_therapist_once_confirmed(client, charlie):
    invitation = services.client_invite(therapist=charlie, email="gina@example.com")
    gina = UserFactory(email="gina@example.com")

    services.client_invitation_confirm(
        invitation=invitation, client=gina, shared_from=gina.local_today(), share_gratitude=True
    )

    assert User.objects.get(pk=charlie.pk).role == "therapist"


def test_someone_else_holding_the_link_cannot_answer_it(invite, client, charlie, bob):
    path = invite()
    client.force_login(charlie)

    confirm = text_of(client.post(path, scopes(charlie)).content.decode())
    decline = client.post(path + "decline/")

    refusal = "This invitation was sent to a different email address."
    assert refusal in confirm
    assert (decline.status_code, refusal in text_of(decline.content.decode())) == (200, True)
    assert not Share.objects.exists()
    assert ClientInvitation.objects.get().state == "waiting for an answer"


def test_an_unconfirmed_address_cannot_answer_the_link_sent_to_it(invite, client):
    path = invite()
    gina = UserFactory(email="gina@example.com", verified=False)
    client.force_login(gina)

    page = text_of(client.post(path, scopes(gina)).content.decode())

    assert "once they have confirmed it" in page
    assert not Share.objects.exists()


def test_the_link_acts_for_any_confirmed_address_of_its_owner(invite, client):
    path = invite("GINA@work.example")
    gina = UserFactory(email="gina@example.com")
    EmailAddress.objects.create(user=gina, email="gina@work.example", verified=True)
    client.force_login(gina)

    response = client.post(path, scopes(gina))

    assert response["Location"] == reverse("sharing:index")
    assert Share.objects.get().client == gina


def test_a_client_who_confirms_as_the_therapist_sends_the_invitation_again_gets_no_error_page(
    transactional_db, alice, bob
):
    """Bob sends his invitation again at the moment Alice confirms the first one: her confirm
    waits for the resend and is told in words that the link was replaced, rather than the two
    locking each other on PostgreSQL (the resend holds Bob's row and withdraws the invitation
    the confirm was holding, while the confirm waited for Bob's row)."""
    require_postgres()
    first = services.client_invite(therapist=bob, email=alice.email)
    race = Race()

    with pytest.MonkeyPatch.context() as patch:
        # The resend pauses once it holds Bob's row, before it withdraws the first invitation.
        counted = race.pause_before(selectors.invitations_sent_since, thread="resend")
        patch.setattr(selectors, "invitations_sent_since", counted)
        race.start("resend", lambda: services.client_invitation_resend(invitation=first))
        assert race.paused.wait(timeout=20)
        race.start(
            "confirm",
            lambda: services.client_invitation_confirm(
                invitation=first, client=alice, shared_from=date(2026, 1, 1), share_bids=True
            ),
        )
        outcomes = race.finish()

    assert outcomes == {
        "resend": "done",
        "confirm": "Bob has withdrawn this invitation. Nothing was shared.",
    }
    assert not Share.objects.exists()
    assert ClientInvitation.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_a_therapists_invitation_says_closer_does_not_replace_their_care(invite, client):
    page = text_of(client.get(invite()).content.decode())

    assert NOT_A_REPLACEMENT in page
