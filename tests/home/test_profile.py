from django.urls import reverse

from tests.conftest import assert_refused


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
