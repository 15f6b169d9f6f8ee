"""A therapist's invitation in the app: on the client's Today (or, for a client who is a
therapist too, on their list of clients) until they answer it, and on the therapist's home
with Resend and Withdraw until it is answered."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.models import ClientInvitation, Share
from tests.factories import UserFactory

from .conftest import text_of, yes_first

CARD = "Bob invites you to share your journal"


@pytest.fixture
def gina(db):
    return UserFactory(email="gina@example.com", display_name="Gina")


@pytest.fixture
def gina_client(client, gina):
    client.force_login(gina)
    return client


@pytest.fixture
def invitation(bob, django_capture_on_commit_callbacks) -> ClientInvitation:
    with django_capture_on_commit_callbacks(execute=True):
        return services.client_invite(therapist=bob, email="Gina@Example.com")


def today(browser) -> str:
    return text_of(browser.get(reverse("home")).content.decode())


def test_the_invitation_waits_on_today_until_the_client_answers(gina_client, gina, invitation):
    answer = reverse("sharing:invitation_answer", args=[invitation.pk])

    assert CARD in today(gina_client)
    assert f'href="{answer}"' in gina_client.get(reverse("home")).content.decode()
    form = text_of(gina_client.get(answer).content.decode())
    assert "What Bob (bob@example.com) may read" in form
    response = gina_client.post(
        answer, {"share_gratitude": "on", "shared_from": gina.local_today().isoformat()}
    )

    assert response["Location"] == reverse("sharing:index")
    share = Share.objects.get()
    assert (share.client, share.status, share.share_gratitude) == (gina, "active", True)
    assert CARD not in today(gina_client)


def test_declining_from_the_app_removes_it_from_today(gina_client, invitation):
    decline = reverse("sharing:invitation_decline", args=[invitation.pk])
    form = gina_client.get(reverse("sharing:invitation_answer", args=[invitation.pk]))
    assert f'action="{decline}"' in form.content.decode()

    gina_client.post(decline)

    assert ClientInvitation.objects.get().state == "declined"
    assert not Share.objects.exists()
    assert CARD not in today(gina_client)


def test_a_closed_invitation_leaves_today_and_its_page_says_why(gina_client, invitation):
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert CARD not in today(gina_client)
    services.client_invitation_withdraw(invitation=invitation)

    assert CARD not in today(gina_client)
    answer = gina_client.get(reverse("sharing:invitation_answer", args=[invitation.pk]))
    assert "has withdrawn this invitation. Nothing was shared." in answer.content.decode()


def test_nobody_else_sees_or_answers_the_invitation(client, charlie, invitation):
    client.force_login(charlie)
    answer = reverse("sharing:invitation_answer", args=[invitation.pk])

    assert CARD not in today(client)
    assert client.get(answer).status_code == 404
    assert client.post(reverse("sharing:invitation_decline", args=[invitation.pk])).status_code == (
        404
    )
    assert ClientInvitation.objects.get().state == "waiting for an answer"


def test_an_unconfirmed_address_does_not_see_it(client, invitation):
    client.force_login(UserFactory(email="gina@example.com", verified=False))

    assert CARD not in today(client)


def test_the_therapist_sees_it_waiting_with_resend_and_withdraw(bob_client, invitation):
    page = bob_client.get(reverse("sharing:clients")).content.decode()

    assert "Gina@Example.com, sent" in text_of(page)
    assert "waiting for an answer" in text_of(page)
    assert reverse("sharing:client_invitation_resend", args=[invitation.pk]) in page
    assert reverse("sharing:client_invitation_withdraw", args=[invitation.pk]) in page


def test_resend_sends_a_new_link_and_the_old_one_stops(
    bob_client, gina_client, invitation, django_capture_on_commit_callbacks
):
    old = re.search(r"https?://[^/\s]+(/sharing/join/\S+/)", mail.outbox[-1].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(
            reverse("sharing:client_invitation_resend", args=[invitation.pk]), follow=True
        )

    assert "Sent a new invitation to Gina@Example.com." in text_of(response.content.decode())
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["Gina@Example.com"]
    new = re.search(r"https?://[^/\s]+(/sharing/join/\S+/)", mail.outbox[-1].body).group(1)
    assert "Bob has withdrawn this invitation." in text_of(gina_client.get(old).content.decode())
    assert gina_client.get(new).status_code == 200
    assert ClientInvitation.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert today(gina_client).count(CARD) == 1


def test_inviting_the_same_address_again_replaces_the_waiting_invitation(
    bob_client, gina_client, invitation, django_capture_on_commit_callbacks
):
    """Typing the address in again, rather than pressing Resend, leaves one link working."""
    old = re.search(r"https?://[^/\s]+(/sharing/join/\S+/)", mail.outbox[-1].body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("sharing:client_invite"), {"email": "gina@example.com"})

    new = re.search(r"https?://[^/\s]+(/sharing/join/\S+/)", mail.outbox[-1].body).group(1)
    assert "Bob has withdrawn this invitation." in text_of(gina_client.get(old).content.decode())
    assert gina_client.get(new).status_code == 200
    assert today(gina_client).count(CARD) == 1
    clients = text_of(bob_client.get(reverse("sharing:clients")).content.decode())
    assert clients.lower().count("gina@example.com, sent") == 1


def test_withdraw_asks_first_then_the_link_stops(bob_client, gina_client, invitation):
    withdraw = reverse("sharing:client_invitation_withdraw", args=[invitation.pk])

    confirm = text_of(bob_client.get(withdraw).content.decode())
    assert "Withdraw the invitation to Gina@Example.com?" in confirm
    assert ClientInvitation.objects.get().withdrawn_at is None
    page = text_of(bob_client.post(withdraw, follow=True).content.decode())

    assert "Withdrew the invitation to Gina@Example.com." in page
    assert "Gina@Example.com, sent" not in page
    assert CARD not in today(gina_client)


def test_a_withdraw_that_gina_answered_an_instant_before_says_so(
    bob_client, gina, invitation, monkeypatch
):
    yes_first(monkeypatch, "client_invitation_withdraw", gina)
    url = reverse("sharing:client_invitation_withdraw", args=[invitation.pk])

    page = text_of(bob_client.post(url, follow=True).content.decode())

    assert "Gina@Example.com answered the invitation before it was withdrawn." in page
    assert "Withdrew" not in page
    assert Share.objects.get().status == "active"


def test_another_therapist_cannot_resend_or_withdraw(client, therapist, invitation):
    client.force_login(therapist)

    resend = client.post(reverse("sharing:client_invitation_resend", args=[invitation.pk]))
    withdraw = client.post(reverse("sharing:client_invitation_withdraw", args=[invitation.pk]))

    assert (resend.status_code, withdraw.status_code) == (404, 404)
    assert ClientInvitation.objects.get().withdrawn_at is None
    assert len(mail.outbox) == 1


def test_after_revoking_the_client_is_nowhere_on_the_therapists_home(
    bob_client, gina_client, gina, invitation
):
    answer = reverse("sharing:invitation_answer", args=[invitation.pk])
    gina_client.post(answer, {"share_gratitude": "on", "shared_from": gina.local_today()})
    share = Share.objects.get()
    assert "Gina" in text_of(bob_client.get(reverse("home")).content.decode())

    services.share_revoke(share=share, by=gina)
    home = text_of(bob_client.get(reverse("home")).content.decode())

    assert "Gina" not in home
    assert "gina@example.com" not in home.lower()
    assert "shared with you" not in home


def test_a_declined_invitation_offers_no_resend(bob_client, invitation):
    services.client_invitation_decline(invitation=invitation)

    page = bob_client.get(reverse("sharing:clients")).content.decode()

    assert "Gina@Example.com, sent" in text_of(page) and "declined" in text_of(page)
    assert reverse("sharing:client_invitation_resend", args=[invitation.pk]) not in page


def test_a_second_tap_on_decline_says_it_was_declined(gina_client, invitation):
    decline = reverse("sharing:invitation_decline", args=[invitation.pk])
    gina_client.post(decline)

    again = gina_client.post(decline, follow=True)
    page = gina_client.get(reverse("sharing:invitation_answer", args=[invitation.pk]))

    assert again.status_code == 200
    assert "This invitation was declined. Nothing was shared." in page.content.decode()
    assert ClientInvitation.objects.get().state == "declined"


@pytest.mark.parametrize("page", ["home", "sharing:clients"])
def test_a_therapist_invited_to_share_their_journal_finds_it_on_their_clients_list(
    client, bob, therapist, page
):
    """Tess is a therapist who keeps a journal too; her home is her list of clients, not
    Today, so Bob's invitation to share hers waits there."""
    invitation = services.client_invite(therapist=bob, email="tess@example.com")
    client.force_login(therapist)
    answer = reverse("sharing:invitation_answer", args=[invitation.pk])

    html = client.get(reverse(page)).content.decode()
    response = client.post(
        answer, {"share_gratitude": "on", "shared_from": therapist.local_today().isoformat()}
    )

    assert "<h1>Your clients</h1>" in html
    assert CARD in text_of(html)
    assert f'href="{answer}"' in html
    assert response["Location"] == reverse("sharing:index")
    share = Share.objects.get()
    assert (share.client, share.therapist, share.status) == (therapist, bob, "active")
    assert CARD not in text_of(client.get(reverse(page)).content.decode())


def test_a_therapist_who_declines_it_no_longer_finds_it_on_their_list(client, bob, therapist):
    invitation = services.client_invite(therapist=bob, email="tess@example.com")
    client.force_login(therapist)

    client.post(reverse("sharing:invitation_decline", args=[invitation.pk]))

    assert ClientInvitation.objects.get().state == "declined"
    assert CARD not in text_of(client.get(reverse("home")).content.decode())
