import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import User
from lessons.content import CONTENT_ROOT
from lessons.models import Lesson, Reflection
from lessons.services import lessons_load, reflection_save
from tests.browser.conftest import VIEWPORTS, assert_accessible, visit
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

FIRST = "Relationships take work, and you can do it"
SECOND = "Know your needs before you lean in"
QUESTION = "When a relationship has needed effort"
RESTORED = "We restored your unsaved draft"


@pytest.fixture
def session_cookie(live_server, client) -> dict:
    """The lessons loaded, and a brand-new user signed in: their session cookie."""
    lessons_load(root=CONTENT_ROOT)
    client.force_login(UserFactory(email="dana@example.com", display_name="Dana"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": key, "url": live_server.url}


def test_new_user_continues_reads_marks_done_and_sees_progress(phone_page, session_cookie):
    page = phone_page
    page.context.add_cookies([session_cookie])
    total = Lesson.objects.filter(is_published=True).count()

    visit(page, "/lessons/")
    page.get_by_text(f"0 of {total} lessons done").wait_for()
    page.get_by_role("link", name="Continue", exact=True).click()

    page.get_by_role("heading", level=1, name=FIRST).wait_for()
    assert_accessible(page)
    page.get_by_label("When a relationship has needed effort").fill("That it was just hard.")
    page.get_by_role("button", name="Save my answer").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    page.get_by_role("button", name="Mark as done").click()

    next_lesson = page.get_by_role("link", name=f"Next lesson: {SECOND}")
    next_lesson.wait_for()
    assert page.url == f"{page.base_url}/lessons/relationships-take-work/"  # swapped, not reloaded
    assert_accessible(page)
    next_lesson.click()

    page.get_by_role("heading", level=1, name=SECOND).wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lessons").click()
    page.get_by_text(f"1 of {total} lessons done").wait_for()
    assert page.get_by_text("1 of 3 done").is_visible()
    assert page.get_by_role("link", name="Continue").get_attribute("href") == (
        "/lessons/needs-and-boundaries-first/"
    )
    assert_accessible(page)


@pytest.fixture
def first_lesson_without_javascript(browser, live_server, session_cookie):
    """The first lesson, open at phone size in a browser with JavaScript off."""
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    context.set_default_timeout(10_000)
    context.add_cookies([session_cookie])
    page = context.new_page()
    page.goto(f"{live_server.url}/lessons/relationships-take-work/")
    yield page
    context.close()


def test_mark_as_done_works_without_javascript(first_lesson_without_javascript):
    page = first_lesson_without_javascript

    page.get_by_role("button", name="Mark as done").click()

    page.get_by_role("heading", level=1, name=SECOND).wait_for()
    assert page.get_by_text(f"“{FIRST}” is done.").is_visible()


def settled(page) -> None:
    """htmx has finished a swap: the new content's forms send through htmx too. (Chromium
    focuses a new [autofocus] element as it arrives, a moment before htmx sets up the rest.)"""
    expect(page.locator(".htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0)


@pytest.fixture
def first_lesson(phone_page, session_cookie):
    """The first lesson, open on a phone, signed in; its practice is a reflection."""
    phone_page.context.add_cookies([session_cookie])
    visit(phone_page, "/lessons/relationships-take-work/")
    return phone_page


def test_keyboard_focus_follows_the_done_region_as_it_swaps(first_lesson):
    page = first_lesson

    page.get_by_role("button", name="Mark as done").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=f"Next lesson: {SECOND}")).to_be_focused()
    settled(page)

    page.get_by_role("button", name="Mark as not done").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Mark as done")).to_be_focused()
    assert_accessible(page)


def test_the_next_lesson_is_read_out_once_as_it_takes_the_focus(first_lesson):
    """A screen reader reads the focused link with what it is about, and nothing else
    announces it: no live region holds it, or it would be read out twice."""
    page = first_lesson

    page.get_by_role("button", name="Mark as done").focus()
    page.keyboard.press("Enter")

    next_lesson = page.get_by_role("link", name=f"Next lesson: {SECOND}")
    expect(next_lesson).to_be_focused()
    live = page.locator('[aria-live]:not([aria-live="off"]), [role=status], [role=alert]')
    expect(live.filter(has_text="Next lesson")).to_have_count(0)
    expect(next_lesson).to_have_accessible_description(f"“{FIRST}” is done.")
    expect(page.get_by_text(f"“{FIRST}” is done.")).to_be_visible()


def test_saved_reflection_takes_the_focus_its_button_had(first_lesson):
    page = first_lesson

    page.get_by_label("When a relationship has needed effort").fill("That it was just hard.")
    page.get_by_role("button", name="Save my answer").focus()
    page.keyboard.press("Enter")

    saved = page.get_by_role("status").filter(has_text="Your reflection is saved.")
    expect(saved).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("When a relationship has needed effort")).to_be_focused()
    assert_accessible(page)


def test_reflection_error_after_a_swap_is_focused_and_read_with_its_field(first_lesson):
    page = first_lesson

    page.get_by_role("button", name="Save my answer").focus()
    page.keyboard.press("Enter")

    answer = page.get_by_label("When a relationship has needed effort")
    expect(answer).to_be_focused()
    expect(answer).to_have_attribute("aria-invalid", "true")
    expect(answer).to_have_accessible_description(
        re.compile(r"Write a few words to save your answer\.")
    )
    assert_accessible(page)


def test_a_reflection_typed_on_a_phone_survives_a_reload_and_mark_as_done(first_lesson):
    page = first_lesson
    answer = page.get_by_label(QUESTION)
    answer.fill("That it was just hard.")
    page.get_by_role("button", name="Save my answer").tap()
    page.get_by_text("Your reflection is saved.").wait_for()
    settled(page)

    # Typed into the form htmx swapped in, not saved, then the page reloaded.
    answer.fill("That it was just hard. Or that we were learning.")
    page.reload()

    expect(answer).to_have_value("That it was just hard. Or that we were learning.")
    page.get_by_text(RESTORED).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as done").tap()
    page.get_by_text(f"“{FIRST}” is done. Your reflection is saved.").wait_for()
    assert list(Reflection.objects.values_list("answer", flat=True)) == [
        "That it was just hard. Or that we were learning."
    ]
    page.reload()
    expect(answer).to_have_value("That it was just hard. Or that we were learning.")
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_a_draft_from_before_an_answer_saved_elsewhere_is_offered_not_restored(first_lesson):
    page = first_lesson
    answer = page.get_by_label(QUESTION)
    answer.fill("That it was just hard.")  # kept on this phone, never sent
    lesson = Lesson.objects.get(slug="relationships-take-work")
    dana = User.objects.get(email="dana@example.com")
    reflection_save(user=dana, lesson=lesson, answer="Written on my laptop.")

    page.reload()

    expect(answer).to_have_value("Written on my laptop.")
    offer = page.get_by_role("status").filter(has_text="You have words from")
    expect(offer).to_contain_text("on this device that were not sent")
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    assert_accessible(page)
    answer.fill("Written on my laptop. And more here.")  # the offered words stay kept
    page.reload()
    offer.get_by_role("button", name="Use my words from then").tap()
    expect(answer).to_have_value("That it was just hard.")
    page.get_by_text(RESTORED).wait_for()
    page.reload()  # now typed over what the page shows: restored as any draft
    expect(answer).to_have_value("That it was just hard.")
    page.get_by_text(RESTORED).wait_for()


@pytest.mark.parametrize(
    ("button", "sent_to", "confirmed"),
    [
        ("Save my answer", "/reflection/", "Your reflection is saved."),
        ("Mark as done", "/done/", f"“{FIRST}” is done. Your reflection is saved."),
    ],
)
def test_words_typed_while_the_reflection_is_being_saved_stay(
    first_lesson, button, sent_to, confirmed
):
    page = first_lesson
    held = []  # the request, kept on its way while the reader types on
    page.route(re.compile(sent_to), lambda route: held.append(route))
    answer = page.get_by_label(QUESTION)
    answer.fill("That it was just hard.")
    page.get_by_role("button", name=button).tap()
    while not held:
        page.wait_for_timeout(50)

    answer.press_sequentially(" And worth it.")
    held[0].continue_()

    page.get_by_text(confirmed).wait_for()
    settled(page)
    expect(answer).to_have_value("That it was just hard. And worth it.")
    assert list(Reflection.objects.values_list("answer", flat=True)) == ["That it was just hard."]
    assert_accessible(page)
    page.reload()
    expect(answer).to_have_value("That it was just hard. And worth it.")
    page.get_by_text(RESTORED).wait_for()


def test_mark_as_done_saves_the_reflection_without_javascript(first_lesson_without_javascript):
    page = first_lesson_without_javascript

    page.get_by_label(QUESTION).fill("That it was just hard.")
    page.get_by_role("button", name="Mark as done").click()

    page.get_by_role("heading", level=1, name=SECOND).wait_for()
    assert page.get_by_text(f"“{FIRST}” is done. Your reflection is saved.").is_visible()
    page.go_back()
    page.reload()
    assert page.get_by_label(QUESTION).input_value() == "That it was just hard."
