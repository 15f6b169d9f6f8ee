"""The reminder settings and the unsubscribe link in Chromium, at phone and desktop sizes."""

import pytest
from django.urls import reverse

from nudges.models import ReminderSchedule
from nudges.tokens import unsubscribe_token
from tests.browser.conftest import assert_accessible, log_in, visit

pytestmark = pytest.mark.browser


def test_change_reminder_from_the_profile(page, alice):
    log_in(page, alice)
    visit(page, reverse("home:profile"))
    page.get_by_role("link", name="Your daily reminder").click()
    page.get_by_role("heading", name="Your daily reminder").wait_for()
    assert_accessible(page)

    page.get_by_label("At what time?").fill("07:30")
    for day in ("Saturday", "Sunday"):
        page.get_by_label(day).uncheck()
    page.get_by_role("button", name="Save reminder").click()

    page.get_by_text("Your reminder settings are saved.").wait_for()
    assert_accessible(page)
    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.local_time.strftime("%H:%M"), schedule.weekday_list) == (
        "07:30",
        [0, 1, 2, 3, 4],
    )


def test_unsubscribe_link_without_login(page, alice):
    visit(page, reverse("nudges:unsubscribe", args=[unsubscribe_token(user=alice)]))

    page.get_by_role("button", name="Turn off reminders").click()

    page.get_by_role("heading", name="Daily reminders are off").wait_for()
    assert_accessible(page)
    assert ReminderSchedule.objects.get(user=alice).enabled is False
