import pytest
from django.urls import reverse

from accounts.models import User
from tests.browser.conftest import (
    assert_accessible,
    log_in,
    log_out,
    too_small_to_tap,
    type_emailed_code,
    visit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_sign_up_confirm_log_in_and_find_help(page):
    visit(page, "/")
    page.get_by_role("main").get_by_role("link", name="Sign up", exact=True).click()
    assert_accessible(page)

    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password:", exact=True).fill("quiet-harbour-lantern-42")
    page.get_by_label("Password again:").fill("quiet-harbour-lantern-42")
    page.get_by_role("button", name="Sign up").click()

    type_emailed_code(page)
    user = User.objects.get(email="dana@example.com")
    assert user.time_zone == "Europe/Paris"  # taken from the browser

    page.get_by_role("heading", name="Before you start").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Skip for now").click()

    page.get_by_role("heading", name="Hello, Dana").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Get help now").first.click()
    page.get_by_role("heading", name="Get help now", level=1).wait_for()
    assert_accessible(page)

    log_out(page)
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill("quiet-harbour-lantern-42")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_role("heading", name="Hello, Dana").wait_for()


def test_wrong_password_in_the_browser_keeps_the_email(page, alice):
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Log in", exact=True).click()

    page.get_by_text("The email address and/or password you specified are not correct.").wait_for()
    assert page.get_by_label("Email").input_value() == "alice@example.com"
    assert too_small_to_tap(page, "Forgot your password?") == []
    assert_accessible(page)


def test_a_long_address_stays_on_a_phones_screen_beside_its_choice(phone_page):
    long = "alexandra.montgomery-fitzwilliam.household@correspondence.example.com"
    user = UserFactory(email=long, display_name="Alexandra")
    page = phone_page
    log_in(page, user)

    visit(page, reverse("account_email"))

    choice = page.get_by_label(long)
    words = page.locator("label").filter(has=choice)
    box = words.bounding_box()
    assert box["x"] + box["width"] <= 390  # the phone's width: nothing runs off it
    assert choice.bounding_box()["x"] < words.bounding_box()["x"] + 30  # the box leads its line
