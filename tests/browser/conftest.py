"""Playwright on Debian's Chromium (never a downloaded browser), at phone and desktop sizes."""

import os
import re
from time import sleep

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, TOTP_SECRET, emailed_code, totp_code
from tests.services import CHROMIUM, require_chromium

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 820, "height": 1180},
    "desktop": {"width": 1280, "height": 800},
}
BLOCKING_IMPACTS = {"serious", "critical"}
# How long a two-step code must still be good for when a test starts typing it: typing, the
# request and a busy CI machine take a few seconds (tests.factories.totp_code).
BROWSER_CODE_SECONDS = 5


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _new_page(browser, viewport: str):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
        timezone_id="Europe/Paris",
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Every console error (a CSP violation is one) and uncaught exception fails the test.
    # A test that provokes one on purpose adds a fragment of its text to allowed_errors.
    page.console_errors, page.allowed_errors = [], []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    return context, page


def _close(context, page) -> None:
    errors = [
        error
        for error in page.console_errors
        if not any(allowed in error for allowed in page.allowed_errors)
    ]
    context.close()
    assert not errors, "errors in the browser console:\n" + "\n".join(errors)


def _open(browser, live_server, viewport: str):
    """A fresh tab on the test server; its console must stay free of errors."""
    context, page = _new_page(browser, viewport)
    page.base_url = live_server.url
    yield page
    _close(context, page)


def second_page(browser, like):
    """A second person's browser at the same size as `like`, for tests with two people."""
    context = browser.new_context(
        viewport=like.viewport_size, timezone_id="Europe/Paris", locale="en-GB"
    )
    context.set_default_timeout(10_000)
    other = context.new_page()
    other.base_url = like.base_url
    yield other
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, live_server):
    """A fresh browser tab, once at phone size and once at desktop size."""
    yield from _open(browser, live_server, request.param)


@pytest.fixture(params=["tablet", "phone"])
def tablet_or_phone_page(request, browser, live_server):
    """A fresh browser tab at tablet size, then at phone size (pages read in a session)."""
    yield from _open(browser, live_server, request.param)


@pytest.fixture
def phone_page(browser, live_server):
    yield from _open(browser, live_server, "phone")


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"accessibility violations on {page.url}:\n" + "\n".join(blocking)


def too_small_to_tap(page, *links: str) -> list[str]:
    """The links named in `links` that are less than 44 px tall, the height of a thumb."""
    return [
        name
        for name in links
        if page.get_by_role("link", name=name, exact=True).bounding_box()["height"] < 44
    ]


def apart_from_its_words(page, *labels: str) -> list[str]:
    """The tick boxes and round choices named in `labels` whose line (the box and its words)
    is less than 44 px tall, or whose box is not on that line, beside its words."""
    apart = []
    for name in labels:
        box = page.get_by_label(name, exact=True).bounding_box()
        words = page.locator("label").filter(has=page.get_by_label(name, exact=True)).bounding_box()
        middle = box["y"] + box["height"] / 2
        if words["height"] < 44 or not words["y"] <= middle <= words["y"] + words["height"]:
            apart.append(name)
    return apart


def touching_what_follows(page, *labels: str) -> list[str]:
    """The boxes to type in, named in `labels`, with less than 8 px between their bottom edge
    and the next thing on the page (a field's words, a button): a thumb aiming at one hits
    the other."""
    touching = []
    for name in labels:
        gap = page.get_by_label(name, exact=True).evaluate(
            "e => e.nextElementSibling.getBoundingClientRect().top"
            " - e.getBoundingClientRect().bottom"
        )
        if gap < 8:
            touching.append(name)
    return touching


def visit(page, path: str) -> None:
    """Open a page of the app and check it is accessible."""
    page.goto(page.base_url + path)
    assert_accessible(page)


def double_tap(page, target) -> None:
    """Two taps a fifth of a second apart, where a finger lands on `target`. Not Playwright's
    dblclick(), whose clicks come too close together for the first to send anything, nor two
    tap()s, the second of which waits for the page the first one opens."""
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    sleep(0.2)
    page.touchscreen.tap(x, y)


def log_in(page, user) -> None:
    """Through the real login form, with an app code for a therapist (every therapist has
    two-step login); lands on a client's home page or a therapist's list of clients."""
    page.goto(page.base_url + reverse("account_login"))
    enter_password(page, user)
    if user.is_therapist:
        enter_code(page)
        page.get_by_role("heading", name="Your clients").wait_for()
    else:
        page.get_by_role("heading", name=f"Hello, {user.display_name}").wait_for()


def log_out(page) -> None:
    """With the header's button; lands on the visitor's home page once the browser has
    forgotten its notifications (static/js/app.js), as the person sees it."""
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("heading", name="Learn to stay close without losing yourself").wait_for()


def enter_password(page, user) -> None:
    """The first step of a login, on the login page: the email and password of `user`, a
    UserFactory user."""
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def enter_code(page, secret: str | None = None) -> None:
    """The second step of a login: the code the authenticator app with `secret` (a
    TherapistFactory user's, by default) shows now."""
    page.get_by_role("heading", name="Two-step login", level=1).wait_for()
    assert_accessible(page)
    code = totp_code(secret or TOTP_SECRET, lasting=BROWSER_CODE_SECONDS)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Log in", exact=True).click()


def confirm_password(page, password: str) -> None:
    """Allauth asks for the password again before it changes how someone logs in."""
    page.get_by_label("Password").fill(password)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()


def save_recovery_codes(page) -> None:
    """The last page of setting up two-step login: the recovery codes, shown once, then on."""
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert_accessible(page)
    assert page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem").count()
    page.get_by_role("link", name="I have saved them: continue").click()


def link_path(body: str, pattern: str) -> str:
    """The path of the first link in an email's body that matches `pattern`."""
    return re.search(rf"https?://[^/\s]+({pattern})", body).group(1)


def type_emailed_code(page) -> None:
    """The page after Sign up: the code from the last email typed in, as its owner does."""
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    page.get_by_label("Code from the email").fill(emailed_code(mail.outbox[-1].body))
    page.get_by_role("button", name="Confirm").click()


def sign_up_and_confirm(page, *, name: str, email: str, password: str) -> None:
    """Allauth's sign-up form, then the code it emails, typed in."""
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password again:").fill(password)
    page.get_by_role("button", name="Sign up").click()
    type_emailed_code(page)


def send_invitation(page, *, label: str, email: str) -> None:
    """Fill the invitation form's address field (its label is `label`) and send it."""
    page.get_by_label(label).fill(email)
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text(f"Invitation sent to {email}.").wait_for()


def open_invitation(page, pattern: str, *, heading: str) -> None:
    """Open the link in the last email that matches `pattern`; it shows the invitation."""
    visit(page, link_path(mail.outbox[-1].body, pattern))
    page.get_by_role("heading", name=heading).wait_for()


def accept_invitation(page, button: str) -> None:
    """Back on an opened invitation after signing up, press its `button` once it shows."""
    accept = page.get_by_role("button", name=button)
    accept.wait_for()
    assert_accessible(page)
    accept.click()
