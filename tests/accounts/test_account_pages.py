"""The account pages in our words: sentence case, one word per action (Log in, Sign up,
Log out), and an address confirmed by a code typed where it was given, never by a link."""

import re
from itertools import pairwise

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.urls import get_resolver, reverse

from tests.accounts.test_signup import SIGNUP
from tests.core.test_local_times import visible_text
from tests.factories import PASSWORD, UserFactory

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


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_confirmation_link_sent_before_codes_confirms_nothing_and_says_what_to_do(
    client, db, method
):
    """Links emailed before addresses were confirmed by code stay valid for three days; they
    now open a page that sends the person to log in, which emails them a code."""
    user = UserFactory(email="new@example.com", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False)
    url = f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"

    response = getattr(client, method)(url)

    address.refresh_from_db()
    assert address.verified is False
    assert response.status_code == 410
    page = visible_text(response.content.decode())
    assert "This link no longer works" in page
    assert (
        "Closer now confirms an address with a code, not a link. Log in with your address and "
        "password, and Closer emails you a code to type in."
    ) in page
    assert not response.context["user"].is_authenticated


def test_the_code_page_asks_in_our_words_and_phones_show_the_number_pad(client, db):
    response = client.post(reverse("account_signup"), SIGNUP, follow=True)

    page = response.content.decode()
    assert "<title>Check your email · Closer</title>" in page
    assert re.search(r'<label for="id_code">Code from the email:</label>', page)
    field = re.search(r"<input [^>]*name=\"code\"[^>]*>", page).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert re.search(r">\s*Confirm\s*</button>", page)
    assert re.search(r">\s*Send a new code\s*</button>", page)
    assert re.search(r"Gave the wrong address\? <button [^>]*>Start again</button>", page)


# allauth's own words, which every page we show replaced: title case, and other words for
# logging in, signing up and logging out.
ALLAUTH_WORDS = (
    *OTHER_WORDS,
    "sign-in",
    "signed in",
    "signed out",
    "Log In",
    "Log Out",
    "Remember Me",
    "Current Password",
    "New Password",
    "Change Password",
    "Password Reset",
    "Bad Token",
    "Email Addresses",
    "Add Email",
    "Make Primary",
    "Re-send",
    "Confirm Access",
    "reauthenticate",
    "Request Code",
    "Recipient",
    "Account Inactive",
    "Enter Sign-In Code",
    "Alternative options",
)
# Words that keep their capital inside a heading, a label or a button.
NAMES = {"Closer", "I", "Google", "Microsoft", "Authenticator", "1Password", "Alice", "Bob"}
HEADINGS = re.compile(r"<(title|h1|h2|h3|button|label|legend|summary)\b[^>]*>(.*?)</\1>", re.S)


def _not_in_sentence_case(page: str) -> list[str]:
    """Headings, labels and buttons with a capital past the first word (but for names)."""
    found = []
    for _, inner in HEADINGS.findall(page):
        words = re.sub(r"<[^>]+>", " ", inner).replace("· Closer", "").split()
        capitals = [
            word
            for before, word in pairwise(words)
            if word[:1].isupper() and word.strip("?:.,") not in NAMES and before[-1] not in ".:?"
        ]
        if capitals:
            found.append(" ".join(words))
    return found


def _reset_link(user) -> str:
    key = default_token_generator.make_token(user)
    args = {"uidb36": user_pk_to_url_str(user), "key": key}
    return reverse("account_reset_password_from_key", kwargs=args)


def _allauth_pages(client, alice, bob):
    """Every allauth page a person can reach, as a visitor, as Alice (before and after
    confirming it's her) and as Bob (with an authenticator app): (who, path, page)."""
    names = [
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith(("account_", "mfa_"))
    ]
    simple = [n for n in names if not get_resolver().reverse_dict.getlist(n)[0][0][0][1]]
    visits = [("visitor", path) for path in map(reverse, simple)]
    visits += [
        ("visitor", _reset_link(alice)),
        ("visitor", reverse("account_reset_password_from_key", args=["zz", "bad-key"])),
        ("visitor", "/accounts/confirm-email/bad/"),
    ]
    for who, path in visits:
        yield who, path, client.get(path, follow=True)
    signed_up = client.post(reverse("account_signup"), SIGNUP, follow=True)
    yield "visitor, signed up", reverse("account_email_verification_sent"), signed_up
    for user in (alice, bob):
        client.force_login(user)
        for path in map(reverse, simple):
            yield user.display_name, path, client.get(path, follow=True)
    client.force_login(alice)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for path in map(reverse, simple):
        yield "Alice, confirmed", path, client.get(path, follow=True)
    code = reverse("account_request_reauthentication_code")
    client.post(code, {"recipient": alice.email})
    path = reverse("account_confirm_reauthentication_code")
    yield "Alice, emailed a code", path, client.get(path)


def test_every_allauth_page_speaks_our_words_in_sentence_case(client, alice, bob):
    found, seen = [], set()

    for who, path, response in _allauth_pages(client, alice, bob):
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        seen.add(re.search(r"<title>(.*?)</title>", page).group(1))
        text = visible_text(page)
        found += [f"{who} {path}: {w!r}" for w in ALLAUTH_WORDS if w in text]
        found += [f"{who} {path}: {h!r}" for h in _not_in_sentence_case(page)]

    assert found == [], "\n".join(sorted(set(found)))
    assert {
        "Your email addresses · Closer",
        "Check your email · Closer",
        "Choose a new password · Closer",
        "This link no longer works · Closer",
        "Your password is changed · Closer",
        "This account is closed · Closer",
        "Confirm it's you · Closer",
        "Enter the code · Closer",
    } <= seen


def test_the_emails_allauth_sends_speak_our_words(client, alice, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    client.post(reverse("account_signup"), {**SIGNUP, "email": "alice@example.com"})
    Client().post(reverse("account_signup"), SIGNUP)

    assert [m.subject for m in mailoutbox] == [
        "Reset your password",
        "No account uses this address",
        "You already have an account",
        "Your code to finish signing up",
    ]
    for message in mailoutbox:
        assert message.body.startswith("Hello,\n\n"), message.subject
        assert message.body.endswith("Closer is self-help, not therapy."), message.subject
        text = re.sub(r"https?://\S+", "", message.body)
        for words in (*ALLAUTH_WORDS, "Hello from", "Thank you for using", "signup"):
            assert words not in text, (message.subject, words)


def test_logging_in_and_out_says_so_in_the_same_words(client, alice):
    response = client.post(
        reverse("account_login"), {"login": alice.email, "password": PASSWORD}, follow=True
    )
    assert "You are logged in." in response.content.decode()

    response = client.post(reverse("account_logout"), follow=True)
    assert "You are logged out." in response.content.decode()


def test_the_landing_page_offers_sign_up_and_log_in_in_the_same_words(client, db):
    page = client.get(reverse("home")).content.decode()

    main = page.split('<main id="main">', 1)[1]
    assert re.findall(r'<a class="button[^"]*" href="[^"]*">([^<]*)</a>', main) == [
        "Sign up",
        "Log in",
    ]
    assert "Create a free account" not in page
