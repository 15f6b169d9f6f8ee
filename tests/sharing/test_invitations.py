import re
from datetime import date, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from sharing import services
from sharing.models import Invitation, Share
from tests.factories import UserFactory
from tests.races import Race
from tests.services import require_postgres

from .conftest import NOW, make_share, text_of

INVITE = {
    "email": "dana@example.com",
    "share_gratitude": "on",
    "share_bids": "on",
    "share_progress": "on",
    "shared_from": "2026-03-01",
}


@pytest.fixture
def dana(db) -> User:
    """The therapist alice invites; a client of the app until she accepts."""
    return UserFactory(email="dana@example.com", display_name="Dana")


@pytest.fixture
def invite(alice, django_capture_on_commit_callbacks):
    """Send alice's invitation to dana through the Sharing page; returns the link's path.

    Alice uses her own browser (`invite.alice`), so `client` stays free for the invitee.
    """
    alice_browser = Client()
    alice_browser.force_login(alice)

    def send(data=INVITE):
        with django_capture_on_commit_callbacks(execute=True):
            response = alice_browser.post(reverse("sharing:invite"), data)
        assert response.status_code == 302, response.content.decode()
        return accept_path(mail.outbox[-1])

    send.alice = alice_browser
    return send


def accept_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/sharing/accept/\S+/)", message.body).group(1)


@time_machine.travel(NOW, tick=False)
def test_invitation_email_says_who_what_and_until_when(invite, alice):
    path = invite()

    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert message.subject == "A client invites you to read their Closer journal"
    assert (
        "They chose to share:\n- Gratitude entries\n- Bids for connection\n- Lesson progress\n"
        in (message.body)
    )
    assert "Entries from 1 March 2026 on. Entries they mark private are never shared." in (
        message.body
    )
    assert "The link works once and expires on 18 March 2026." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000{path}"' in html
    share = Share.objects.get(client=alice)
    assert (share.status, share.invited_email, share.kinds) == (
        "invited",
        "dana@example.com",
        ["gratitude", "bid"],
    )


def test_only_a_hash_of_the_token_is_stored(invite):
    path = invite()
    invitation = Invitation.objects.get()
    assert len(invitation.token_hash) == 64
    signed = path.split("/")[-2]
    assert invitation.token_hash not in path
    assert not Invitation.objects.filter(token_hash__in=[signed, path]).exists()


def test_dana_accepts_and_becomes_a_therapist(invite, client, dana, alice):
    path = invite()
    client.force_login(dana)

    page = client.get(path).content.decode()
    assert "Alice invites you to read their journal" in page
    response = client.post(path)

    assert response["Location"] == reverse("home")  # their clients
    share = Share.objects.get(client=alice)
    assert (share.status, share.therapist, share.accepted_at is not None) == ("active", dana, True)
    dana.refresh_from_db()
    assert dana.role == User.Role.THERAPIST
    assert Invitation.objects.get().used_at is not None


def test_anonymous_visitor_is_offered_log_in_and_sign_up_that_come_back(invite, client):
    path = invite()

    page = client.get(path).content.decode()

    assert f'href="/accounts/login/?next={path.replace(":", "%3A")}"' in page
    assert f'href="/accounts/signup/?next={path.replace(":", "%3A")}"' in page
    response = client.post(path)
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert Share.objects.get().status == "invited"


def test_invitation_cannot_be_reused(invite, client, dana):
    path = invite()
    client.force_login(dana)
    client.post(path)

    again = client.get(path)

    assert again.status_code == 410
    assert "This invitation has already been used. Each invitation works once." in (
        again.content.decode()
    )
    assert client.post(path).status_code == 410
    assert Share.objects.filter(status="active").count() == 1


def test_invitation_forwarded_to_another_address_is_refused(invite, client, charlie):
    path = invite()
    client.force_login(charlie)

    page = client.get(path).content.decode()
    response = client.post(path)

    message = (
        "This invitation was sent to a different email address. Only the person it was sent to "
        "can accept it, logged in with that address once they have confirmed it."
    )
    assert message in page
    assert "Accept the invitation" not in page
    assert message in response.content.decode()
    share = Share.objects.get()
    assert (share.status, share.therapist) == ("invited", None)
    assert Invitation.objects.get().used_at is None


def test_an_unconfirmed_address_cannot_accept(invite, client):
    path = invite()
    impostor = UserFactory(email="dana@example.com", verified=False)
    EmailAddress.objects.create(user=impostor, email="dana@example.com", verified=False)
    client.force_login(impostor)

    client.post(path)

    assert Share.objects.get().status == "invited"


def test_an_account_with_the_address_as_a_second_confirmed_email_can_accept(invite, client):
    path = invite()
    therapist = UserFactory(email="dr.dana@clinic.example")
    EmailAddress.objects.create(user=therapist, email="Dana@Example.com", verified=True)
    client.force_login(therapist)

    client.post(path)

    assert Share.objects.get().therapist == therapist


def test_invitation_expires_after_seven_days(invite, client, dana):
    with time_machine.travel(NOW, tick=False):
        path = invite()
    client.force_login(dana)

    with time_machine.travel("2026-03-18 11:59:00+00:00", tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel("2026-03-18 12:01:00+00:00", tick=False):
        page = client.get(path)
        client.post(path)

    assert page.status_code == 410
    assert "This invitation has expired. Ask for a new one: invitations last seven days." in (
        page.content.decode()
    )
    assert Share.objects.get().status == "invited"


def test_withdrawn_invitation_cannot_be_accepted(invite, client, dana):
    path = invite()
    share = Share.objects.get()
    invite.alice.post(reverse("sharing:share_revoke", args=[share.pk]))
    client.force_login(dana)

    page = client.get(path)
    client.post(path)

    assert page.status_code == 410
    assert "Alice has withdrawn this invitation." in page.content.decode()
    share.refresh_from_db()
    assert (share.status, share.therapist) == ("revoked", None)


def test_a_new_invitation_to_the_same_address_replaces_the_old_one(invite, client, dana):
    old = invite()
    new = invite({**INVITE, "share_bids": ""})
    client.force_login(dana)

    assert client.get(old).status_code == 410
    client.post(new)

    share = Share.objects.get(status="active")
    assert share.kinds == ["gratitude"]
    assert Share.objects.filter(status="revoked").count() == 1


def test_a_made_up_or_altered_link_is_not_found(invite, client, dana):
    path = invite()
    client.force_login(dana)

    assert client.get(path[:-3] + "x/").status_code == 404
    assert client.get(reverse("sharing:accept", args=["not-a-token"])).status_code == 404


def test_alice_cannot_accept_her_own_invitation(invite):
    path = invite()

    page = invite.alice.get(path).content.decode()
    invite.alice.post(path)

    assert "This is your own invitation. Send the link to your therapist instead." in page
    assert Share.objects.get().status == "invited"


def test_dana_declines_from_the_link_and_nothing_is_shared(invite, client, dana):
    path = invite()
    client.force_login(dana)

    page = client.get(path).content.decode()
    response = client.post(path + "decline/", follow=True)

    assert f'action="{path}decline/"' in page
    assert "If you decline, nothing is shared with you. Alice sees only that you declined." in (
        text_of(page)
    )
    assert response.redirect_chain == [(reverse("home"), 302)]  # Today: she is no therapist
    assert "Declined. Nothing is shared with you; Alice sees only that you declined." in (
        text_of(response.content.decode())
    )
    share = Share.objects.get()
    assert (share.status, share.therapist, share.accepted_at) == ("ended", None, None)
    assert User.objects.get(pk=dana.pk).role == User.Role.CLIENT
    sharing = text_of(invite.alice.get(reverse("sharing:index")).content.decode())
    assert "dana@example.com declined your invitation on" in sharing
    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation was declined. Nothing was shared." in text_of(again.content.decode())


def test_a_visitor_is_told_to_log_in_to_decline_and_declines_nothing(invite, client):
    path = invite()

    page = text_of(client.get(path).content.decode())
    response = client.post(path + "decline/")

    assert "To accept or decline, log in or sign up with the address this invitation" in page
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert Share.objects.get().status == "invited"


def test_someone_else_holding_the_link_cannot_decline_it(invite, client, charlie):
    path = invite()
    client.force_login(charlie)

    response = client.post(path + "decline/")

    assert response.status_code == 200
    assert (
        "This invitation was sent to a different email address. Only the person it was sent to "
        "can decline it, logged in with that address once they have confirmed it."
    ) in text_of(response.content.decode())
    assert Share.objects.get().status == "invited"


def test_an_unconfirmed_address_cannot_decline(invite, client):
    path = invite()
    client.force_login(UserFactory(email="dana@example.com", verified=False))

    response = client.post(path + "decline/")

    assert "once they have confirmed it" in text_of(response.content.decode())
    assert Share.objects.get().status == "invited"


def test_alice_cannot_decline_her_own_invitation(invite):
    path = invite()

    response = invite.alice.post(path + "decline/")

    assert "This is your own invitation. Send the link to your therapist instead." in (
        text_of(response.content.decode())
    )
    assert Share.objects.get().status == "invited"


def test_an_expired_or_accepted_link_declines_nothing(invite, client, dana):
    with time_machine.travel(NOW, tick=False):
        path = invite()
    client.force_login(dana)

    with time_machine.travel("2026-03-18 12:01:00+00:00", tick=False):
        expired = client.post(path + "decline/")
    with time_machine.travel("2026-03-12 12:00:00+00:00", tick=False):
        client.post(path)
        used = client.post(path + "decline/")

    assert expired.status_code == used.status_code == 410
    assert "This invitation has expired." in text_of(expired.content.decode())
    assert "This invitation has already been used." in text_of(used.content.decode())
    assert Share.objects.get().status == "active"


def test_a_decline_just_after_a_yes_in_another_window_says_so(invite, client, dana, monkeypatch):
    path = invite()
    client.force_login(dana)
    decline = services.invitation_decline

    def after_a_yes(*, invitation):
        services.invitation_accept(invitation=invitation, user=dana)
        return decline(invitation=invitation)

    monkeypatch.setattr(services, "invitation_decline", after_a_yes)

    response = client.post(path + "decline/")

    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Alice's invitation was already answered or withdrawn."]
    assert Share.objects.get().status == "active"


@time_machine.travel(NOW, tick=False)
def test_invitations_are_limited_to_five_an_hour(alice_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            alice_client.post(reverse("sharing:invite"), {**INVITE, "email": f"t{n}@example.com"})
        refused = alice_client.post(
            reverse("sharing:invite"), {**INVITE, "email": "t5@example.com"}
        )

    assert refused.status_code == 429
    page = refused.content.decode()
    assert (
        "You have sent 5 invitations in the last hour. Please wait a little before sending another."
    ) in page
    assert 'value="t5@example.com"' in page  # nothing typed is lost
    assert len(mail.outbox) == 5
    with (
        time_machine.travel("2026-03-11 13:00:01+00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        later = alice_client.post(reverse("sharing:invite"), {**INVITE, "email": "t5@example.com"})
    assert later.status_code == 302
    assert len(mail.outbox) == 6


def test_the_invite_form_explains_what_is_wrong_and_keeps_the_input(alice_client, alice):
    response = alice_client.post(
        reverse("sharing:invite"),
        {"email": "alice@example.com", "shared_from": "2999-01-01"},
    )

    page = response.content.decode()
    assert "That is your own address. Enter your therapist&#x27;s." in page
    assert "Pick today or an earlier day." in page
    assert "Choose at least one thing to share. To share nothing, stop sharing instead." in page
    assert 'value="alice@example.com"' in page
    assert not Share.objects.exists()


def test_inviting_someone_who_already_reads_the_journal_is_refused(alice_client, alice, bob):
    make_share(alice, bob)

    response = alice_client.post(reverse("sharing:invite"), {**INVITE, "email": "BOB@example.com"})

    assert "Bob can already read your journal. Change what they see in the list below." in (
        response.content.decode()
    )
    assert Share.objects.count() == 1


def test_a_therapist_who_already_reads_the_journal_cannot_accept_a_second_invitation(
    alice, bob, client
):
    make_share(alice, bob)
    # Bob also owns a second confirmed address, and alice invited that one.
    EmailAddress.objects.create(user=bob, email="bob@clinic.example", verified=True)
    share = services.share_invite(
        client=alice,
        email="bob@clinic.example",
        share_gratitude=True,
        share_bids=False,
        share_apologies=False,
        share_progress=False,
        shared_from=date(2026, 1, 1),
    )
    invitation = share.invitations.get()

    refusal = services.invitation_refusal(invitation=invitation, user=bob)

    assert refusal == "You can already read Alice's journal."
    assert Share.objects.filter(status="active").count() == 1
    assert invitation.expires_at - timezone.now() > timedelta(days=6)


def test_a_head_request_shows_the_invitation_and_accepts_nothing(invite, client, dana):
    path = invite()
    client.force_login(dana)

    response = client.head(path)

    assert response.status_code == 200
    assert Share.objects.get().status == "invited"
    assert Invitation.objects.get().used_at is None


def test_a_therapist_who_accepts_while_the_client_revokes_gets_no_error_page(
    transactional_db, alice, bob
):
    """The client revokes at the moment the therapist accepts: the accept waits for the
    revoke and is refused in words, rather than the two locking each other on PostgreSQL
    (the revoke had closed the share and not yet its invitation)."""
    require_postgres()
    share = services.share_invite(
        client=alice, email=bob.email, share_gratitude=True, shared_from=date(2026, 1, 1)
    )
    invitation = share.invitations.get()
    race = Race()

    with pytest.MonkeyPatch.context() as patch:
        # The revoke pauses between closing the share and its invitations, as a slow moment
        # of a real one would.
        invitations = race.pause_before(Invitation.objects.filter, thread="revoke")
        patch.setattr(Invitation.objects, "filter", invitations)
        race.start("revoke", lambda: services.share_revoke(share=share, by=alice))
        assert race.paused.wait(timeout=20)
        race.start("accept", lambda: services.invitation_accept(invitation=invitation, user=bob))
        outcomes = race.finish()

    assert outcomes == {"revoke": "done", "accept": "Alice has withdrawn this invitation."}
    assert Share.objects.get().status == "revoked"


@pytest.mark.parametrize(
    ("first", "then", "refusal"),
    [
        (
            "accept",
            "confirm",
            "You already share your journal with Bob. Change what they see below.",
        ),
        ("confirm", "accept", "You can already read Alice's journal."),
    ],
)
def test_a_therapist_and_a_client_who_say_yes_at_once_get_no_error_page(
    transactional_db, alice, bob, first, then, refusal
):
    """Alice invited Bob and Bob invited Alice, and each says yes at the same moment: the one
    that began first opens the share, and the other waits for it and is told in words that it
    is open, rather than both finding none open yet and the second meeting an error page."""
    require_postgres()
    share = services.share_invite(
        client=alice, email=bob.email, share_gratitude=True, shared_from=date(2026, 1, 1)
    )
    theirs = services.client_invite(therapist=bob, email=alice.email)
    yeses = {
        "accept": lambda: services.invitation_accept(invitation=share.invitations.get(), user=bob),
        "confirm": lambda: services.client_invitation_confirm(
            invitation=theirs, client=alice, shared_from=date(2026, 1, 1), share_bids=True
        ),
    }
    race = Race()

    with pytest.MonkeyPatch.context() as patch:
        # The first has checked that no share is open, and pauses before it opens one.
        patch.setattr(Share, "save", race.pause_before(Share.save, thread=first))
        race.start(first, yeses[first])
        assert race.paused.wait(timeout=20)
        race.start(then, yeses[then])
        outcomes = race.finish()

    assert outcomes == {first: "done", then: refusal}
    assert Share.objects.filter(status="active").count() == 1
