"""A therapist's practice, end to end: the therapist at desktop size, the client on a phone
(390 x 844). Sign-up as a therapist, an invitation answered from Today, an entry read and
commented on, homework suggested and done, private session notes, and a revocation that
empties the therapist's list."""

import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from accounts.models import User
from sharing.models import Share
from tests.browser.conftest import VIEWPORTS, _open, assert_accessible, type_emailed_code, visit
from tests.factories import TOTP_SECRET, LessonFactory

pytestmark = pytest.mark.browser

PASSWORD = "steady-harbour-lantern-77"
NOTE_MARKER = "kingfisher-note-for-tess-only"
# Screenshots for the record (the repo ignores this folder).
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def desktop(browser, live_server):
    yield from _open(browser, live_server, "desktop")


@pytest.fixture
def phone(browser, live_server):
    yield from _open(browser, live_server, "phone")


def sign_up(page, *, name: str, email: str, here_for: str) -> None:
    visit(page, "/accounts/signup/")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password again:").fill(PASSWORD)
    page.get_by_label(here_for, exact=True).check()
    page.get_by_role("button", name="Sign up").click()
    type_emailed_code(page)


def test_a_therapists_practice_from_sign_up_to_revocation(desktop, phone):
    lesson = LessonFactory(title="Noticing the pull away")

    # Tess signs up as a therapist and lands on her (empty) list of clients.
    sign_up(desktop, name="Tess", email="tess@example.com", here_for="As a therapist or coach")
    desktop.get_by_role("heading", name="Your clients", level=1).wait_for()
    assert_accessible(desktop)
    menu = desktop.get_by_role("navigation", name="Main")
    assert menu.get_by_role("link", name="Clients").is_visible()
    assert menu.get_by_role("link", name="Journal").count() == 0
    assert desktop.get_by_role("heading", name="Your own practice").count() == 0
    assert desktop.get_by_text("Closer asks you for two-step login").is_visible()

    # She invites Gina; the invitation waits, with Resend and Withdraw.
    desktop.get_by_label("Your client's email").fill("gina@example.com")
    desktop.get_by_role("button", name="Invite this client").click()
    desktop.get_by_text("Invitation sent to gina@example.com.").wait_for()
    assert desktop.get_by_role(
        "button", name="Resend the invitation to gina@example.com"
    ).is_visible()
    assert desktop.get_by_role(
        "link", name="Withdraw the invitation to gina@example.com"
    ).is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "therapist-home.png"), full_page=True)

    # Gina signs up on her phone, for herself, answers the first-run page, and finds the
    # invitation waiting on Today.
    sign_up(phone, name="Gina", email="gina@example.com", here_for="For myself")
    phone.get_by_role("heading", name="Before you start").wait_for()
    phone.get_by_role("button", name="Save and start").click()
    phone.get_by_role("heading", name="Tess invites you to share your journal").wait_for()
    assert_accessible(phone)
    phone.get_by_role("link", name="Answer the invitation from Tess").click()
    phone.get_by_role("button", name="Share with Tess").click()
    phone.get_by_text("You now share").wait_for()
    visit(phone, "/")
    assert phone.get_by_text("Tess invites you to share your journal").count() == 0
    phone.get_by_label("Caring").check()
    phone.get_by_label("In a few words (optional)").fill("Sam made tea when I came home late")
    phone.get_by_role("button", name="Save", exact=True).click()
    phone.get_by_role("link", name=re.compile("Sam made tea when I came home late")).wait_for()

    # Tess sets up two-step login (done here as her authenticator app would), then opens
    # Gina's homework page and suggests the lesson.
    TOTP.activate(User.objects.get(email="tess@example.com"), TOTP_SECRET)
    visit(desktop, "/")
    desktop.get_by_role("link", name="Gina", exact=True).click()

    # She reads Gina's entry, comments on it, and goes back to the journal from it.
    desktop.get_by_role("link", name=re.compile("Sam made tea when I came home late")).click()
    desktop.get_by_label("Your comment").fill("Did you tell Sam it helped?")
    desktop.get_by_role("button", name="Add comment").click()
    desktop.get_by_text("Comment saved. Gina will see it under this entry.").wait_for()
    comments = desktop.get_by_role("region", name="Comments on this entry")
    assert comments.get_by_text("Did you tell Sam it helped?").is_visible()
    assert_accessible(desktop)
    desktop.get_by_role("link", name="← Gina's journal").click()
    desktop.get_by_role("heading", name="Gina's journal", level=1).wait_for()

    desktop.get_by_role("navigation", name="Gina's pages").get_by_role(
        "link", name="Homework"
    ).click()
    desktop.get_by_role("combobox", name="Suggest:").select_option(label="Noticing the pull away")
    desktop.get_by_label("A short note (optional)").fill("Before Thursday, if you can")
    desktop.get_by_role("button", name="Suggest it").click()
    desktop.get_by_text("Suggested. Gina sees it on their Today page.").wait_for()
    assert_accessible(desktop)

    # She keeps a private note on the session.
    desktop.get_by_role("navigation", name="Gina's pages").get_by_role(
        "link", name="Session notes"
    ).click()
    desktop.get_by_label("Your note").fill(f"Talked about distance. {NOTE_MARKER}")
    desktop.get_by_role("button", name="Save the note").click()
    desktop.get_by_text("Note saved. Only you see it.").wait_for()
    assert_accessible(desktop)

    # Gina sees the suggestion on Today as her next step, accepts it and does the lesson.
    visit(phone, "/")
    card = phone.get_by_role("region", name="The lesson “Noticing the pull away”")
    assert card.get_by_text("Suggested by Tess").is_visible()
    card.get_by_role("button", name="Accept").click()
    phone.get_by_text("Accepted. Tess sees when it is done.").wait_for()
    phone.get_by_role("region", name="The lesson “Noticing the pull away”").get_by_role(
        "link", name="Start"
    ).click()
    phone.get_by_role("heading", name=lesson.title).wait_for()
    phone.get_by_role("button", name="Mark as done").click()
    phone.get_by_role("button", name="Mark as not done").wait_for()

    # Tess sees it done.
    desktop.get_by_role("navigation", name="Gina's pages").get_by_role(
        "link", name="Homework"
    ).click()
    row = desktop.get_by_role("row", name="The lesson “Noticing the pull away”")
    assert row.get_by_role("cell", name="Done").is_visible()

    # Tess writes to Gina about their sharing as a whole; Gina's reply waits in Tess's
    # inbox, counted as unread, and on her list of clients.
    desktop.get_by_role("navigation", name="Gina's pages").get_by_role(
        "link", name="Conversation"
    ).click()
    desktop.get_by_label("Your message").fill("How did this week feel?")
    desktop.get_by_role("button", name="Send").click()
    desktop.get_by_text("Sent.").wait_for()
    visit(phone, "/sharing/inbox/")
    phone.get_by_role("link", name="Tess").click()
    phone.get_by_text("How did this week feel?").wait_for()
    phone.get_by_label("Your message").fill("Calmer, thank you.")
    phone.get_by_role("button", name="Send").click()
    phone.get_by_text("Sent.").wait_for()
    desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    desktop.get_by_role("heading", name="Inbox", level=1).wait_for()
    assert desktop.get_by_role("heading", name="Gina 1 unread").is_visible()
    assert_accessible(desktop)
    desktop.screenshot(path=str(ARTIFACTS / "therapist-inbox.png"), full_page=True)
    visit(desktop, "/")
    assert desktop.get_by_role("link", name="Read 1 unread message from Gina").is_visible()
    desktop.screenshot(path=str(ARTIFACTS / "therapist-home-with-client.png"), full_page=True)

    # On her phone, Gina's card puts the second link on a line of its own, with no dot left
    # hanging after the first.
    desktop.set_viewport_size(VIEWPORTS["phone"])
    card = desktop.get_by_role("listitem").filter(
        has=desktop.get_by_role("heading", name="Gina", exact=True)
    )
    prepare = card.get_by_role("link", name="Prepare a session with Gina").bounding_box()
    read = card.get_by_role("link", name="Read 1 unread message from Gina").bounding_box()
    assert read["y"] >= prepare["y"] + prepare["height"]
    assert abs(read["x"] - prepare["x"]) < 1
    assert "·" not in card.inner_text()
    assert_accessible(desktop)
    desktop.set_viewport_size(VIEWPORTS["desktop"])

    # Her note is on none of Gina's pages.
    for path in ["/", "/sharing/", "/sharing/log/", "/journal/", "/journal/export.csv"]:
        response = phone.request.get(phone.base_url + path)
        assert NOTE_MARKER not in response.text(), path

    # Gina stops sharing; Tess's list no longer names her anywhere.
    visit(phone, "/sharing/")
    phone.get_by_role("link", name="Stop sharing with Tess").click()
    phone.get_by_role("button", name="Yes, stop sharing").click()
    phone.get_by_text("Stopped sharing with Tess.").wait_for()
    assert Share.objects.get().status == "revoked"
    visit(desktop, "/")
    desktop.get_by_text("Nobody shares a journal with you at the moment.").wait_for()
    assert desktop.get_by_text("Gina").count() == 0
    assert desktop.get_by_text("gina@example.com").count() == 0
