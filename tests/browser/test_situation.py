"""Two readers sign up on a phone, say where they are, and get different words, practices and
order: one single, one in a relationship."""

from datetime import time

import pytest

from lessons.content import CONTENT_ROOT
from lessons.services import lessons_load
from nudges.models import ReminderSchedule
from tests.browser.conftest import assert_accessible, type_emailed_code, visit

pytestmark = pytest.mark.browser

READERS = {
    "single": {
        "situation": "Single",
        "home": "Today, someone close to me was…",
        "practice": "What you stopped seeing",
        "other": "Show the practice for people in a relationship",
        "other_practice": "Catch what drew you in",
        "second_module": "Partner and pace",
        "why": "You said you are single right now",
    },
    "together": {
        "situation": "In a relationship",
        "home": "Today, my partner was…",
        "practice": "Catch what drew you in",
        "other": "Show the practice for people without a partner",
        "other_practice": "What you stopped seeing",
        "second_module": "The three stages of a relationship",
        "why": None,
    },
}


def _sign_up_and_say_where(page, *, email: str, situation: str) -> None:
    visit(page, "/")
    page.get_by_role("main").get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill("quiet-harbour-lantern-42")
    page.get_by_label("Password again:").fill("quiet-harbour-lantern-42")
    page.get_by_role("button", name="Sign up").click()
    type_emailed_code(page)

    page.get_by_role("heading", name="Before you start").wait_for()
    assert_accessible(page)
    page.get_by_label(situation, exact=True).check()
    page.get_by_label("At what time?").fill("07:30")
    page.get_by_role("button", name="Save and start").click()


@pytest.mark.parametrize("reader", list(READERS))
def test_a_reader_says_where_they_are_and_lessons_and_prompts_follow(phone_page, reader, db):
    lessons_load(root=CONTENT_ROOT)
    page, words = phone_page, READERS[reader]

    _sign_up_and_say_where(page, email=f"{reader}@example.com", situation=words["situation"])

    page.get_by_role("heading", name="Hello, Dana").wait_for()
    assert page.get_by_text("Saved. You can change both at any time on your profile.").is_visible()
    assert page.get_by_role("heading", level=2, name=words["home"], exact=True).is_visible()
    assert_accessible(page)
    schedule = ReminderSchedule.objects.get(user__email=f"{reader}@example.com")
    assert (schedule.enabled, schedule.local_time) == (True, time(7, 30))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lessons").click()
    page.get_by_role("heading", level=1, name="Lessons").wait_for()
    second = f"Module 2 {words['second_module']}"
    assert page.get_by_role("heading", level=2, name=second, exact=True).is_visible()
    assert page.locator("section.module").count() == 8
    why = page.locator("p.path-order")
    if words["why"]:
        assert why.inner_text().startswith(words["why"])
    else:
        assert why.count() == 0
    assert_accessible(page)

    visit(page, "/lessons/why-avoidants-leave/")
    assert page.get_by_role("heading", level=2, name=words["practice"]).is_visible()
    page.get_by_role("link", name=words["other"]).click()
    page.get_by_role("heading", level=2, name=words["other_practice"]).wait_for()
    assert page.get_by_role("heading", level=2, name=words["practice"]).count() == 0
    assert_accessible(page)
