"""Two-step login (allauth.mfa): set up from the gate or the profile, asked for at login,
limited like the password."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.http import urlencode

from sharing.models import Share
from tests.factories import PASSWORD, TOTP_SECRET, TherapistFactory, totp_code
from tests.sharing.conftest import make_share

from .test_login import log_in
from .test_signup import sign_up, type_last_code

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

GATE = reverse("accounts:two_step_required")
APP_OR_RECOVERY_CODE = (
    "That code did not work. Type the code your authenticator app shows now (each one works "
    "once), or one of your recovery codes."
)


@pytest.fixture
def dora(db):
    """A therapist who has not set up two-step login."""
    return TherapistFactory(email="dora@example.com", display_name="Dora", two_step=False)


def _gate(next_url: str) -> str:
    return GATE + "?" + urlencode({"next": next_url})


def test_the_gate_says_why_and_offers_both_ways(client, dora):
    client.force_login(dora)

    page = client.get(_gate("/sharing/clients/")).content.decode()

    assert "<h1>Set up two-step login</h1>" in page
    assert "Your clients share private writing with you" in page
    assert "Practitioner platforms ask the same" in page
    assert f'href="{reverse("mfa_activate_totp")}">Set up an authenticator app</a>' in page
    assert f'href="{reverse("mfa_add_webauthn")}">Add a passkey or security key</a>' in page


def test_a_wrong_code_while_setting_up_says_what_to_type_and_keeps_the_key(client, dora):
    log_in(client, "dora@example.com", PASSWORD)
    setup = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'<code id="totp-secret" class="secret">(\w+)</code>', setup).group(1)

    refused = client.post(reverse("mfa_activate_totp"), {"code": "000000"}).content.decode()

    assert (
        "That code did not match. Type the six digits your app shows for Closer now: "
        "it makes a new code every 30 seconds."
    ) in refused
    assert f'<code id="totp-secret" class="secret">{secret}</code>' in refused
    assert not Authenticator.objects.filter(user=dora).exists()


def test_two_step_codes_are_labelled_with_a_colon_as_the_emailed_code_is(client, dora, bob):
    log_in(client, "dora@example.com", PASSWORD)
    setup = client.get(reverse("mfa_activate_totp")).content.decode()
    client.logout()
    second_step = log_in(client, "bob@example.com", PASSWORD, follow=True).content.decode()

    assert '<label for="id_code">Code from your app:</label>' in setup
    assert '<label for="id_code">Code from your authenticator app:</label>' in second_step


def test_a_therapist_sets_up_an_app_from_a_client_page_and_comes_back_to_it(client, alice, dora):
    make_share(alice, dora)
    journal = reverse("sharing:client_journal", args=[alice.pk])
    log_in(client, "dora@example.com", PASSWORD)

    gate = client.get(journal, follow=True)
    assert gate.redirect_chain == [(_gate(journal), 302)]
    # Just logged in: not asked for the password again (test_an_old_session_is_asked...).
    setup = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "<h1>Set up an authenticator app</h1>" in setup
    secret = re.search(r'<code id="totp-secret" class="secret">(\w+)</code>', setup).group(1)
    codes = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    assert "<h1>Your recovery codes</h1>" in codes.content.decode()
    back = client.get(reverse("accounts:two_step_continue"), follow=True)

    assert back.redirect_chain == [(journal, 302)]
    assert re.search(r"<h1>(.*?)</h1>", back.content.decode()).group(1) == "Alice's journal"
    assert Authenticator.objects.filter(user=dora).count() == 2  # the app and recovery codes


def test_a_therapist_sets_up_an_app_from_their_clients_and_comes_back_to_them(client, dora):
    log_in(client, "dora@example.com", PASSWORD)
    home = client.get(reverse("home")).content.decode()
    set_it_up = html.unescape(re.search(r'<a href="([^"]+)">Set it up now</a>', home).group(1))

    gate = client.get(set_it_up).content.decode()
    setup = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'<code id="totp-secret" class="secret">(\w+)</code>', setup).group(1)
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    back = client.get(reverse("accounts:two_step_continue"), follow=True)

    assert set_it_up == GATE + "?next=/"
    assert "<h1>Set up two-step login</h1>" in gate
    assert back.redirect_chain == [("/", 302)]
    assert re.search(r"<h1>(.*?)</h1>", back.content.decode()).group(1) == "Your clients"


def test_a_new_therapist_sets_up_two_step_after_signing_up_without_the_password_again(client, db):
    with time_machine.travel(NOON, tick=False) as clock:
        sign_up(client, here_for="practice")
        type_last_code(client)
        clock.shift(timedelta(minutes=2))  # reading the gate, finding the app

        setup = client.get(reverse("mfa_activate_totp"))
        secret = re.search(r'id="totp-secret" class="secret">(\w+)<', setup.content.decode())
        clock.shift(timedelta(minutes=2))
        codes = client.post(
            reverse("mfa_activate_totp"), {"code": totp_code(secret.group(1))}, follow=True
        )

    assert setup.status_code == 200
    assert "<h1>Your recovery codes</h1>" in codes.content.decode()
    assert Authenticator.objects.filter(user__email="dana@example.com").count() == 2


def test_an_old_session_is_asked_for_the_password_before_two_step_changes(client, db):
    TherapistFactory(email="dora@example.com", two_step=False)
    with time_machine.travel(NOON, tick=False) as clock:
        log_in(client, "dora@example.com", PASSWORD)
        clock.shift(timedelta(minutes=5))

        confirm = client.get(reverse("mfa_activate_totp"))
        assert confirm["Location"].startswith(reverse("account_reauthenticate"))
        client.post(confirm["Location"], {"password": PASSWORD})
        setup = client.get(reverse("mfa_activate_totp"))

    assert "<h1>Set up an authenticator app</h1>" in setup.content.decode()


def test_changing_two_step_someone_logged_in_with_asks_again_even_just_logged_in(client, bob):
    with time_machine.travel(NOON, tick=False):
        log_in(client, "bob@example.com", PASSWORD)
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})

        turn_off = client.post(reverse("mfa_deactivate_totp"), {"code": totp_code()})
        codes = client.post(reverse("mfa_generate_recovery_codes"))

    assert turn_off["Location"].startswith(reverse("account_reauthenticate"))
    assert codes["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=bob, type="totp").exists()


def test_continue_without_a_page_to_return_to_opens_the_overview(client, bob):
    client.force_login(bob)

    response = client.get(reverse("accounts:two_step_continue"))

    assert response["Location"] == reverse("mfa_index")


def test_the_gate_returns_only_to_this_site(client, dora):
    client.force_login(dora)
    client.get(_gate("https://evil.example/phish"))

    response = client.get(reverse("accounts:two_step_continue"))

    assert response["Location"] == reverse("mfa_index")


def test_the_gate_lets_a_therapist_who_has_it_through_to_the_page(client, bob):
    client.force_login(bob)

    response = client.get(_gate("/sharing/clients/"))

    assert response["Location"] == "/sharing/clients/"


def test_login_asks_for_the_code_then_opens_home(client, bob):
    response = log_in(client, "bob@example.com", PASSWORD, follow=True)
    page = response.content.decode()
    assert "<h1>Two-step login</h1>" in page
    assert not response.context["user"].is_authenticated

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, follow=True)

    assert response.context["user"] == bob
    assert "Your clients" in response.content.decode()


def test_wrong_codes_lock_the_second_step_like_wrong_passwords(client, bob):
    log_in(client, "bob@example.com", PASSWORD)
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert APP_OR_RECOVERY_CODE in response.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_a_code_works_once(client, bob):
    code = totp_code(TOTP_SECRET)
    log_in(client, "bob@example.com", PASSWORD)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    log_in(client, "bob@example.com", PASSWORD)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert APP_OR_RECOVERY_CODE in response.content.decode()


def test_the_profile_offers_two_step_sign_in_to_a_client(alice_client):
    page = alice_client.get(reverse("home:profile")).content.decode()

    assert '<h2 id="two-step-title">Two-step login</h2>' in page
    assert f'<a class="button" href="{reverse("mfa_index")}">Set up two-step login</a>' in page
    overview = alice_client.get(reverse("mfa_index")).content.decode()
    assert "<h1>Two-step login</h1>" in overview


def test_the_profile_says_when_two_step_sign_in_is_on(client, bob):
    client.force_login(bob)
    page = client.get(reverse("home:profile")).content.decode()

    assert "On. After your password, Closer asks for a code" in page
    assert f'href="{reverse("mfa_index")}">Manage two-step login</a>' in page


def test_a_client_sharing_nothing_is_never_sent_to_the_gate(alice_client, alice, bob):
    make_share(alice, bob, status=Share.Status.ACTIVE)

    assert alice_client.get(reverse("sharing:index")).status_code == 200
