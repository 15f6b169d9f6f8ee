"""Passkeys in a real browser: Chromium's virtual authenticator (the DevTools protocol's
WebAuthn domain) stands in for a phone's fingerprint reader."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.utils import timezone

from tests.browser.conftest import (
    assert_accessible,
    confirm_password,
    enter_password,
    log_in,
    log_out,
    save_recovery_codes,
    visit,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def add_virtual_authenticator(page) -> None:
    """A platform authenticator that keeps passkeys and verifies its user at once."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_client_adds_a_passkey_from_the_profile_and_logs_in_with_it(page, alice):
    add_virtual_authenticator(page)
    log_in(page, alice)
    # The tab stays open past the five minutes a log-in vouches for (accounts/adapter.py),
    # so adding a way to log in asks for her password again.
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        visit(page, "/account/profile/")
        page.get_by_role("link", name="Set up two-step login").click()
        page.get_by_role("heading", name="Two-step login", level=1).wait_for()
        assert_accessible(page)
        page.get_by_role("link", name="Add a passkey or security key").click()
        confirm_password(page, PASSWORD)
        page.get_by_role("heading", name="Add a passkey or security key").wait_for()
        assert_accessible(page)
        page.get_by_label("A name to recognise it by (optional)").fill("My phone")
        assert page.get_by_label("Also use it to log in without a password").is_checked()
        page.get_by_role("button", name="Add it").click()

        save_recovery_codes(page)
        page.get_by_role("heading", name="Two-step login", level=1).wait_for()
        assert page.get_by_text("You have 1 passkey or security key.").is_visible()
        page.get_by_role("link", name="Manage passkeys and keys").click()
        page.get_by_role("heading", name="My phone").wait_for()
        assert page.get_by_text("A passkey: logs you in without a password.").is_visible()
        assert_accessible(page)
        key = Authenticator.objects.get(user=alice, type=Authenticator.Type.WEBAUTHN)
        assert key.wrap().is_passwordless

    # With her password, the passkey is now her second step.
    log_out(page)
    visit(page, "/accounts/login/")
    enter_password(page, alice)
    page.get_by_role("heading", name="Two-step login", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey or security key").click()
    page.get_by_role("heading", name="Hello, Alice").wait_for()

    # Or alone, without her password.
    log_out(page)
    visit(page, "/accounts/login/")
    page.get_by_role("button", name="Log in with a passkey").click()
    page.get_by_role("heading", name="Hello, Alice").wait_for()
    assert_accessible(page)


def test_a_therapist_logs_in_with_password_and_an_app_code(page, bob):
    log_in(page, bob)
    assert_accessible(page)
