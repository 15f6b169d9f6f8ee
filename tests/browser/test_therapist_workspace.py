"""The therapist's week, at tablet and phone size: accept, prepare a session, print it; and a
conversation on an entry between client and therapist."""

import re
from datetime import timedelta

import pytest
from django.core import signing

from sharing import selectors
from sharing.models import AccessLog, Comment, Invitation, Share
from sharing.services import share_message_create
from tests.browser.conftest import (
    assert_accessible,
    log_in,
    second_page,
    too_small_to_tap,
    visit,
)
from tests.factories import BidFactory, GratitudeFactory
from tests.sharing.conftest import make_share

pytestmark = pytest.mark.browser


@pytest.fixture
def other_page(browser, tablet_or_phone_page):
    """A second person's browser at the same size."""
    yield from second_page(browser, tablet_or_phone_page)


def _invitation_link(alice, bob) -> str:
    """Alice has invited Bob, who already has an account; the path of her emailed link."""
    share = make_share(alice, None, status=Share.Status.INVITED, invited_email=bob.email)
    Invitation.objects.create(
        share=share,
        email=bob.email,
        token_hash=selectors.token_hash("bob-token"),
        expires_at=share.created_at + timedelta(days=7),
    )
    return "/sharing/accept/" + signing.dumps("bob-token", salt=selectors.INVITATION_SALT) + "/"


def test_therapist_accepts_prepares_a_session_and_prints_it(tablet_or_phone_page, alice, bob):
    page = tablet_or_phone_page
    today = alice.local_today()
    GratitudeFactory(user=alice, moments="Made soup when I was tired", day=today - timedelta(2))
    BidFactory(user=alice, what="Showed me the sunset", day=today - timedelta(1))
    GratitudeFactory(user=alice, moments="Long ago", day=today - timedelta(25))
    link = _invitation_link(alice, bob)

    log_in(page, bob)
    visit(page, link)
    page.get_by_role("button", name="Accept the invitation").click()

    # Bob lands on his clients, with Clients in the menu.
    page.get_by_role("heading", name="Your clients", level=1).wait_for()
    assert_accessible(page)
    assert page.get_by_text("You can now read what Alice shares with you.").is_visible()
    menu = page.get_by_role("navigation", name="Main")
    assert menu.get_by_role("link", name="Clients").count() == 1
    assert page.get_by_role("heading", name="Your own practice").is_visible()

    # He prepares a session for the last week.
    page.get_by_role("link", name="Prepare a session with Alice").click()
    page.get_by_role("heading", name="Preparing a session with Alice").wait_for()
    page.get_by_role("textbox", name="From:").fill((today - timedelta(6)).isoformat())
    page.get_by_role("textbox", name="To:").fill(today.isoformat())
    page.get_by_role("button", name="Show this range").click()
    page.get_by_text(re.compile(r"to .*: 2 shared entries\.")).wait_for()
    assert_accessible(page)
    entries = page.get_by_role("region", name="The entries, oldest first")
    assert entries.get_by_text("Made soup when I was tired").is_visible()
    assert entries.get_by_text("Showed me the sunset").is_visible()
    assert page.get_by_text("Long ago").count() == 0

    # He prints it: the button is there, and on paper the menu and controls are gone.
    assert page.get_by_role("button", name="Print this page").is_visible()
    page.emulate_media(media="print")
    assert page.get_by_role("navigation", name="Main").is_hidden()
    assert page.get_by_role("button", name="Show this range").is_hidden()
    assert entries.get_by_text("Made soup when I was tired").is_visible()
    page.emulate_media(media="screen")

    # Alice's access log has the page and each entry it showed him.
    reads = list(AccessLog.objects.order_by("id").values_list("what", flat=True))
    assert reads[-3].startswith("Session preparation: counts and chart")
    assert [read.split(" on ")[0] for read in reads[-2:]] == [
        "Entry: Gratitude",
        "Entry: Bid for connection",
    ]


def test_client_replies_to_a_comment_and_sees_the_answer(
    tablet_or_phone_page, other_page, alice, bob
):
    page, theo = tablet_or_phone_page, other_page
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice, moments="Made soup when I was tired")
    Comment.objects.create(entry=entry, author=bob, therapist=bob, body="What did you notice?")

    log_in(page, alice)
    page.get_by_role("link", name="1 new comment from your therapist").click()
    page.get_by_role("link", name=re.compile("^your gratitude of")).click()
    thread = page.get_by_role("region", name="With Bob")
    assert thread.get_by_text("What did you notice?").is_visible()
    assert_accessible(page)
    page.get_by_label("Reply to Bob").fill("That I was cared for.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent. Only Bob sees it.").wait_for()
    assert_accessible(page)

    log_in(theo, bob)
    visit(theo, f"/sharing/clients/{alice.pk}/entries/{entry.pk}/")
    conversation = theo.get_by_role("region", name="Comments on this entry")
    assert conversation.get_by_text("That I was cared for.").is_visible()
    theo.get_by_role("textbox", name="Your comment").fill("That is worth writing down.")
    theo.get_by_role("button", name="Add comment").click()
    theo.get_by_text("Comment saved.").wait_for()

    page.reload()
    thread = page.get_by_role("region", name="With Bob")
    texts = thread.locator(".comment-body").all_inner_texts()
    assert texts == ["What did you notice?", "That I was cared for.", "That is worth writing down."]
    assert_accessible(page)


def test_a_clients_journal_shows_an_entry_on_the_first_phone_screen(phone_page, alice, bob):
    page = phone_page
    make_share(alice, bob)
    GratitudeFactory(user=alice, moments="Made soup when I was tired")

    log_in(page, bob)
    visit(page, f"/sharing/clients/{alice.pk}/")
    entry = page.get_by_role("link", name="Made soup when I was tired").bounding_box()

    assert entry["y"] + entry["height"] <= page.viewport_size["height"]
    assert page.get_by_role("button", name="Filter").is_visible()


def test_the_therapists_links_on_a_line_of_their_own_are_big_enough_to_tap(phone_page, alice, bob):
    page = phone_page
    share = make_share(alice, bob)
    GratitudeFactory(user=alice, moments="Made soup when I was tired")
    share_message_create(share=share, by_therapist=False, body="See you on Thursday.")

    log_in(page, bob)
    visit(page, f"/sharing/clients/{alice.pk}/session/")
    assert too_small_to_tap(page, "← Your clients", "Open this entry to comment") == []
    visit(page, "/sharing/inbox/")
    assert too_small_to_tap(page, "Alice") == []
