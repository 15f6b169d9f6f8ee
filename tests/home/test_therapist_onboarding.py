"""Sign-up asks why someone is here; a therapist or coach starts on their list of clients,
with a menu of their own, and can change the answer on their profile."""

import html
import re

import pytest
from django.urls import reverse

from accounts.models import User
from nudges.models import ReminderSchedule
from tests.accounts.test_signup import type_last_code
from tests.factories import TherapistFactory
from tests.sharing.conftest import make_share, text_of

SIGNUP = {
    "display_name": "Tess",
    "email": "tess@example.com",
    "password1": "quiet-harbour-lantern-42",
    "password2": "quiet-harbour-lantern-42",
    "time_zone": "Europe/London",
}


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return [text_of(link) for link in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


def _sign_up(client, **extra):
    client.post(reverse("account_signup"), {**SIGNUP, **extra})
    return type_last_code(client)


def test_signup_asks_why_you_are_here(client, db):
    page = text_of(client.get(reverse("account_signup")).content.decode())

    assert "Are you here for yourself, or as a therapist or coach?" in page
    assert "For myself As a therapist or coach Both: with my clients, and for myself" in page


def test_a_therapist_signs_up_and_lands_on_their_client_list(client, db):
    response = _sign_up(client, here_for="practice")

    user = User.objects.get(email="tess@example.com")
    assert (user.role, user.keeps_journal) == ("therapist", False)
    assert ReminderSchedule.objects.get(user=user).enabled is False
    assert response.redirect_chain[-1][0] == reverse("home")
    page = text_of(response.content.decode())
    assert "Welcome. Invite your first client below." in page
    assert "Your clients" in page and "Invite a client" in page


def test_signing_up_without_answering_is_for_yourself(client, db):
    response = _sign_up(client)

    user = User.objects.get(email="tess@example.com")
    assert (user.role, user.keeps_journal) == ("client", True)
    assert response.redirect_chain[-1][0] == reverse("home:first_run")


@pytest.fixture
def tess(db):
    return TherapistFactory(email="tess@example.com", display_name="Tess", keeps_journal=False)


def test_a_therapists_home_has_no_journal_prompts_and_a_menu_of_their_own(client, tess):
    client.force_login(tess)

    html = client.get(reverse("home")).content.decode()

    page = text_of(html)
    assert "Your clients" in page and "Invite a client" in page
    assert "Your own practice" not in page and "Write a gratitude entry" not in page
    assert _menu(html)[:3] == ["Clients", "Inbox", "Profile"]
    assert "Journal" not in _menu(html) and "Lessons" not in _menu(html)


def test_a_therapist_who_keeps_a_journal_sees_both(client, bob):
    client.force_login(bob)

    html = client.get(reverse("home")).content.decode()

    assert "Your own practice" in text_of(html)
    assert _menu(html)[:6] == ["Clients", "Inbox", "Lessons", "Journal", "Sharing", "Profile"]


def test_a_client_keeps_today_and_its_menu(alice_client):
    html = alice_client.get(reverse("home")).content.decode()

    assert _menu(html)[:6] == ["Today", "Practice", "Lessons", "Journal", "Sharing", "Profile"]


def test_the_answer_changes_on_the_profile(client, tess):
    client.force_login(tess)
    form = text_of(client.get(reverse("home:profile")).content.decode())
    assert "Are you here for yourself, or as a therapist or coach?" in form

    client.post(
        reverse("home:profile"),
        {"display_name": "Tess", "time_zone": "Europe/London", "here_for": "both"},
    )

    tess.refresh_from_db()
    assert (tess.role, tess.keeps_journal) == ("therapist", True)
    assert "Your own practice" in text_of(client.get(reverse("home")).content.decode())


def test_a_client_can_become_a_therapist_on_the_profile(alice_client, alice):
    alice_client.post(
        reverse("home:profile"),
        {"display_name": "Alice", "time_zone": "Europe/London", "here_for": "practice"},
    )

    alice.refresh_from_db()
    assert (alice.role, alice.keeps_journal) == ("therapist", False)
    assert ReminderSchedule.objects.get(user=alice).enabled is False


def test_for_myself_is_refused_while_clients_share(client, alice, bob):
    make_share(alice, bob)
    client.force_login(bob)

    response = client.post(
        reverse("home:profile"),
        {"display_name": "Bob", "time_zone": "Europe/London", "here_for": "myself"},
    )

    assert "Clients still share their journals with you." in text_of(response.content.decode())
    bob.refresh_from_db()
    assert bob.is_therapist


def test_the_404_page_leads_each_person_home_in_their_words(client, tess, alice):
    assert "Back to the home page" in text_of(client.get("/no-such-page/").content.decode())
    client.force_login(tess)
    assert "Back to your clients" in text_of(client.get("/no-such-page/").content.decode())
    client.force_login(alice)
    assert "Back to today" in text_of(client.get("/no-such-page/").content.decode())


def _profile_text(client) -> str:
    return html.unescape(text_of(client.get(reverse("home:profile")).content.decode()))


def test_a_therapist_without_a_journal_is_asked_nothing_about_one_on_the_profile(client, db):
    client.force_login(TherapistFactory(keeps_journal=False, two_step=False))

    page = _profile_text(client)

    assert "Right now I am…" not in page
    assert "Your daily reminder" not in page
    assert (
        "Your time zone: Used for the times on your clients' pages, and for your email notices:"
        " once a day, in the evening, if you turn them on."
    ) in page
    assert "still cannot read what your clients share with you." in page


def test_saving_the_profile_keeps_the_answer_a_therapist_was_not_asked(client, tess):
    tess.situation = "single"
    tess.save()
    client.force_login(tess)

    response = client.post(
        reverse("home:profile"),
        {"display_name": "Tess T", "time_zone": "Europe/Paris", "here_for": "practice"},
        follow=True,
    )

    assert "Your profile is saved." in text_of(response.content.decode())
    tess.refresh_from_db()
    assert (tess.display_name, tess.time_zone, tess.situation) == (
        "Tess T",
        "Europe/Paris",
        "single",
    )


def test_a_therapist_who_keeps_a_journal_is_asked_about_it_on_the_profile(client, bob):
    client.force_login(bob)

    page = _profile_text(client)

    assert "Right now I am…" in page
    assert "Your daily reminder" in page
    assert (
        "Your time zone: Used for your journal days, your daily reminder and the times on"
        " your clients' pages, and for your email notices: once a day, in the evening, if you"
        " turn them on."
    ) in page


def test_sign_up_says_what_the_time_zone_is_for_before_the_answer(client, alice):
    signup = text_of(client.get(reverse("account_signup")).content.decode())
    client.force_login(alice)
    profile = _profile_text(client)

    assert (
        "Your time zone: Used for the days and times Closer shows you, and for when its emails"
        " arrive."
    ) in signup
    assert (
        "Your time zone: Used for your journal days and the time of your daily reminder."
    ) in profile
