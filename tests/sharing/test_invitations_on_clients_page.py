"""A client's invitation in the app: a therapist who signed up without the emailed link finds
it on their list of clients, at a confirmed address it was sent to, and accepts or declines
it there with the same checks as the link."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.models import Invitation, Share
from tests.factories import TherapistFactory, UserFactory

from .conftest import make_share, text_of

CARD = "Alice invites you to read their journal"


@pytest.fixture
def dana(db):
    """A therapist who signed up by typing the site's address, at the address Alice invited."""
    return TherapistFactory(email="dana@example.com", display_name="Dana")


@pytest.fixture
def invitation(alice, django_capture_on_commit_callbacks) -> Invitation:
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_invite(
            client=alice,
            email="Dana@Example.com",
            shared_from=alice.local_today(),
            share_gratitude=True,
        )
    return share.invitations.get()


def clients_page(browser) -> str:
    return text_of(browser.get(reverse("sharing:clients")).content.decode())


def _answer(invitation: Invitation) -> str:
    return reverse("sharing:share_invitation_answer", args=[invitation.pk])


def _decline(invitation: Invitation) -> str:
    return reverse("sharing:share_invitation_decline", args=[invitation.pk])


def test_the_invitation_waits_on_the_invited_therapists_home(client, dana, invitation):
    client.force_login(dana)

    home = client.get(reverse("home")).content.decode()

    assert CARD in text_of(home)
    assert "Sent to Dana@Example.com on" in text_of(home)
    assert f'href="{_answer(invitation)}"' in home
    page = client.get(_answer(invitation)).content.decode()
    assert "What you will see" in text_of(page)
    assert f'action="{_decline(invitation)}"' in page


def test_nobody_else_sees_or_answers_it(client, charlie, invitation):
    client.force_login(charlie)

    assert CARD not in clients_page(client)
    assert client.get(_answer(invitation)).status_code == 404
    assert client.post(_answer(invitation)).status_code == 404
    assert client.post(_decline(invitation)).status_code == 404
    assert Share.objects.get().status == "invited"


def test_an_unconfirmed_address_does_not_see_or_answer_it(client, invitation):
    client.force_login(TherapistFactory(email="dana@example.com", verified=False))

    assert CARD not in clients_page(client)
    assert client.post(_answer(invitation)).status_code == 404
    assert client.post(_decline(invitation)).status_code == 404
    assert Share.objects.get().status == "invited"


def test_the_client_does_not_see_their_own_invitation(client, alice, invitation):
    alice.emailaddress_set.create(email="dana@example.com", verified=True)
    client.force_login(alice)

    assert CARD not in clients_page(client)
    assert client.get(_answer(invitation)).status_code == 404


def test_a_closed_invitation_leaves_the_page_and_its_own_says_why(client, alice, dana, invitation):
    client.force_login(dana)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert CARD not in clients_page(client)
        expired = client.get(_answer(invitation)).content.decode()
    services.share_revoke(share=invitation.share, by=alice)

    assert CARD not in clients_page(client)
    withdrawn = client.post(_answer(invitation)).content.decode()
    assert "expired" in expired
    assert "withdrawn" in withdrawn
    assert Share.objects.get().status == Share.Status.REVOKED  # the late yes opened nothing


def _accept_by_link(browser, invitation: Invitation) -> None:
    path = re.search(r"https?://[^/\s]+(/sharing/accept/\S+/)", mail.outbox[-1].body).group(1)
    browser.post(path)


def _accept_in_app(browser, invitation: Invitation) -> None:
    browser.post(_answer(invitation))


@pytest.mark.parametrize("accept", [_accept_by_link, _accept_in_app])
def test_accepting_in_the_app_opens_the_share_as_the_link_does(client, alice, invitation, accept):
    dana = UserFactory(email="dana@example.com", display_name="Dana")  # not a therapist yet
    client.force_login(dana)

    accept(client, invitation)

    share = Share.objects.get()
    invitation.refresh_from_db()
    dana.refresh_from_db()
    assert (share.client, share.therapist, share.status) == (alice, dana, "active")
    assert share.accepted_at is not None and invitation.used_at is not None
    assert dana.role == "therapist"
    assert CARD not in clients_page(client)


def test_accepting_in_the_app_says_so_and_opens_the_list(client, dana, invitation):
    client.force_login(dana)

    response = client.post(_answer(invitation), follow=True)

    page = text_of(response.content.decode())
    assert "You can now read what Alice shares with you." in page
    assert CARD not in page
    assert response.redirect_chain == [(reverse("home"), 302)]


def test_declining_shares_nothing_and_tells_the_client(client, alice, dana, invitation):
    client.force_login(dana)

    response = client.post(_decline(invitation), follow=True)

    assert "Declined. Nothing is shared with you; Alice sees only that you declined." in text_of(
        response.content.decode()
    )
    assert CARD not in text_of(response.content.decode())
    share = Share.objects.get()
    assert (share.status, share.therapist, share.accepted_at) == ("ended", None, None)
    client.force_login(alice)
    sharing = text_of(client.get(reverse("sharing:index")).content.decode())
    assert "Dana@Example.com declined your invitation on" in sharing
    assert "Waiting for an answer" not in sharing


def test_a_declined_invitations_link_says_so(client, dana, invitation):
    path = re.search(r"https?://[^/\s]+(/sharing/accept/\S+/)", mail.outbox[-1].body).group(1)
    client.force_login(dana)
    client.post(_decline(invitation))

    response = client.post(path)

    assert response.status_code == 410
    assert "This invitation was declined. Nothing was shared." in text_of(response.content.decode())
    assert Share.objects.get().status == "ended"


def test_a_second_tap_on_accept_or_decline_says_it_was_answered(client, dana, invitation):
    client.force_login(dana)

    client.post(_answer(invitation))
    again = client.post(_answer(invitation))
    declined_after = client.post(_decline(invitation), follow=True)

    assert again.status_code == 200
    assert "already" in text_of(again.content.decode())
    assert "already answered or withdrawn" in text_of(declined_after.content.decode())
    assert Share.objects.get().status == Share.Status.ACTIVE


@pytest.fixture
def second_invitation(alice, bob, django_capture_on_commit_callbacks) -> Invitation:
    """Bob already reads Alice's journal, and Alice invites his other confirmed address."""
    make_share(alice, bob)
    bob.emailaddress_set.create(email="bob@clinic.example", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_invite(
            client=alice, email="bob@clinic.example", shared_from=alice.local_today()
        )
    return share.invitations.get()


def words(html: str) -> str:
    """The page's words as a reader sees them, apostrophes and all."""
    return unescape(text_of(html))


def _link_in(email) -> str:
    return re.search(r"https?://[^/\s]+(/sharing/accept/\S+/)", email.body).group(1)


def test_a_reader_offered_a_second_invitation_may_decline_it(client, alice, bob, second_invitation):
    client.force_login(bob)
    assert CARD in clients_page(client)

    page = client.get(_answer(second_invitation)).content.decode()
    declined = client.post(_decline(second_invitation), follow=True)

    assert "You can already read Alice's journal." in words(page)
    assert "Accept the invitation" not in words(page)
    assert f'action="{_decline(second_invitation)}"' in page
    assert (
        "It changes nothing in what you read of Alice's journal now: the invitation leaves your "
        "list, and Alice sees that you declined it."
    ) in words(page)
    assert (
        "Declined. You still read what Alice shares with you already; they see that you "
        "declined this invitation."
    ) in words(declined.content.decode())
    assert CARD not in words(declined.content.decode())
    statuses = dict(Share.objects.values_list("invited_email", "status"))
    assert statuses == {"bob@example.com": "active", "bob@clinic.example": "ended"}


def test_the_second_invitations_link_offers_the_same_decline(client, bob, second_invitation):
    link = _link_in(mail.outbox[-1])
    client.force_login(bob)

    page = client.get(link).content.decode()
    client.post(reverse("sharing:accept_decline", args=[link.split("/")[-2]]))

    assert "You can already read Alice's journal." in words(page)
    assert f'action="{reverse("sharing:accept_decline", args=[link.split("/")[-2]])}"' in page
    assert Share.objects.get(invited_email="bob@clinic.example").status == "ended"
    assert Share.objects.get(invited_email="bob@example.com").status == "active"


def test_a_refusal_that_is_not_theirs_to_answer_offers_no_decline(client, alice, invitation):
    client.force_login(TherapistFactory(email="erin@example.com"))
    path = _link_in(mail.outbox[-1])

    page = client.get(path).content.decode()

    assert "Decline the invitation" not in words(page)
    assert "Log out and use another account" in words(page)
