"""Exit quickly: one tap, or Escape three times, and the tab shows a neutral site, with
nothing of ours to go back to."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

NEUTRAL = "https://neutral.example/weather"


@pytest.fixture
def neutral(settings, phone_page):
    """The neutral site, answered by the browser itself: the test needs no network."""
    settings.QUICK_EXIT_URL = NEUTRAL
    phone_page.route(
        "https://neutral.example/**",
        lambda route: route.fulfill(
            content_type="text/html", body="<!DOCTYPE html><title>Weather</title><p>Sunny</p>"
        ),
    )
    return phone_page


def _assert_gone_for_good(page) -> None:
    page.wait_for_url(NEUTRAL)
    assert page.title() == "Weather"
    page.evaluate("setTimeout(() => history.back(), 0)")  # the page's own Back
    page.wait_for_timeout(1000)
    assert not page.url.startswith(page.base_url)


def test_the_button_on_get_help_leaves_no_page_of_ours_to_go_back_to(neutral):
    page = neutral
    page.goto(page.base_url + reverse("get_help"))
    assert_accessible(page)

    page.get_by_role("link", name="Exit quickly").click()

    _assert_gone_for_good(page)


def test_escape_three_times_leaves_too(neutral):
    page = neutral
    page.goto(page.base_url + reverse("get_help"))

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.url.startswith(page.base_url)  # two are not enough: Escape closes things
    page.keyboard.press("Escape")

    _assert_gone_for_good(page)


def test_the_safety_screens_offer_it(neutral, alice):
    page = neutral
    log_in(page, alice)
    page.goto(page.base_url + reverse("practice:break_new"))
    note = page.locator(".where-this-stops")
    assert_accessible(page)

    note.get_by_role("link", name="Exit quickly").click()

    page.wait_for_url(NEUTRAL)
