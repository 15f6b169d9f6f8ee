"""Today on a phone, as it first opens: what a person can reach without scrolling."""

import pytest

from lessons.content import CONTENT_ROOT
from lessons.services import lessons_load
from sharing.services import homework_suggest
from tests.browser.conftest import VIEWPORTS, log_in, too_small_to_tap, visit
from tests.sharing.conftest import make_share

pytestmark = pytest.mark.browser


def on_first_screen(locator) -> bool:
    """The whole of it shows in the phone's screen before any scrolling."""
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= VIEWPORTS["phone"]["height"]
    )


def test_the_first_screen_holds_gratitude_the_next_step_and_both_doors(phone_page, alice):
    lessons_load(root=CONTENT_ROOT)
    page = phone_page
    log_in(page, alice)
    visit(page, "/")  # as on any later day: the session lasts, no "You are logged in."
    assert page.evaluate("window.scrollY") == 0

    reachable = {
        "a moment to tick": page.get_by_label("Caring"),
        "a few words": page.get_by_label("In a few words (optional)"),
        "Save": page.get_by_role("button", name="Save", exact=True),
        "where gratitude stops": page.get_by_text("If someone close hurts, controls or frightens"),
        "the next step": page.get_by_role("link", name="Continue", exact=True),
        "I need a break": page.get_by_role("link", name="I need a break"),
        "I want out": page.get_by_role("link", name="I want out"),
        "help": page.get_by_role("link", name="Get help now", exact=True),
    }
    below = [name for name, locator in reachable.items() if not on_first_screen(locator)]
    assert not below, f"below the first screen: {below}"


def test_the_break_door_opens_choices_a_thumb_can_hit(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    page.get_by_role("link", name="I need a break").tap()
    page.get_by_role("heading", name="I need a break").wait_for()
    choices = page.get_by_role("group", name="When will you come back?").get_by_role("radio")

    assert choices.count() == 5
    for n in range(5):
        label = page.locator(f"label[for='{choices.nth(n).get_attribute('id')}']")
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, label.inner_text()
    page.get_by_label("In 20 minutes").tap()
    assert page.get_by_label("In 20 minutes").is_checked()


def test_a_therapists_note_on_a_suggestion_shows_on_a_phone(phone_page, alice, bob):
    lessons_load(root=CONTENT_ROOT)
    make_share(alice, bob)
    homework_suggest(
        therapist=bob,
        client=alice,
        lesson_slug="needs-and-boundaries-first",
        kind="",
        note="Try this before Thursday.",
        due_on=None,
    )
    page = phone_page
    log_in(page, alice)
    visit(page, "/")

    suggestion = page.get_by_role("region", name="The lesson “Know your needs before you lean in”")
    assert suggestion.get_by_text("Suggested by Bob").is_visible()
    assert suggestion.get_by_text("“Try this before Thursday.”").is_visible()


def test_the_insights_link_stands_on_its_own_line_a_thumb_high(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, "/")

    line = page.get_by_text("Days practised this week: 0", exact=True)
    link = page.get_by_role("link", name="See your insights", exact=True)
    assert line.bounding_box()["y"] + line.bounding_box()["height"] <= link.bounding_box()["y"]
    assert "·" not in line.inner_text()
    assert too_small_to_tap(page, "See your insights") == []
