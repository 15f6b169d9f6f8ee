import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import assert_refused, too_long


def test_profile_saves_name_time_zone_and_situation(alice_client, alice):
    response = alice_client.post(
        reverse("home:profile"),
        {"display_name": "Ali", "time_zone": "Pacific/Auckland", "situation": "between"},
        follow=True,
    )

    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone, alice.situation) == (
        "Ali",
        "Pacific/Auckland",
        "between",
    )
    assert "Your profile is saved." in response.content.decode()


def test_profile_with_bad_time_zone_keeps_typed_name(alice_client, alice):
    response = alice_client.post(
        reverse("home:profile"), {"display_name": "Ali <b>", "time_zone": "Nowhere/Land"}
    )

    assert_refused(
        response,
        "Select a valid choice. Nowhere/Land is not one of the available choices.",
        'value="Ali &lt;b&gt;"',
    )
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice", "Europe/London")


def test_profile_needs_login(client, db):
    response = client.get(reverse("home:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_the_situation_to_change(alice_client, alice):
    alice.situation = "dating"
    alice.save()

    html = alice_client.get(reverse("home:profile")).content.decode()

    assert "<legend>Right now I am…</legend>" in html
    assert 'value="dating" id="id_situation_1" checked' in html


def test_on_the_profile_the_role_question_does_not_point_to_the_profile(alice_client):
    profile = alice_client.get(reverse("home:profile")).content.decode()
    signup = Client().get(reverse("account_signup")).content.decode()

    choose_both = "Choose both to keep a journal of your own as well."
    assert f"{choose_both}</div>" in profile
    assert f"{choose_both} You can change this on your profile.</div>" in signup


def _profile(alice, **changes) -> dict:
    return {"display_name": "Alice", "time_zone": alice.time_zone, **changes}


def test_profile_turns_on_discreet_reminders_with_a_sender_name(alice_client, alice):
    data = _profile(alice, discreet_reminders="on", sender_name="  Book   club ")

    response = alice_client.post(reverse("home:profile"), data, follow=True)

    alice.refresh_from_db()
    assert (alice.discreet_reminders, alice.sender_name) == (True, "Book club")
    assert "Your profile is saved." in response.content.decode()


@pytest.mark.parametrize(
    "name", ["Mum <mum@example.com>", "x@example.com", "Bob\r\nBcc: eve@example.com", "_", "a" * 41]
)
def test_profile_refuses_a_sender_name_that_is_not_a_name(alice_client, alice, name):
    data = _profile(alice, discreet_reminders="on", sender_name=name)

    response = alice_client.post(reverse("home:profile"), data)

    assert response.status_code == 200
    assert any(
        problem in response.content.decode()
        for problem in (
            "Use letters, numbers, spaces and . &#x27; - only (no email address), 40 characters"
            " at most.",
            too_long(40, 41),
        )
    )
    assert 'id="id_discreet_reminders" checked' in response.content.decode()
    alice.refresh_from_db()
    assert (alice.discreet_reminders, alice.sender_name) == (False, "")
