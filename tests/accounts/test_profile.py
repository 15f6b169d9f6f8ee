from django.urls import reverse

from tests.conftest import assert_refused


def test_profile_saves_name_and_time_zone(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:profile"),
        {"display_name": "Ali", "time_zone": "Pacific/Auckland"},
        follow=True,
    )

    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Ali", "Pacific/Auckland")
    assert "Your profile is saved." in response.content.decode()


def test_profile_with_bad_time_zone_keeps_typed_name(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:profile"), {"display_name": "Ali <b>", "time_zone": "Nowhere/Land"}
    )

    assert_refused(
        response,
        "Select a valid choice. Nowhere/Land is not one of the available choices.",
        'value="Ali &lt;b&gt;"',
    )
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice", "Europe/London")


def test_profile_needs_login(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
