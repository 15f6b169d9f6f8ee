import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_login import log_in
from tests.conftest import assert_refused, too_long
from tests.factories import emailed_code
from tests.sharing.conftest import text_of

SIGNUP = {
    "display_name": "Dana",
    "email": "dana@example.com",
    "password1": "quiet-harbour-lantern-42",
    "password2": "quiet-harbour-lantern-42",
    "time_zone": "Asia/Kolkata",
}
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
# allauth sends one code a address every ten seconds (its "confirm_email" rate limit).
NEXT_CODE = timedelta(seconds=11)


def sign_up(client, **fields):
    return client.post(reverse("account_signup"), {**SIGNUP, **fields}, follow=True)


def type_code(client, code: str):
    """The code page's form, as the browser posts it."""
    return client.post(reverse("account_email_verification_sent"), {"code": code}, follow=True)


def type_last_code(client):
    """The code in the last email sent, typed in."""
    return type_code(client, emailed_code(mail.outbox[-1].body))


@pytest.mark.django_db
def test_signup_saves_name_and_time_zone_and_asks_for_the_emailed_code(client):
    response = sign_up(client)

    user = User.objects.get(email="dana@example.com")
    assert (user.display_name, user.time_zone, user.role) == ("Dana", "Asia/Kolkata", "client")
    page = text_of(response.content.decode())
    assert "Check your email" in page
    assert "Closer has sent a code to dana@example.com." in page
    assert "Type the code from the email sent to dana@example.com to finish signing up." in page
    assert not response.context["user"].is_authenticated
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]
    assert EmailAddress.objects.get(user=user).verified is False


@pytest.mark.django_db
def test_typing_the_emailed_code_logs_the_user_in_and_asks_where_they_are(client):
    sign_up(client)

    response = type_code(client, emailed_code(mail.outbox[0].body))

    assert response.context["user"].email == "dana@example.com"
    assert response.redirect_chain[-1][0] == reverse("home:first_run")
    assert "<h1>Before you start</h1>" in response.content.decode()
    assert EmailAddress.objects.get(email="dana@example.com").verified is True


@pytest.mark.django_db
def test_the_code_is_typed_as_digits_with_or_without_its_dashes(client):
    sign_up(client)
    code = emailed_code(mail.outbox[0].body)

    response = type_code(client, code.replace("-", ""))

    assert re.fullmatch(r"\d{3}-\d{3}-\d{3}", code)
    assert response.context["user"].email == "dana@example.com"


@pytest.mark.django_db
def test_a_wrong_code_says_so_keeps_the_page_and_the_right_one_still_works(client):
    sign_up(client)

    response = type_code(client, "000-000-000")

    page = text_of(response.content.decode())
    assert "That is not the code in the email. Check it and type it again." in page
    assert "Type the code from the email sent to dana@example.com to finish signing up." in page
    assert not response.context["user"].is_authenticated
    response = type_code(client, emailed_code(mail.outbox[0].body))
    assert response.context["user"].email == "dana@example.com"


@pytest.mark.django_db
def test_three_wrong_codes_end_the_try_and_logging_in_sends_a_new_code(client):
    with time_machine.travel(NOON, tick=False) as clock:
        sign_up(client)
        first = emailed_code(mail.outbox[0].body)
        for _ in range(3):
            response = type_code(client, "000-000-000")
        assert response.redirect_chain[-1][0] == reverse("account_login")
        assert type_code(client, first).redirect_chain[-1][0] == reverse("account_login")

        clock.shift(NEXT_CODE)
        response = log_in(client, "dana@example.com", SIGNUP["password1"], follow=True)
        assert "Check your email" in text_of(response.content.decode())
        response = type_last_code(client)

    assert len(mail.outbox) == 2
    assert response.context["user"].email == "dana@example.com"


@pytest.mark.django_db
def test_a_code_works_for_15_minutes_then_logging_in_sends_a_new_one(client):
    """The page and the email say how long; past it, nothing is lost but the code."""
    assert settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT == 15 * 60
    with time_machine.travel(NOON, tick=False) as clock:
        page = text_of(sign_up(client).content.decode())
        first = emailed_code(mail.outbox[0].body)
        clock.shift(timedelta(minutes=15, seconds=1))

        response = type_code(client, first)
        assert response.redirect_chain[-1][0] == reverse("account_login")
        assert not response.context["user"].is_authenticated

        log_in(client, "dana@example.com", SIGNUP["password1"])
        response = type_last_code(client)

    assert "It works for 15 minutes, in this browser only." in page
    assert "It works for 15 minutes." in mail.outbox[0].body
    assert response.context["user"].email == "dana@example.com"


@pytest.mark.django_db
def test_closing_the_page_before_typing_the_code_loses_nothing(client):
    """Logging in again, in any browser, sends a new code; the account is as it was made, and
    its first arrival is the welcome, as if the code had been typed at once. Later log-ins
    open Today."""
    with time_machine.travel(NOON, tick=False) as clock:
        sign_up(client)
        clock.shift(NEXT_CODE)
        browser = Client()

        response = log_in(browser, "dana@example.com", SIGNUP["password1"], follow=True)
        assert "Closer has sent a code to dana@example.com." in text_of(response.content.decode())
        response = type_last_code(browser)

    user = response.context["user"]
    assert (user.email, user.display_name, user.time_zone) == (
        "dana@example.com",
        "Dana",
        "Asia/Kolkata",
    )
    assert response.redirect_chain[-1][0] == reverse("home:first_run")
    assert "<h1>Before you start</h1>" in response.content.decode()
    browser.post(reverse("account_logout"))
    response = log_in(browser, "dana@example.com", SIGNUP["password1"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")


@pytest.mark.django_db
def test_a_new_code_within_seconds_of_the_last_says_to_wait_in_our_words(client):
    # The frozen clock keeps allauth's count of codes sent, but Redis forgets the count ten
    # real seconds after the sign-up: steps slower than that would get a new code (302).
    with time_machine.travel(NOON, tick=False):
        sign_up(client)
        resent = client.post(reverse("account_email_verification_sent"), {"action": "resend"})
        logged_in = log_in(Client(), "dana@example.com", SIGNUP["password1"])
        response = type_code(client, emailed_code(mail.outbox[0].body))  # the last email has it

    assert resent.status_code == 429
    page = text_of(resent.content.decode())
    assert "Too many tries · Closer" in page and "Wait a minute, then try again." in page
    assert_refused(
        logged_in, "Too many failed login attempts. Try again later.", 'value="dana@example.com"'
    )
    assert len(mail.outbox) == 1
    assert response.context["user"].email == "dana@example.com"


@pytest.mark.django_db
def test_send_a_new_code_sends_one_that_works(client):
    with time_machine.travel(NOON, tick=False) as clock:
        sign_up(client)
        clock.shift(NEXT_CODE)
        resent = client.post(
            reverse("account_email_verification_sent"), {"action": "resend"}, follow=True
        )
        response = type_last_code(client)

    assert "Closer has sent a code to dana@example.com." in text_of(resent.content.decode())
    assert (len(mail.outbox), response.context["user"].email) == (2, "dana@example.com")


@pytest.mark.django_db
def test_a_mistyped_address_can_start_again_at_once(client):
    """Until its code is typed, the sign-up page would lead back to the code page."""
    sign_up(client, email="dana@exmaple.com")

    response = client.post(
        reverse("account_logout"), {"next": reverse("account_signup")}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("account_signup")
    sign_up(client)
    response = type_last_code(client)

    assert [m.to for m in mail.outbox] == [["dana@exmaple.com"], ["dana@example.com"]]
    assert response.context["user"].email == "dana@example.com"


@pytest.mark.django_db
def test_signup_with_too_long_name_explains_and_keeps_input(client):
    data = {**SIGNUP, "display_name": "D" * 61}

    response = client.post(reverse("account_signup"), data)

    page = response.content.decode()
    assert too_long(60, 61) in page
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
    """No one can learn from the signup form whether an address has an account: the page
    asks for a code as for a new address; the owner of the address is told by email instead."""
    pages = []
    for email in ("alice@example.com", "dana@example.com"):
        response = Client().post(reverse("account_signup"), {**SIGNUP, "email": email}, follow=True)
        # All that differs is the address and what differs on every request.
        html = response.content.decode().replace(email, "ADDRESS")
        pages.append(re.sub(r'(nonce="|"X-CSRFToken": "|value=")[^"]+', "", html))

    assert pages[0] == pages[1]
    assert User.objects.filter(email="alice@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"], ["dana@example.com"]]
    assert "already" in mail.outbox[0].body
    assert "Type the code from the email sent to ADDRESS to finish signing up." in text_of(pages[0])
