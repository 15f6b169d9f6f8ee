"""Adding an address on "Your email addresses": it joins the account only once the code
emailed to it is typed in the same browser, as at sign-up."""

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.accounts.test_signup import type_code
from tests.factories import emailed_code
from tests.sharing.conftest import text_of

WORK = "alice@work.example"


def _add(client, email: str = WORK):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""}, follow=True)


def test_an_added_address_waits_for_the_code_emailed_to_it(alice_client, alice):
    response = _add(alice_client)

    page = text_of(response.content.decode())
    assert "Type the code from the email sent to alice@work.example to add the address." in page
    [message] = mail.outbox
    assert (message.to, message.subject) == ([WORK], "Your code to add this address")
    assert not EmailAddress.objects.filter(email=WORK).exists()

    response = type_code(alice_client, emailed_code(message.body))

    assert response.redirect_chain[-1][0] == reverse("account_email")
    assert EmailAddress.objects.get(email=WORK).user == alice
    assert EmailAddress.objects.get(email=WORK).verified is True


def test_the_code_for_an_added_address_names_no_one_and_no_relationship(alice_client):
    """Whoever reads that inbox (a work address, a shared phone) learns little but the code."""
    _add(alice_client)

    [message] = mail.outbox
    for words in ("relationship", "pull away", "Alice", "journal", "partner"):
        assert words not in message.subject + message.body, words


def test_a_wrong_code_adds_nothing(alice_client):
    _add(alice_client)

    response = type_code(alice_client, "000-000-000")

    assert "That is not the code in the email." in text_of(response.content.decode())
    assert not EmailAddress.objects.filter(email=WORK).exists()
