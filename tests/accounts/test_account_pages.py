"""The account pages in our words: sentence case, one word per action (Log in, Sign up,
Log out), and an email link that confirms only when its person presses the button."""

import re
from itertools import pairwise

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
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
        ("visitor", reverse("account_confirm_email", args=["bad"])),
    ]
    for who, path in visits:
        yield who, path, client.get(path, follow=True)
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
    client.post(reverse("account_signup"), SIGNUP)

    assert [m.subject for m in mailoutbox] == [
        "[Closer] Reset your password",
        "[Closer] No account uses this address",
        "[Closer] You already have an account",
        "[Closer] Confirm your email address",
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
