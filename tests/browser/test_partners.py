"""Two phones, two people: the reader links with their partner and the link carries only
what it declares, until either ends it."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from journal.models import Entry
from partners import services
from tests.browser.conftest import (
    accept_invitation,
    apart_from_its_words,
    assert_accessible,
    log_in,
    open_invitation,
    second_page,
    send_invitation,
    sign_up_and_confirm,
    visit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

DAN_PASSWORD = "quiet-orchard-kettle-41"
WAITING = "Your answer is saved. You'll see theirs when they've answered."


@pytest.fixture
def dan_page(browser, phone_page):
    yield from second_page(browser, phone_page)


def test_two_partners_link_share_the_days_question_appreciation_a_break_and_a_plan(
    phone_page, dan_page, alice
):
    page, dan = phone_page, dan_page

    # Alice invites Dan from the Practice page.
    log_in(page, alice)
    visit(page, "/journal/practice/")
    page.get_by_role("link", name="Link with your partner").click()
    page.get_by_role("heading", name="Partner link", level=1).wait_for()
    assert_accessible(page)
    assert page.get_by_text("frightens you, controls you or hurts you").is_visible()
    send_invitation(page, label="Your partner's email", email="dan@example.com")

    # Dan signs up through the emailed link, confirms his address, then the link.
    assert mail.outbox[-1].subject == "An invitation to link on Closer"
    open_invitation(dan, r"/partner/join/\S+/", heading="Alice invites you to link")
    dan.get_by_role("link", name="Sign up to confirm").click()
    sign_up_and_confirm(dan, name="Dan", email="dan@example.com", password=DAN_PASSWORD)
    accept_invitation(dan, "Confirm the link")
    dan.get_by_role("heading", name="Linked with Alice").wait_for()
    assert_accessible(dan)

    # Alice lets breaks, appreciation and the plan through.
    page.reload()
    page.get_by_role("heading", name="Linked with Dan").wait_for()
    for label in ("My breaks", "Appreciation", "The check-in plan"):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Save what passes").click()
    page.get_by_text("Only what is on passes through the link.").wait_for()

    # The day's question: each sees the other's answer only once both have answered.
    visit(page, "/")
    page.get_by_role("link", name="Today's question for two").click()
    question = page.locator(".question-of-the-day").inner_text()
    page.get_by_label("Your answer").fill("Soup, surprisingly")
    page.get_by_role("button", name="Save my answer").click()
    page.get_by_text(WAITING).wait_for()
    assert_accessible(page)
    visit(dan, "/partner/question/")
    assert dan.locator(".question-of-the-day").inner_text() == question
    assert dan.get_by_text("Soup, surprisingly").count() == 0
    dan.get_by_label("Your answer").fill("The toast at breakfast")
    dan.get_by_role("button", name="Save my answer").click()
    dan.get_by_role("heading", name="Alice's answer").wait_for()
    assert dan.get_by_text("Soup, surprisingly").is_visible()
    page.reload()
    page.get_by_role("heading", name="Dan's answer").wait_for()
    assert page.get_by_text("The toast at breakfast").is_visible()

    # A gratitude entry's "Tell them" reaches Dan's Today; he reacts with one tap.
    visit(page, "/")
    page.get_by_label("In a few words (optional)").fill("You made tea when I was tired")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Send to Dan's Today").click()
    page.get_by_text("Sent to Dan's Today.").wait_for()
    visit(dan, "/")
    words = dan.get_by_role("article", name="Words from Alice")
    assert words.get_by_text("You made tea when I was tired").is_visible()
    words.get_by_role("button", name="Made me smile").click()
    visit(page, "/")
    assert page.get_by_text("Dan reacted to your words: Made me smile").is_visible()

    # A break shows its return time on Dan's Today, and "Back" once Alice says so.
    page.get_by_role("link", name="I need a break").click()
    page.get_by_label("In 20 minutes").check()
    page.get_by_role("button", name="Start the break").click()
    page.get_by_text("Closer will remind you then.").wait_for()
    pause = Entry.objects.get(user=alice, kind="break")
    visit(dan, "/")
    dan_zone = User.objects.get(email="dan@example.com").zone  # his own clock shows it
    back_by = pause.return_at.astimezone(dan_zone).strftime("%H:%M")
    assert dan.get_by_text(f"Taking a break, back by {back_by}").is_visible()
    assert dan.get_by_text("I'm not leaving").count() == 0
    with time_machine.travel(pause.return_at + timedelta(seconds=30), tick=True):
        page.reload()
        page.get_by_role("heading", name="After your break").wait_for()
        page.get_by_role("group", name="Did you go back?").wait_for()
        page.get_by_label("Yes, I went back").check()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Whatever happened, noting it is the practice.").wait_for()
        visit(dan, "/")
        assert dan.get_by_text("Back", exact=True).is_visible()

    # The plan agreed at the check-in together shows to both.
    visit(page, "/journal/check-in/together/")
    page.get_by_role("link", name="Write the plan for both of you").click()
    assert_accessible(page)
    page.get_by_label("The one thing you'll do together this week").fill("Sunday walk")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_text("You both see it until the next check-in.").wait_for()
    visit(dan, "/")
    assert dan.get_by_text("Sunday walk").is_visible()

    # Dan ends the link from his profile; Alice is told only that it has ended.
    visit(dan, "/account/profile/")
    dan.get_by_role("button", name="End the link").click()
    dan.get_by_text("The link has ended.").wait_for()
    visit(page, "/")
    assert page.get_by_text("The link has ended.").is_visible()
    for text in ("Sunday walk", "Made me smile", "Today's question for two"):
        assert page.get_by_text(text).count() == 0
    visit(dan, "/")
    for text in ("Sunday walk", "You made tea when I was tired", "Taking a break"):
        assert dan.get_by_text(text).count() == 0


def test_what_passes_through_the_link_has_each_box_beside_its_words(phone_page, alice):
    link, _ = services.link_invite(reader=alice, email="dan@example.com")
    services.link_accept(link=link, user=UserFactory(email="dan@example.com", display_name="Dan"))
    page = phone_page
    log_in(page, alice)

    visit(page, "/partner/")
    switches = ["The day's question for two", "My breaks", "Appreciation", "The check-in plan"]
    assert apart_from_its_words(page, *switches) == []
    visit(page, "/account/profile/")
    assert apart_from_its_words(page, "Discreet reminders", "In a relationship", "Dating") == []
    visit(page, "/reminders/")
    assert apart_from_its_words(page, "Send me a daily reminder") == []
