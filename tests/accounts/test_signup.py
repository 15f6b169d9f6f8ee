import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

SIGNUP = {
    "display_name": "Dana",
    "email": "dana@example.com",
    "password1": "quiet-harbour-lantern-42",
    "password2": "quiet-harbour-lantern-42",
    "time_zone": "Asia/Kolkata",
}


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_signup_saves_name_and_time_zone_and_sends_confirmation(client):
    response = client.post(reverse("account_signup"), SIGNUP, follow=True)

    user = User.objects.get(email="dana@example.com")
    assert (user.display_name, user.time_zone, user.role) == ("Dana", "Asia/Kolkata", "client")
    assert "Check your email" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]


@pytest.mark.django_db
def test_confirming_email_logs_the_user_in_and_asks_where_they_are(client):
    client.post(reverse("account_signup"), SIGNUP)
    link = _confirmation_link(mail.outbox[0])

    response = client.post(link, follow=True)

    assert response.context["user"].email == "dana@example.com"
    assert response.redirect_chain[-1][0] == reverse("home:first_run")
    assert "<h1>Before you start</h1>" in response.content.decode()


@pytest.mark.django_db
def test_signup_with_too_long_name_explains_and_keeps_input(client):
    data = {**SIGNUP, "display_name": "D" * 61}

    response = client.post(reverse("account_signup"), data)

    page = response.content.decode()
    assert "Ensure this value has at most 60 characters (it has 61)." in page
    assert 'value="dana@example.com"' in page
    assert 'value="' + "D" * 61 + '"' in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_with_unknown_time_zone_is_refused(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "time_zone": "Mars/Olympus"})

    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in (
        response.content.decode()
    )
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_keeps_email_and_name(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something-else-9"})

    page = response.content.decode()
    assert "You must type the same password each time." in page
    assert 'value="dana@example.com"' in page and 'value="Dana"' in page


def test_duplicate_signup_creates_no_account_and_tells_the_owner(client, alice):
    """No one can learn from the signup form whether an address has an account;
    the owner of the address is told by email instead."""
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "email": "alice@example.com"}, follow=True
    )

    assert User.objects.filter(email="alice@example.com").count() == 1
    assert "Check your email" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "already" in mail.outbox[0].body
