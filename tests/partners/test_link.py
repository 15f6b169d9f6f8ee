import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from partners import services
from partners.models import Appreciation, Link, PairQuestion, Plan
from tests.factories import BreakFactory, GratitudeFactory, UserFactory

from .conftest import make_link, page_text


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite by email as the logged-in client, the email sent as the commit would send it."""

    def post(client, email="dan@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("partners:invite"), {"email": email}, follow=True)

    return post


def _join_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/partner/join/\S+/)", body).group(1)


def test_invitation_email_names_nobody_in_its_subject(alice_client, invite):
    response = invite(alice_client)
    assert "Invitation sent to dan@example.com." in page_text(response)
    assert mail.outbox[-1].subject == "An invitation to link on Closer"
    assert mail.outbox[-1].to == ["dan@example.com"]
    link = Link.objects.get()
    assert (link.status, link.invited_email, link.partner) == ("invited", "dan@example.com", None)


def test_partner_confirms_through_the_emailed_link(alice_client, client, alice, dan, invite):
    invite(alice_client)
    path = _join_path(mail.outbox[-1].body)
    client.force_login(dan)
    page = page_text(client.get(path))
    assert "Alice invites you to link" in page
    assert "frightens you, controls you or hurts you" in page
    response = client.post(path, follow=True)
    assert "You are linked with Alice." in page_text(response)
    link = Link.objects.get()
    assert (link.status, link.partner) == ("active", dan)


def test_a_head_request_shows_the_invitation_and_links_nobody(alice_client, client, dan, invite):
    invite(alice_client)
    path = _join_path(mail.outbox[-1].body)
    client.force_login(dan)

    response = client.head(path)

    assert response.status_code == 200
    assert (Link.objects.get().status, Link.objects.get().partner) == ("invited", None)


def test_an_emailed_link_acts_only_for_its_address(alice_client, client, charlie, invite):
    invite(alice_client)
    path = _join_path(mail.outbox[-1].body)
    client.force_login(charlie)
    response = client.post(path)
    assert "This invitation was sent to a different email address." in page_text(response)
    assert Link.objects.get().status == "invited"


def test_a_link_made_by_hand_works_for_anyone_who_has_it(alice_client, client, charlie, invite):
    page = page_text(alice_client.post(reverse("partners:invite_by_hand")))
    path = re.search(r'value="https?://[^/"]+(/partner/join/[^"]+/)"', page).group(1)
    client.force_login(charlie)
    client.post(path)
    assert Link.objects.get().partner == charlie


def test_a_link_cannot_be_confirmed_twice_or_by_its_maker(alice_client, client, alice, dan, invite):
    invite(alice_client)
    path = _join_path(mail.outbox[-1].body)
    assert "This is your own invitation." in page_text(alice_client.post(path))
    client.force_login(dan)
    client.post(path)
    response = client.get(path)
    assert response.status_code == 410
    assert "This invitation has already been used." in page_text(response)


def test_at_most_one_active_link_per_person(alice, dan, charlie, client, invite):
    make_link(alice, dan)
    client.force_login(charlie)
    invite(client, "alice@example.com")
    path = _join_path(mail.outbox[-1].body)
    client.force_login(alice)
    response = client.post(path)
    assert "You already have a link with someone." in page_text(response)
    assert Link.objects.filter(status="active").count() == 1


def test_a_single_reader_is_not_offered_the_link(client, db):
    single = UserFactory(situation=User.Situation.SINGLE)
    client.force_login(single)
    page = page_text(client.get(reverse("partners:link")))
    assert "The partner link is for readers who are together or dating." in page
    assert "Send the invitation" not in page
    assert "Partner link" not in page_text(client.get(reverse("home:profile")))
    client.post(reverse("partners:invite"), {"email": "x@example.com"})
    assert not Link.objects.exists()


def test_either_ends_the_link_from_the_profile_and_the_other_is_told_only_that(
    client, alice, dan, linked
):
    client.force_login(dan)
    profile = page_text(client.get(reverse("home:profile")))
    assert "You are linked with Alice." in profile
    response = client.post(reverse("partners:end"), {"next": "/account/profile/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/profile/"
    assert "The link has ended." in page_text(response)
    linked.refresh_from_db()
    assert linked.status == "ended"
    client.force_login(alice)
    today = page_text(client.get("/"))
    assert "The link has ended." in today
    assert "Dan" not in today
    assert "The link has ended." not in page_text(client.get("/"))  # said once


def test_ending_from_the_practice_page(client, alice, linked):
    client.force_login(alice)
    assert "End the link" in page_text(client.get(reverse("practice:index")))
    client.post(reverse("partners:end"), {"next": reverse("practice:index")})
    linked.refresh_from_db()
    assert linked.status == "ended"


def test_only_the_reader_turns_what_passes_on_or_off(client, alice, dan, linked):
    client.force_login(dan)
    assert client.post(reverse("partners:switches"), {"breaks_on": "on"}).status_code == 404
    client.force_login(alice)
    client.post(reverse("partners:switches"), {"question_on": "on", "breaks_on": "on"})
    linked.refresh_from_db()
    assert (linked.question_on, linked.breaks_on, linked.appreciation_on) == (True, True, False)


def test_the_partner_reads_that_the_reader_chooses_what_comes_through(client, alice, dan, linked):
    client.force_login(dan)
    page = page_text(client.get(reverse("partners:link")))
    assert "Alice chooses what else comes through from them; your journal stays yours." in page
    assert "You choose what else they see" not in page
    client.force_login(alice)
    page = page_text(client.get(reverse("partners:link")))
    assert "You choose what else they see; your journal stays yours." in page


def test_before_ending_each_page_says_what_goes_with_the_link(client, alice, linked):
    client.force_login(alice)
    goes = (
        "Your answers to the questions for two, the words of thanks and the plan go with it, "
        "for both of you."
    )
    for name in ("partners:link", "home:profile", "practice:index"):
        page = page_text(client.get(reverse(name)))
        assert "End the link" in page and goes in page, name


def test_switches_start_off_except_the_question(linked):
    assert (linked.question_on, linked.breaks_on, linked.appreciation_on, linked.plan_on) == (
        True,
        False,
        False,
        False,
    )


def test_a_bad_email_is_refused_with_a_message(alice_client):
    response = alice_client.post(reverse("partners:invite"), {"email": "not an email"})
    assert response.status_code == 400
    assert "Enter a valid email address." in page_text(response)


def test_a_forged_invitation_is_404(client, dan):
    client.force_login(dan)
    assert client.get("/partner/join/forged/").status_code == 404


def test_ending_removes_everything_shared_through_the_link(client, alice, dan):
    link = make_link(alice, dan, breaks_on=True, appreciation_on=True, plan_on=True)
    daily = services.question_for_link(link=link, day=alice.local_today())
    services.pair_answer(question=daily, user=alice, text="Alice answers")
    services.pair_answer(question=daily, user=dan, text="Dan answers")
    services.appreciation_send(link=link, entry=GratitudeFactory(user=alice, moments="Thanks!"))
    services.plan_save(link=link, by=alice, text="Picnic")
    BreakFactory(user=alice)
    client.force_login(dan)
    before = page_text(client.get("/"))
    assert all(text in before for text in ("Thanks!", "Picnic", "Taking a break, back by"))

    client.force_login(alice)
    client.post(reverse("partners:end"))
    client.force_login(dan)
    after = page_text(client.get("/"))
    assert "The link has ended." in after
    for text in ("Thanks!", "Picnic", "Taking a break", "Alice", "question for two"):
        assert text not in after
    assert client.get(reverse("partners:question")).status_code == 404
    assert client.get(reverse("partners:plan")).status_code == 404
    assert not PairQuestion.objects.exists()
    assert not Appreciation.objects.exists()
    assert not Plan.objects.exists()


def test_an_expired_invitation_says_so(alice_client, client, dan, invite):
    invite(alice_client)
    path = _join_path(mail.outbox[-1].body)
    client.force_login(dan)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.get(path)
    assert response.status_code == 410
    assert "This invitation has expired." in page_text(response)


def test_the_reader_withdraws_a_waiting_invitation(alice_client, client, dan, invite):
    invite(alice_client)
    path = _join_path(mail.outbox[-1].body)
    response = alice_client.post(reverse("partners:end"), follow=True)
    assert "Invitation withdrawn." in page_text(response)
    client.force_login(dan)
    assert "This invitation has been withdrawn." in page_text(client.get(path))


@pytest.mark.parametrize("page", ["home", "partners:link"])
def test_a_head_request_leaves_the_ended_notice_for_the_next_visit(
    client, alice, dan, linked, page
):
    services.link_end(link=linked, by=dan)
    client.force_login(alice)

    client.head(reverse(page))

    assert "The link has ended." in page_text(client.get(reverse(page)))
