"""The journal on a phone: quick gratitude, an apology, a bid in the chart, drafts, offline."""

import re
import threading
from time import sleep

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from journal import services
from journal.models import Entry
from tests.browser.conftest import (
    apart_from_its_words,
    assert_accessible,
    double_tap,
    log_in,
    touching_what_follows,
    visit,
)
from tests.factories import BidFactory, GratitudeFactory

pytestmark = pytest.mark.browser


def test_gratitude_from_home_in_two_taps(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    assert_accessible(page)

    page.get_by_label("Caring").tap()
    page.get_by_role("button", name="Save", exact=True).tap()

    page.get_by_text("Saved your gratitude entry.").wait_for()
    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.moment_kinds, entry.day) == (
        "gratitude",
        ["caring"],
        alice.local_today(),
    )
    today = page.get_by_role("region", name="Today", exact=True)
    assert today.get_by_role("link").all_inner_texts() == ["Caring"]
    assert_accessible(page)


def test_a_double_tap_on_save_keeps_one_gratitude_entry(phone_page, alice, monkeypatch):
    """On a slow connection the first Save is still on its way when the second tap sends
    the form again: both copies reach the server, and the first is handled last."""
    copies, first_done = [], threading.Event()
    entry_create = services.entry_create

    def slow_the_first(**kwargs):
        copies.append(kwargs)
        if len(copies) > 1:
            return entry_create(**kwargs)
        sleep(1)
        entry = entry_create(**kwargs)
        first_done.set()
        return entry

    monkeypatch.setattr(services, "entry_create", slow_the_first)
    page = phone_page
    log_in(page, alice)

    page.get_by_label("Caring").tap()
    double_tap(page, page.get_by_role("button", name="Save", exact=True))

    page.get_by_text("Saved your gratitude entry.").wait_for()
    assert first_done.wait(timeout=10)
    assert len(copies) == 2
    visit(page, reverse("journal:timeline"))
    assert page.locator("#results").get_by_role("link").all_inner_texts() == ["Caring"]


def test_build_an_apology_in_three_steps_preview_then_save(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    page.get_by_role("link", name="Build an apology").tap()
    page.get_by_role("heading", name="Build an apology").wait_for()
    assert_accessible(page)

    page.get_by_label("Step 1").fill(
        "I'm sorry I checked my phone while you told me about your day."
    )
    page.get_by_label("Step 2").fill("I know it made you feel you didn't matter to me.")
    page.get_by_label("Step 3").fill("You matter more than anything on that screen.")
    page.get_by_role("button", name="Preview apology").tap()

    preview = page.get_by_role("region", name="Your apology")
    preview.wait_for()
    assert preview.locator("blockquote").inner_text().split("\n\n") == [
        "I'm sorry I checked my phone while you told me about your day.",
        "I know it made you feel you didn't matter to me.",
        "You matter more than anything on that screen.",
    ]
    assert_accessible(page)
    page.get_by_role("button", name="Save apology").tap()

    page.get_by_text("Saved your apology.").wait_for()
    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.status, entry.empathy) == (
        "apology",
        "draft",
        "I know it made you feel you didn't matter to me.",
    )
    assert_accessible(page)


def test_a_logged_bid_is_counted_in_the_weekly_chart(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    page.get_by_role("link", name="Log a bid").tap()
    page.get_by_label("My partner").check()
    page.get_by_label("What was the bid?").fill("Showed me the sunset from the window")
    page.get_by_label("Turned away").check()
    page.get_by_role("button", name="Save", exact=True).tap()
    page.get_by_text("Saved your bid for connection.").wait_for()

    page.get_by_role("link", name="Today").tap()
    page.get_by_role("link", name="See your insights").tap()

    chart = page.get_by_role("img", name=re.compile("Positive and negative moments"))
    assert chart.get_attribute("aria-labelledby") == "insights-chart-title insights-chart-summary"
    assert page.locator("#insights-chart-summary").inner_text() == (
        "This week so far: 0 positive moments and 1 negative one. That is 0 to 1. "
        "The target is 5 to 1."
    )
    assert page.get_by_text("Days practised this week: 1").is_visible()
    page.get_by_text("The numbers").tap()
    this_week = page.locator(".insights-chart tbody tr").first
    assert this_week.locator("td").all_inner_texts() == ["0", "1", "0 to 1"]
    assert_accessible(page)


def test_a_draft_survives_a_reload_and_goes_once_saved(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("journal:bid_new"))
    page.get_by_label("What was the bid?").fill("Asked if I wanted to go for a walk")
    page.get_by_label("Turned toward").check()

    page.reload()

    assert page.get_by_label("What was the bid?").input_value() == (
        "Asked if I wanted to go for a walk"
    )
    assert page.get_by_label("Turned toward").is_checked()
    notice = page.get_by_role("status").filter(has_text="We restored your unsaved draft from")
    assert notice.is_visible()
    assert re.fullmatch(
        r"We restored your unsaved draft from \d\d:\d\d\.", notice.locator("p").inner_text()
    )
    assert_accessible(page)

    page.get_by_label("My partner").check()
    page.get_by_role("button", name="Save", exact=True).tap()
    page.get_by_text("Saved your bid for connection.").wait_for()
    assert Entry.objects.get(user=alice).what == "Asked if I wanted to go for a walk"

    page.goto(page.base_url + reverse("journal:bid_new"))
    assert page.get_by_label("What was the bid?").input_value() == ""
    assert page.get_by_text("We restored your unsaved draft").count() == 0


def test_a_draft_is_kept_when_the_form_comes_back_with_an_error_and_can_be_discarded(
    phone_page, alice
):
    page = phone_page
    log_in(page, alice)
    page.goto(page.base_url + reverse("journal:bid_new"))
    page.get_by_label("What was the bid?").fill("Reached for my hand")
    page.get_by_role("button", name="Save", exact=True).tap()  # no answer chosen yet

    page.get_by_text("Pick who made the bid.").wait_for()
    assert page.get_by_label("What was the bid?").input_value() == "Reached for my hand"
    page.goto(page.base_url + reverse("journal:bid_new"))
    assert page.get_by_label("What was the bid?").input_value() == "Reached for my hand"

    page.get_by_role("button", name="Discard draft").tap()

    assert page.get_by_label("What was the bid?").input_value() == ""
    assert page.get_by_text("Draft discarded.").is_visible()
    # The button went with the draft: focus stays where it was, not back at the page's top.
    expect(page.get_by_role("status").filter(has_text="Draft discarded.")).to_be_focused()
    page.reload()
    assert page.get_by_label("What was the bid?").input_value() == ""


def test_logging_out_removes_drafts_from_the_device(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    page.get_by_label("In a few words (optional)").fill("Warmed the car for me")
    assert page.evaluate("Object.keys(localStorage)") == ["closer:draft:new-gratitude-quick"]

    page.get_by_role("button", name="Log out").tap()
    page.get_by_role("link", name="Log in").first.wait_for()

    assert page.evaluate("Object.keys(localStorage)") == []


def test_every_journal_page_is_accessible(phone_page, alice):
    page = phone_page
    entry = GratitudeFactory(user=alice, moments="Left me a note")
    BidFactory(user=alice, response="against")
    log_in(page, alice)

    for path in [
        reverse("home"),
        reverse("journal:timeline"),
        reverse("journal:gratitude_new"),
        reverse("journal:bid_new"),
        reverse("journal:apology_new"),
        reverse("journal:entry_detail", args=[entry.pk]),
        reverse("journal:entry_edit", args=[entry.pk]),
        reverse("journal:entry_delete", args=[entry.pk]),
        reverse("journal:print"),
        reverse("journal:print") + "?start=2999-01-01&end=2000-01-01",
        reverse("accounts:delete"),
        reverse("offline"),
    ]:
        visit(page, path)

    visit(page, reverse("journal:insights"))
    page.get_by_text("Days by week").tap()
    page.get_by_text("The numbers").tap()
    assert_accessible(page)


def test_a_pasted_link_stays_on_the_phone_and_the_whole_card_opens_it(phone_page, alice):
    link = "https://example.com/" + "a-very-long-path-pasted-without-spaces/" * 4
    GratitudeFactory(user=alice, moments=f"Sent me {link}")
    page = phone_page
    log_in(page, alice)

    visit(page, reverse("journal:timeline"))
    headline = page.get_by_role("link", name=re.compile("^Sent me"))
    box = headline.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    badge = page.locator(".entry-card").get_by_text("Gratitude", exact=True).bounding_box()
    page.touchscreen.tap(badge["x"] + badge["width"] / 2, badge["y"] + badge["height"] / 2)
    words = page.get_by_text(link)
    words.wait_for()
    box = words.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]


def test_a_bids_round_choices_stand_beside_their_words(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("journal:bid_new"))

    choices = ["My partner", "Me", "Someone close", "Turned toward", "Turned away"]
    assert apart_from_its_words(page, *choices, "Keep private") == []


def test_the_told_them_box_stands_beside_its_words(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("journal:gratitude_new"))

    assert apart_from_its_words(page, "I told them", "Keep private") == []


def test_a_box_to_type_in_stands_apart_from_what_comes_under_it(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("journal:gratitude_new"))

    why, day = "Why are you glad they're in your life?", "Which day is this about?"
    assert touching_what_follows(page, "In a few words:", why, day) == []


def test_offline_a_page_shows_the_offline_page_and_no_journal_page_is_kept(phone_page, alice):
    page = phone_page
    GratitudeFactory(user=alice, moments="Private words")
    log_in(page, alice)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    page.goto(page.base_url + reverse("journal:timeline"))

    page.context.set_offline(True)
    page.goto(page.base_url + reverse("journal:insights"))

    page.get_by_role("heading", name="You are offline").wait_for()
    assert_accessible(page)
    kept = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls.sort();
        }"""
    )
    assert "/offline/" in kept
    assert [url for url in kept if url != "/offline/" and not url.startswith("/static/")] == []
    page.context.set_offline(False)


def test_searching_the_journal_twice_keeps_one_results_list(phone_page, alice):
    GratitudeFactory(user=alice, moments="Tea in the garden")
    GratitudeFactory(user=alice, moments="A walk by the river")
    log_in(phone_page, alice)
    visit(phone_page, reverse("journal:timeline"))

    search = phone_page.get_by_label("Search")
    search.press_sequentially("garden")  # keys, as a person types: the search runs on keyup
    phone_page.wait_for_url(re.compile(r"q=garden"))
    search.fill("")
    search.press_sequentially("river")
    phone_page.wait_for_url(re.compile(r"q=river"))

    results = phone_page.locator("#results")
    assert results.count() == 1
    assert results.get_by_role("link").all_inner_texts() == ["A walk by the river"]
    assert_accessible(phone_page)


def test_searching_the_journal_says_what_it_found_and_keeps_focus_in_the_box(phone_page, alice):
    GratitudeFactory(user=alice, moments="Tea in the garden")
    log_in(phone_page, alice)
    visit(phone_page, reverse("journal:timeline"))
    # A screen reader reads out changes to a live region that was already on the page.
    found = phone_page.get_by_role("status").element_handle()

    search = phone_page.get_by_label("Search")
    search.press_sequentially("garden")
    phone_page.wait_for_url(re.compile(r"q=garden"))
    expect(search).to_be_focused()
    expect(phone_page.get_by_role("status")).to_have_text("1 entry matches.")
    search.fill("")
    search.press_sequentially("river")
    phone_page.wait_for_url(re.compile(r"q=river"))

    expect(search).to_be_focused()
    expect(phone_page.get_by_role("status")).to_have_text(
        "Nothing matches. Try another word or show everything."
    )
    assert found.evaluate("region => region.isConnected")
    assert_accessible(phone_page)


def test_a_draft_kept_before_drafts_had_fingerprints_is_restored_on_a_new_entrys_form(
    phone_page, alice
):
    """Nothing is saved on a new entry's form for the draft to have been typed over: it is
    restored as before, not offered as if what is saved there had changed."""
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("journal:bid_new"))
    old_draft = {"savedAt": "2026-11-30T18:00:00Z", "fields": {"what": "Reached for my hand"}}
    page.evaluate(
        "draft => localStorage.setItem('closer:draft:new-bid', JSON.stringify(draft))", old_draft
    )

    page.reload()

    assert page.get_by_label("What was the bid?").input_value() == "Reached for my hand"
    page.get_by_role("status").filter(has_text="We restored your unsaved draft from").wait_for()
    assert page.get_by_text("You have words from").count() == 0
