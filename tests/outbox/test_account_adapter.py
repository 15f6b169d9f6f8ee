"""allauth's emails about an account (a new password, a code, "you already have an account")
as the person they go to chose: from their sender name and, with discreet reminders on,
without "[Closer]" or a word of what Closer is for, keeping the link or the code."""

import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.test_signup import SIGNUP, type_code
from tests.factories import emailed_code

# What a glance at a shared inbox must not learn.
TELLING = re.compile(r"closer|self-help|relationship|pull away|partner|therap|journal", re.I)
READER = '"A. Reader" <hello@localhost>'
RESET_LINK = re.compile(r"^http://testserver/accounts/password/reset/key/\S+/$", re.M)


@pytest.fixture
def discreet(alice):
    alice.discreet_reminders, alice.sender_name = True, "A. Reader"
    alice.save(update_fields=["discreet_reminders", "sender_name"])
    return alice


def _assert_discreet(message, subject: str) -> None:
    assert (message.subject, message.from_email) == (subject, READER)
    assert not TELLING.search(message.subject + message.body), message.body


def _reset(email: str) -> None:
    Client().post(reverse("account_reset_password"), {"email": email})


def test_a_password_reset_for_someone_discreet_names_nothing_and_keeps_its_link(discreet):
    _reset("alice@example.com")

    [message] = mail.outbox
    _assert_discreet(message, "Reset your password")
    link = RESET_LINK.search(message.body).group()
    assert message.body == (
        "Hello,\n\nSomeone asked to reset the password of your account. If that was you, choose"
        f" a new password here:\n\n{link}\n\nIf it was not you, ignore this email: your password"
        " stays as it is."
    )


def test_the_link_in_a_discreet_password_reset_sets_a_new_password(client, discreet):
    _reset("alice@example.com")
    path = RESET_LINK.search(mail.outbox[0].body).group().removeprefix("http://testserver")

    form_page = client.get(path, follow=True)
    new = {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    client.post(form_page.redirect_chain[-1][0], new)

    discreet.refresh_from_db()
    assert discreet.check_password("a-brand-new-passphrase")


def test_a_password_reset_to_another_of_their_confirmed_addresses_is_discreet(discreet):
    EmailAddress.objects.create(user=discreet, email="alice@work.example", verified=True)

    _reset("Alice@Work.example")

    [message] = mail.outbox
    assert message.to == ["alice@work.example"]
    _assert_discreet(message, "Reset your password")
    assert RESET_LINK.search(message.body)


def test_the_code_for_an_address_someone_discreet_adds_names_nothing_and_works(client, discreet):
    client.force_login(discreet)
    client.post(reverse("account_email"), {"email": "alice@work.example", "action_add": ""})

    [message] = mail.outbox
    _assert_discreet(message, "Your code to add this address")
    code = emailed_code(message.body)
    assert message.body == (
        "Hello,\n\nSomeone is adding this address (alice@work.example) to an account. If that is"
        f" you, type this code on the page that is open in your browser:\n\n{code}\n\nIt works"
        " for 15 minutes.\n\nIf it was not you, ignore this email: without the code, the address"
        " is not added. Never give the code to anyone."
    )
    type_code(client, code)
    assert EmailAddress.objects.get(email="alice@work.example").verified is True


def test_a_sign_up_with_the_address_of_someone_discreet_tells_them_in_plain_words(discreet):
    Client().post(reverse("account_signup"), {**SIGNUP, "email": "alice@example.com"})

    [message] = mail.outbox
    _assert_discreet(message, "You already have an account")
    link = re.search(r"^http://testserver/accounts/password/reset/$", message.body, re.M)
    assert message.body == (
        "Hello,\n\nSomeone tried to sign up with this address (alice@example.com), but it already"
        " has an account. If that was you, log in instead; if you have forgotten your password,"
        f" choose a new one here:\n\n{link.group()}\n\nIf it was not you, ignore this email: your"
        " account stays as it is."
    )


def test_the_code_that_confirms_it_is_them_names_nothing(client, discreet):
    client.force_login(discreet)
    client.post(reverse("account_request_reauthentication_code"), {"recipient": discreet.email})

    [message] = mail.outbox
    _assert_discreet(message, "Your code")
    code = re.search(r"^\S+$", message.body.split("\n\n")[2]).group()
    assert message.body == (
        "Hello,\n\nHere is the code. Type it on the page that is open in your browser:\n\n"
        f"{code}\n\nIf you did not ask for it, ignore this email."
    )


@pytest.mark.parametrize(
    "name",
    sorted(
        path.name.removesuffix("_subject.txt")
        for path in Path(settings.BASE_DIR, "templates/account/email").glob("*_subject.txt")
    ),
)
def test_every_account_email_of_ours_reads_discreetly(discreet, name):
    """Whatever allauth sends them (with these settings or others): our words, none telling."""
    context = {
        "email": discreet.email,
        "user": discreet,
        "code": "123-456-789",
        "password_reset_url": "http://testserver/reset/",
        "signup_url": "http://testserver/signup/",
    }

    message = get_adapter().render_mail(f"account/email/{name}", discreet.email, context)

    assert "[Closer]" not in message.subject
    assert message.from_email == READER
    assert not TELLING.search(message.subject + message.body), message.body


def test_without_the_option_account_emails_come_from_their_sender_name_alone(alice):
    alice.sender_name = "Book club"
    alice.save(update_fields=["sender_name"])

    _reset("alice@example.com")

    [message] = mail.outbox
    assert (message.subject, message.from_email) == (
        "Reset your password",
        "Book club <hello@localhost>",
    )
    assert message.body.startswith("Hello,\n\nSomeone asked to reset the password of your Closer")
    assert message.body.endswith("\n\nCloser is self-help, not therapy.")


def test_an_address_nobody_has_gets_the_email_in_full(discreet):
    """A new person signing up, an address nobody has confirmed: the emails as they were."""
    Client().post(reverse("account_signup"), SIGNUP)
    _reset("nobody@example.com")

    assert [(m.subject, m.from_email) for m in mail.outbox] == [
        ("Your code to finish signing up", "Closer <hello@localhost>"),
        ("No account uses this address", "Closer <hello@localhost>"),
    ]
    assert "Closer, a self-help app" in mail.outbox[0].body


def test_an_address_on_an_account_but_not_confirmed_gets_a_password_reset_in_full(charlie):
    """allauth also sends a password reset to an address an account has not confirmed (one
    signed up with by someone else, say): that account does not decide how it reads."""
    EmailAddress.objects.create(user=charlie, email="shared@example.com", verified=False)
    charlie.discreet_reminders, charlie.sender_name = True, "Your bank"
    charlie.save(update_fields=["discreet_reminders", "sender_name"])

    _reset("shared@example.com")

    assert [(m.to, m.subject, m.from_email) for m in mail.outbox] == [
        (["shared@example.com"], "Reset your password", "Closer <hello@localhost>")
    ]
