import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import assert_refused
from tests.factories import PASSWORD, totp_code


def log_in(client, email: str, password: str, **options):
    """Post the login form, as the browser does."""
    return client.post(reverse("account_login"), {"login": email, "password": password}, **options)


def test_login_with_right_password_opens_home(client, alice):
    response = log_in(client, "alice@example.com", PASSWORD, follow=True)

    assert response.context["user"] == alice
    assert "Hello, Alice" in response.content.decode()


def test_wrong_password_explains_and_keeps_email(client, alice):
    response = log_in(client, "alice@example.com", "wrong-guess")

    assert_refused(
        response,
        "The email address and/or password you specified are not correct.",
        'value="alice@example.com"',
    )
    assert not response.context["user"].is_authenticated


def test_repeated_failures_lock_the_account_for_a_while_even_with_the_right_password(client, alice):
    for _ in range(5):
        log_in(client, "alice@example.com", "nope")

    response = log_in(client, "alice@example.com", PASSWORD)

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_failures_on_one_account_do_not_lock_another_from_the_same_address(client, alice, charlie):
    for _ in range(5):
        log_in(client, "alice@example.com", "nope")

    response = log_in(client, "charlie@example.com", PASSWORD, follow=True)

    assert response.context["user"] == charlie


def test_logout_needs_a_post_and_ends_the_session(alice_client):
    response = alice_client.post(reverse("account_logout"), follow=True)

    assert not response.context["user"].is_authenticated


@pytest.mark.django_db
def test_password_reset_for_unknown_email_says_what_to_expect(client):
    response = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.com"}, follow=True
    )

    assert "Closer has sent it a link to choose a new password" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["nobody@example.com"]]


def test_password_reset_reads_the_same_whether_or_not_an_account_uses_the_address(client, alice):
    """Nobody learns from the page whether an address has an account."""
    pages = []
    for email in ("alice@example.com", "nobody@example.com"):
        response = client.post(reverse("account_reset_password"), {"email": email}, follow=True)
        # All that differs is what differs on every request: the nonce and the CSRF token.
        pages.append(re.sub(r'(nonce="|"X-CSRFToken": ")[^"]+', "", response.content.decode()))

    assert pages[0] == pages[1]
    assert "If an account uses that address, Closer has sent it a link" in pages[0]
    assert [m.to for m in mail.outbox] == [["alice@example.com"], ["nobody@example.com"]]


def test_password_reset_email_lets_the_user_set_a_new_password(client, alice):
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    link = next(line for line in mail.outbox[0].body.split() if "/password/reset/key/" in line)
    path = link.split("testserver", 1)[1]

    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )

    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-passphrase")


def test_password_change_with_wrong_current_password_explains(alice_client, alice):
    response = alice_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it",
            "password1": "new-pass-phrase-1",
            "password2": "new-pass-phrase-1",
        },
    )

    assert "Please type your current password." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_behind_the_proxy_failures_count_per_client_address_not_for_everyone(
    client, alice, settings
):
    """Behind Caddy every request comes from the proxy; the client is in X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for number in range(20):  # the per-address limit: 20 failures a minute
        log_in(
            client, f"guess{number}@example.com", "nope", headers={"x-forwarded-for": "203.0.113.9"}
        )

    response = log_in(
        client,
        "alice@example.com",
        PASSWORD,
        headers={"x-forwarded-for": "198.51.100.7"},
        follow=True,
    )

    assert response.context["user"] == alice


def test_staff_log_in_to_the_admin_through_our_login_and_its_two_step(client, bob):
    """The admin's own form would take a password alone; it sends staff to allauth's."""
    bob.is_staff = True
    bob.is_superuser = True
    bob.save(update_fields=["is_staff", "is_superuser"])

    form = client.get(reverse("admin:login"))
    password_only = client.post(
        reverse("admin:login"), {"username": "bob@example.com", "password": PASSWORD}
    )
    log_in(client, "bob@example.com", PASSWORD)
    before_code = client.get(reverse("admin:index"))
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    after_code = client.get(reverse("admin:index"))

    assert form["Location"].startswith(reverse("account_login"))
    assert password_only["Location"].startswith(reverse("account_login"))
    assert before_code["Location"].startswith(reverse("admin:login"))
    assert after_code.status_code == 200
