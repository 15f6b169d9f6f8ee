"""Account pre-hijacking: someone signs up with another person's address and a password they
know, and waits for the owner to confirm the address for them. An address is confirmed only by
the code emailed to it, typed in the browser that signed up; the owner has nothing to press."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.test_login import log_in
from tests.accounts.test_signup import NEXT_CODE, SIGNUP, type_code, type_last_code

OWNER = "olive@example.com"
ATTACKERS_PASSWORD = "mallory-knows-this-1"
NEW_PASSWORD = "olives-own-passphrase-7"
NOT_CORRECT = "The email address and/or password you specified are not correct."


def _attacker_signs_up_as_the_owner() -> Client:
    attacker = Client()
    passwords = {"password1": ATTACKERS_PASSWORD, "password2": ATTACKERS_PASSWORD}
    attacker.post(reverse("account_signup"), {**SIGNUP, "email": OWNER, **passwords})
    return attacker


def _owner_resets_their_password(owner: Client) -> None:
    owner.post(reverse("account_reset_password"), {"email": OWNER})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form = owner.get(link.group(1), follow=True).redirect_chain[-1][0]
    owner.post(form, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


@pytest.mark.django_db
def test_the_email_to_the_owner_holds_a_code_and_no_link_that_confirms():
    _attacker_signs_up_as_the_owner()

    [message] = mail.outbox
    assert message.to == [OWNER]
    assert re.findall(r"https?://\S+", message.body) == []
    assert message.alternatives == []
    assert "If it was not you, ignore this email" in message.body


@pytest.mark.django_db
def test_without_the_code_the_attacker_can_neither_confirm_nor_log_in():
    with time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), tick=False) as clock:
        attacker = _attacker_signs_up_as_the_owner()
        for guess in ("000-000-000", "123-456-789", "999999999"):
            response = type_code(attacker, guess)
        assert not response.context["user"].is_authenticated

        clock.shift(NEXT_CODE)
        response = log_in(Client(), OWNER, ATTACKERS_PASSWORD, follow=True)

    assert not response.context["user"].is_authenticated
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert EmailAddress.objects.get(email=OWNER).verified is False
    assert [m.to for m in mail.outbox] == [[OWNER], [OWNER]]  # each code goes to the owner


@pytest.mark.django_db
def test_once_the_owner_resets_the_password_the_attackers_no_longer_works():
    with time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), tick=False) as clock:
        _attacker_signs_up_as_the_owner()
        owner = Client()
        _owner_resets_their_password(owner)

        refused = log_in(Client(), OWNER, ATTACKERS_PASSWORD)
        clock.shift(NEXT_CODE)
        log_in(owner, OWNER, NEW_PASSWORD)
        response = type_last_code(owner)

    assert NOT_CORRECT in refused.content.decode()
    assert not refused.context["user"].is_authenticated
    assert response.context["user"].email == OWNER
    assert EmailAddress.objects.get(email=OWNER).verified is True
