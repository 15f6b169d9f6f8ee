"""The in-the-moment tools on a phone, through what a person sees: a break and its reminder,
the urge to leave, telling them, and the question of the day."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from health.models import Heartbeat
from journal.models import DailyQuestion, Entry
from tests.browser.conftest import assert_accessible, log_in, visit
from tests.services import beat, wait_for

pytestmark = pytest.mark.browser

# Stands in for the phone's share sheet, and remembers what it was given.
SHARE_SHEET = """
window.__shared = [];
Object.defineProperty(navigator, "share", {
  configurable: true,
  value: function (data) { window.__shared.push(data); return Promise.resolve(); },
});
"""


def test_a_break_its_reminder_once_through_a_real_worker_and_going_back(
    phone_page, alice, redis_worker
):
    log_in(phone_page, alice)
    phone_page.get_by_role("link", name="I need a break").click()
    assert_accessible(phone_page)
    phone_page.get_by_label("In 20 minutes").check()
    phone_page.get_by_role("button", name="Start the break").click()
    phone_page.get_by_text("Closer will remind you then.").wait_for()
    assert_accessible(phone_page)
    assert "I'm not leaving." in phone_page.get_by_label("Your message to them").input_value()

    entry = Entry.objects.get(user=alice, kind="break")
    with time_machine.travel(entry.return_at + timedelta(seconds=30), tick=True):
        # Beat's every-minute task, twice over: the reminder still goes once.
        beat("send-one-off-reminders")
        beat("send-one-off-reminders")
        beat("worker-heartbeat")  # runs after both: the worker takes one task at a time
        wait_for(Heartbeat.objects.exists)
        [reminder] = mail.outbox
        assert (reminder.to, reminder.subject) == ([alice.email], "Time to go back")
        assert "I'm not leaving" not in reminder.body  # no words of theirs in an email

        phone_page.reload()
        phone_page.get_by_role("heading", name="After your break").wait_for()
        phone_page.get_by_role("group", name="Did you go back?").wait_for()
        assert_accessible(phone_page)
        phone_page.get_by_label("Yes, I went back").check()
        phone_page.get_by_role("button", name="Save", exact=True).click()
        phone_page.get_by_text("Whatever happened, noting it is the practice.").wait_for()
        # A mis-tap: it was later than they said. The answer is folded away, a tap to open.
        phone_page.get_by_text("Change whether you went back").click()
        assert_accessible(phone_page)
        phone_page.get_by_label("Later than I said").check()
        phone_page.get_by_role("button", name="Save", exact=True).click()
        phone_page.get_by_text("Later than you said").wait_for()

    entry.refresh_from_db()
    assert entry.went_back == "later"


def test_an_urge_to_leave_shows_in_insights(phone_page, alice):
    log_in(phone_page, alice)
    phone_page.get_by_role("link", name="I want out").click()
    assert_accessible(phone_page)
    phone_page.get_by_label("7", exact=True).check()
    phone_page.get_by_label("What set it off?").fill("A plan for the weekend")
    phone_page.get_by_label("I went quiet or withdrew").check()
    phone_page.get_by_label("Moving my body").check()
    phone_page.get_by_role("button", name="Save").click()
    phone_page.get_by_text("Going quiet leaves the other person guessing.").wait_for()
    assert_accessible(phone_page)

    visit(phone_page, reverse("journal:insights"))
    phone_page.get_by_text(
        "1 urge to leave logged in the last 8 weeks. What helped most: moving my body."
    ).wait_for()


def test_tell_them_opens_the_share_sheet_and_the_entry_says_told(phone_page, alice):
    phone_page.add_init_script(SHARE_SHEET)
    log_in(phone_page, alice)
    phone_page.get_by_label("In a few words (optional)").fill("Cooked when I was tired")
    phone_page.get_by_role("button", name="Save", exact=True).click()
    phone_page.get_by_role("heading", name="Tell them").wait_for()
    assert_accessible(phone_page)

    phone_page.get_by_role("button", name="Tell them").click()
    phone_page.get_by_text("Marked as told.").wait_for()

    assert phone_page.evaluate("window.__shared") == []  # a new page after the form went
    entry = Entry.objects.get(user=alice)
    assert entry.told_partner is True
    visit(phone_page, reverse("journal:entry_detail", args=[entry.pk]))
    assert phone_page.locator("dl.entry-fields").inner_text().endswith("Told them\nYes")


def test_the_question_of_the_day_is_answered_and_tomorrow_brings_another(phone_page, alice):
    log_in(phone_page, alice)
    # one for both (a question only for them asks for notes instead of an answer)
    DailyQuestion.objects.create(user=alice, day=alice.local_today(), question_id="q001")
    visit(phone_page, reverse("practice:answer_new"))
    first = phone_page.locator(".question-of-the-day").inner_text()
    phone_page.get_by_label("Your answer").fill("Probably the sea.")
    phone_page.get_by_role("button", name="Save my answer").click()
    phone_page.get_by_text("Saved your answer in your journal.").wait_for()
    assert_accessible(phone_page)

    with time_machine.travel(DailyQuestion.objects.get().day + timedelta(days=1, hours=12)):
        visit(phone_page, reverse("practice:answer_new"))
        second = phone_page.locator(".question-of-the-day").inner_text()

    assert second != first
    assert Entry.objects.get(user=alice, kind="answer").answer == "Probably the sea."
