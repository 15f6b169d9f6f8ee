"""The account pages in our words: sentence case, one word per action (Log in, Sign up,
Log out), and an email link that confirms only when its person presses the button."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

OTHER_WORDS = ("Sign In", "Sign Up", "Sign Out", "sign in", "Sign in", "Sign out", "Signup")


@pytest.mark.parametrize(
    ("name", "who", "title", "button"),
    [
        ("account_login", "", "Log in", "Log in"),
        ("account_signup", "", "Sign up", "Sign up"),
        ("account_logout", "alice", "Log out", "Log out"),
        ("account_reset_password", "", "Reset your password", "Send the link"),
        ("account_change_password", "alice", "Change your password", "Change password"),
    ],
)
def test_account_pages_use_our_words_for_each_action(client, alice, name, who, title, button):
    if who:
        client.force_login(alice)

    page = client.get(reverse(name)).content.decode()

    assert f"<title>{title} · Closer</title>" in page
    assert re.search(rf">\s*{button}\s*</button>", page)
    for words in OTHER_WORDS:
        assert words not in page, words


def test_opening_the_confirmation_link_does_not_confirm_until_the_button(client, db):
    """ACCOUNT_CONFIRM_EMAIL_ON_GET stays False: mail scanners open links on their own, and a
    GET that confirmed (and, with LOGIN_ON_EMAIL_CONFIRMATION, logged in) would let one
    confirm an address its owner never did."""
    assert settings.ACCOUNT_CONFIRM_EMAIL_ON_GET is False
    user = UserFactory(email="new@example.com")
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": False}
    )
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])

    client.get(url)
    address.refresh_from_db()
    assert address.verified is False

    client.post(url)
    address.refresh_from_db()
    assert address.verified is True


def test_after_sign_up_the_page_says_to_check_your_email_in_our_words(client, db):
    page = client.get(reverse("account_email_verification_sent")).content.decode()

    assert "<title>Check your email · Closer</title>" in page
    assert "Verify Your Email Address" not in page


def test_the_confirmation_page_asks_in_our_words(client, db):
    user = UserFactory(email="new@example.com")
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": False}
    )
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])

    page = client.get(url).content.decode()

    assert "<title>Confirm your email address · Closer</title>" in page
    assert "Is new@example.com your address? Press the button to confirm it." in page
    assert re.search(r">\s*Confirm\s*</button>", page)
