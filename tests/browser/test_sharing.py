import re

import pytest
from django.core import mail

from accounts.models import User
from sharing import services
from sharing.models import AccessLog, Comment, Share
from tests.browser.conftest import (
    BROWSER_CODE_SECONDS,
    accept_invitation,
    assert_accessible,
    log_in,
    log_out,
    open_invitation,
    save_recovery_codes,
    second_page,
    send_invitation,
    sign_up_and_confirm,
    too_small_to_tap,
    visit,
)
from tests.factories import GratitudeFactory, UserFactory, totp_code
from tests.sharing.conftest import make_share

pytestmark = pytest.mark.browser

THERAPIST_PASSWORD = "steady-harbour-lantern-77"


@pytest.fixture
def therapist_page(browser, page):
    """A second person's browser at the same size as `page`."""
    yield from second_page(browser, page)


def test_client_shares_with_a_therapist_who_comments_until_the_client_revokes(
    page, therapist_page, alice
):
    GratitudeFactory(user=alice, moments="Made soup when I was tired")
    GratitudeFactory(user=alice, moments="A worry I keep to myself", is_private=True)
    theo = therapist_page

    # Alice invites her therapist from the Sharing page.
    log_in(page, alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sharing").click()
    page.get_by_role("heading", name="Sharing", level=1).wait_for()
    assert_accessible(page)
    send_invitation(page, label="Your therapist's email", email="theo@example.com")
    assert_accessible(page)

    # Theo opens the link from the email, signs up with that address and confirms it.
    assert mail.outbox[-1].subject == "A client invites you to read their Closer journal"
    open_invitation(
        theo, r"/sharing/accept/\S+/", heading="Alice invites you to read their journal"
    )
    theo.get_by_role("link", name="Sign up to accept").click()
    sign_up_and_confirm(theo, name="Theo", email="theo@example.com", password=THERAPIST_PASSWORD)

    # Back on the invitation, now logged in: Theo accepts.
    accept_invitation(theo, "Accept the invitation")

    # Before his list of clients, Theo sets up two-step login with an authenticator app.
    theo.get_by_role("heading", name="Set up two-step login").wait_for()
    assert_accessible(theo)
    # Just signed up, he is not asked for his password again (accounts/adapter.py).
    theo.get_by_role("link", name="Set up an authenticator app").click()
    theo.get_by_role("heading", name="Set up an authenticator app").wait_for()
    assert_accessible(theo)
    secret = theo.locator("#totp-secret").inner_text()
    theo.get_by_label("Code from your app").fill(totp_code(secret, lasting=BROWSER_CODE_SECONDS))
    theo.get_by_role("button", name="Turn on").click()
    save_recovery_codes(theo)
    theo.get_by_role("heading", name="Your clients").wait_for()
    assert_accessible(theo)
    theo.get_by_role("link", name="Alice", exact=True).click()
    theo.get_by_role("heading", name="Alice's journal").wait_for()
    assert User.objects.get(email="theo@example.com").role == "therapist"
    main = theo.get_by_role("main")
    assert main.get_by_text("Made soup when I was tired").is_visible()
    assert main.get_by_text("A worry I keep to myself").count() == 0

    for name, heading in [
        ("Insights", "Alice's insights"),
        ("Lesson progress", "Alice's lesson progress"),
    ]:
        theo.get_by_role("navigation", name="Alice's pages").get_by_role("link", name=name).click()
        theo.get_by_role("heading", name=heading, level=1).wait_for()
        assert_accessible(theo)
    visit(theo, "/sharing/clients/")
    card = theo.get_by_role("listitem").filter(has=theo.get_by_role("heading", name="Alice"))
    assert card.get_by_text("Entries this week").is_visible()

    # Theo comments on the shared entry, and corrects the comment.
    card.get_by_role("link", name="Alice", exact=True).click()
    theo.get_by_role("link", name="Made soup when I was tired").click()
    theo.get_by_role("heading", name=re.compile("^Gratitude")).wait_for()
    assert_accessible(theo)
    theo.get_by_role("textbox", name="Your comment").fill("Noticing the soup is the practice.")
    theo.get_by_role("button", name="Add comment").click()
    theo.get_by_text("Comment saved.").wait_for()
    theo.get_by_role("link", name="Edit").click()
    assert_accessible(theo)
    theo.get_by_role("textbox", name="Your comment").fill(
        "Noticing the soup is the whole practice."
    )
    theo.get_by_role("button", name="Save comment").click()
    theo.get_by_text("Comment updated.").wait_for()

    # Alice sees the comment under her entry and every read in the access log.
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="1 new comment from your therapist").click()
    page.get_by_role("heading", name="Comments on your entries").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^your gratitude of")).click()
    comments = page.get_by_role("region", name="Comments from your therapist")
    assert comments.get_by_text("Noticing the soup is the whole practice.").is_visible()
    assert_accessible(page)
    visit(page, "/sharing/log/")
    assert page.get_by_role("cell", name="Theo (theo@example.com)").first.is_visible()
    assert page.get_by_role("cell", name=re.compile("^Entry: Gratitude on")).first.is_visible()
    assert AccessLog.objects.count() >= 6

    # Alice looks at what Theo sees, then stops sharing, after saying yes.
    visit(page, "/sharing/")
    page.get_by_role("link", name="Change what they see").click()
    page.get_by_role("heading", name="What Theo sees").wait_for()
    assert_accessible(page)
    visit(page, "/sharing/")
    page.get_by_role("link", name="Stop sharing with Theo").click()
    page.get_by_role("heading", name="Stop sharing with Theo?").wait_for()
    assert_accessible(page)
    assert Share.objects.get().status != "revoked"  # one tap only opens the question
    page.get_by_role("button", name="Yes, stop sharing").click()
    page.get_by_text("Stopped sharing with Theo. They can no longer see anything.").wait_for()
    assert Share.objects.get().status == "revoked"

    # Theo's next page load says the sharing has ended, and shows nothing of hers.
    response = theo.reload()
    assert response.status == 404
    theo.get_by_role(
        "heading", name="This client no longer shares their journal with you"
    ).wait_for()
    assert theo.get_by_text("Noticing the soup").count() == 0
    assert_accessible(theo)


def test_therapist_ends_sharing_from_their_side(page, alice, bob):
    Share.objects.create(
        client=alice,
        therapist=bob,
        invited_email=bob.email,
        share_gratitude=True,
        shared_from=alice.local_today(),
        status=Share.Status.ACTIVE,
    )
    log_in(page, bob)
    visit(page, f"/sharing/clients/{alice.pk}/")
    page.get_by_role("link", name="Stop reading Alice's journal").click()
    page.get_by_role("heading", name="Stop reading Alice's journal?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Stop reading Alice's journal").click()
    page.get_by_text("You no longer see Alice's journal.").wait_for()
    assert_accessible(page)
    assert Share.objects.get().status == "ended"


def test_a_reader_declines_a_clients_invitation_found_on_today(phone_page, alice):
    services.share_invite(
        client=alice, email="dana@example.com", shared_from=alice.local_today(), share_bids=True
    )
    dana = UserFactory(email="dana@example.com", display_name="Dana")
    page = phone_page

    log_in(page, dana)
    assert_accessible(page)
    page.get_by_role("link", name="Answer the invitation from Alice").click()
    page.get_by_role("heading", name="Alice invites you to read their journal").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Decline the invitation").click()

    page.get_by_text("Declined. Nothing is shared with you; Alice sees only that").wait_for()
    assert page.get_by_role("heading", name="Hello, Dana").is_visible()
    assert page.get_by_role("link", name="Answer the invitation from Alice").count() == 0
    assert Share.objects.get().status == "ended"


def _colours(control) -> tuple[str, str]:
    """The colour of a control's words and of the button they sit on."""
    return control.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")


def test_the_buttons_that_end_or_delete_show_their_words(phone_page, alice, bob):
    # axe leaves red words on a red button "to be checked by hand", so this checks it.
    entry = GratitudeFactory(user=alice, moments="Made soup when I was tired")
    Comment.objects.create(entry=entry, author=bob, therapist=bob, body="What did you notice?")
    make_share(alice, bob)
    page = phone_page

    log_in(page, alice)
    visit(page, "/sharing/")
    words, button = _colours(page.get_by_role("link", name="Stop sharing with Bob"))
    assert words != button

    log_out(page)
    log_in(page, bob)
    visit(page, f"/sharing/clients/{alice.pk}/entries/{entry.pk}/")
    words, button = _colours(page.get_by_text("Delete", exact=True))
    assert words != button


def test_the_access_log_gives_what_was_opened_the_width_of_a_phone(phone_page, alice, bob):
    share = make_share(alice, bob)
    AccessLog.objects.create(
        share=share,
        therapist=bob,
        who="Bob (bob@example.com)",
        what="Your conversation with them about sharing as a whole",
        path="/",
    )
    page = phone_page

    log_in(page, alice)
    visit(page, "/sharing/log/")
    what = page.get_by_role("cell", name="Your conversation with them about sharing as a whole")
    line = page.get_by_text("Your conversation with them").evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight)"
    )

    assert what.bounding_box()["height"] < 3 * line


def test_the_clients_links_on_a_line_of_their_own_are_big_enough_to_tap(phone_page, alice, bob):
    share = make_share(alice, bob)
    AccessLog.objects.create(share=share, therapist=bob, who="Bob", what="Journal", path="/")
    page = phone_page

    log_in(page, alice)
    visit(page, f"/sharing/{share.pk}/")
    assert too_small_to_tap(page, "← Sharing", "See the whole access log") == []
    visit(page, "/sharing/")
    assert too_small_to_tap(page, "Your therapist's comments on your entries") == []
    visit(page, "/sharing/inbox/")
    assert too_small_to_tap(page, "Bob") == []
