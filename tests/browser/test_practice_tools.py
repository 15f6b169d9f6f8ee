"""The practice tools over weeks on a phone (390 by 844), through visible labels, axe on every
page: a weekly check-in to the timeline, the four abilities twice, love languages, a ladder."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from journal.models import Entry
from practice.content import four_abilities
from practice.models import CheckInDraft
from tests.browser.conftest import assert_accessible, too_small_to_tap, visit
from tests.browser.test_journal import log_in
from tests.factories import CheckInFactory, RungFactory

pytestmark = pytest.mark.browser


def _check_in_begun(page, user, went_well: str) -> None:
    """Logged in, the check-in begun and its first step answered."""
    log_in(page, user)
    visit(page, reverse("practice:check_in_new"))
    page.get_by_role("button", name="Begin").tap()
    page.get_by_label("What went well between you this week?").fill(went_well)
    assert_accessible(page)
    page.get_by_role("button", name="Next").tap()


def test_a_weekly_check_in_from_its_page_to_the_timeline(phone_page, alice):
    page = phone_page
    _check_in_begun(page, alice, "Breakfast in the garden")
    page.get_by_role("button", name="Skip this one", exact=True).tap()  # when I felt distant
    page.get_by_label("What's one thing you need from them").fill("An hour to myself on Sunday")
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Back").tap()
    assert page.get_by_label("What's one thing you need from them").input_value() == (
        "An hour to myself on Sunday"
    )
    page.get_by_role("button", name="Next").tap()
    page.get_by_role("button", name="Skip this one", exact=True).tap()  # appreciation
    page.get_by_text("Step 5 of 5").wait_for()
    page.get_by_label("What's one thing you'll do together next week?").fill("Cook a curry")
    assert_accessible(page)
    page.get_by_role("button", name="Save check-in").tap()

    page.get_by_text("Saved your weekly check-in.").wait_for()
    page.get_by_role("heading", name="Past check-ins").wait_for()
    assert_accessible(page)
    saved = Entry.objects.values_list("went_well", "felt_distant", "need", "next_week")
    assert saved.get(user=alice) == (
        "Breakfast in the garden",
        "",
        "An hour to myself on Sunday",
        "Cook a curry",
    )
    timeline = page.locator(".check-in-timeline").inner_text()
    assert "Breakfast in the garden" in timeline and "Cook a curry" in timeline
    page.get_by_role("link", name="← Weekly check-in").tap()  # one a week: it shows this one
    page.get_by_role("heading", name="This week's check-in is saved").wait_for()
    page.get_by_role("link", name="Change it").wait_for()
    assert_accessible(page)


def test_a_weekly_check_in_left_midway_comes_back_after_a_reload(phone_page, alice):
    page = phone_page
    _check_in_begun(page, alice, "Pancakes together")
    page.get_by_label("When, if at all, did you feel far").fill("Tuesday, after the call")
    page.get_by_role("button", name="Next").tap()
    page.get_by_text("Step 3 of 5").wait_for()

    page.reload()

    page.get_by_text("Step 3 of 5").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Back").tap()
    assert page.get_by_label("When, if at all, did you feel far").input_value() == (
        "Tuesday, after the call"
    )
    page.get_by_role("button", name="Back").tap()
    assert page.get_by_label("What went well between you this week?").input_value() == (
        "Pancakes together"
    )
    page.get_by_role("button", name="Start over").tap()
    page.get_by_role("heading", name="Start over?").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Keep my answers").tap()  # one tap only asked
    assert page.get_by_label("What went well between you this week?").input_value() == (
        "Pancakes together"
    )
    page.get_by_role("button", name="Start over").tap()
    page.get_by_role("button", name="Yes, start over").tap()
    page.get_by_text("Your answers so far are deleted.").wait_for()
    assert_accessible(page)
    assert page.get_by_role("button", name="Begin").is_visible()
    assert not Entry.objects.filter(user=alice).exists()


def test_a_tab_left_open_brings_no_answer_back_after_start_over(phone_page, alice):
    page = phone_page
    _check_in_begun(page, alice, "Pancakes together")
    other = page.context.new_page()  # a second tab, open on the same step
    other.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    other.goto(page.url)
    page.get_by_role("button", name="Start over").tap()
    page.get_by_role("button", name="Yes, start over").tap()
    page.get_by_text("Your answers so far are deleted.").wait_for()

    other.get_by_label("When, if at all, did you feel far").fill("Tuesday, after the call")
    other.get_by_role("button", name="Next").tap()

    other.get_by_role("alert").filter(has_text="This check-in changed since").wait_for()
    assert_accessible(other)
    assert other.get_by_label("When, if at all, did you feel far").input_value() == (
        "Tuesday, after the call"
    )
    assert not CheckInDraft.objects.exists()
    other.get_by_role("button", name="Next").tap()
    other.get_by_text("Step 3 of 5").wait_for()
    assert CheckInDraft.objects.get(user=alice).answers["went_well"] == [""]


def _take_four_abilities(page, per_ability: list[int]) -> None:
    visit(page, reverse("practice:four_abilities_new"))
    content = four_abilities()
    scale = dict(content.scale)
    for ability, rating in zip(content.abilities, per_ability, strict=True):
        for statement in ability.statements:
            group = page.get_by_role("group", name=statement)
            group.get_by_label(f"{rating} · {scale[rating]}").check()
    page.get_by_role("button", name="See my result").tap()
    page.get_by_text("Saved your four abilities self-check.").wait_for()
    assert_accessible(page)


def test_four_abilities_taken_twice_and_the_change_drawn(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    _take_four_abilities(page, [2, 3, 4, 3])
    first = Entry.objects.get(user=alice)
    Entry.objects.filter(pk=first.pk).update(day=first.day - timedelta(days=31))

    _take_four_abilities(page, [3, 3, 4, 4])

    page.get_by_role("heading", name="Seeking care: 3.0 of 5").wait_for()
    visit(page, reverse("journal:insights"))
    chart = page.get_by_role("img", name="The four abilities, take by take")
    assert chart.locator("polyline").count() == 4
    assert "Seeking care: 2 then 3; Giving care: 3 then 3; Comfortable autonomy: 4 then 4; " in (
        page.locator("#insights-abilities-summary").inner_text()
    )


def test_a_love_languages_order_saved_and_its_suggestion_shown(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("practice:love_languages_new"))
    mine = page.get_by_role("group", name=re.compile("^For you:"))
    theirs = page.get_by_role("group", name=re.compile("^For your partner"))
    for place, name in zip(
        ("1st", "2nd", "3rd", "4th", "5th"),
        ("Quality time", "Words of affirmation", "Physical touch", "Acts of service", "Gifts"),
        strict=True,
    ):
        mine.get_by_label(place).select_option(label=name)
    for place, name in zip(
        ("1st", "2nd", "3rd", "4th", "5th"),
        ("Gifts", "Quality time", "Words of affirmation", "Physical touch", "Acts of service"),
        strict=True,
    ):
        theirs.get_by_label(place).select_option(label=name)
    page.get_by_role("button", name="Save and see a suggestion").tap()

    page.get_by_text("Saved your love languages.").wait_for()
    assert_accessible(page)
    suggestion = page.get_by_role("region", name="One thing to do this week")
    assert suggestion.locator(".suggestion").inner_text() == (
        "Pick up a snack or treat you know they like while you're out anyway."
    )
    entry = Entry.objects.get(user=alice)
    assert entry.my_order == ["time", "words", "touch", "acts", "gifts"]


def test_a_ladder_of_three_rungs_built_one_ticked(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    visit(page, reverse("practice:ladder"))
    for text in ("Ask a friend for help moving", "Share a worry with my sister", "Say I'm hurt"):
        page.get_by_label("What will you share?").fill(text)
        page.get_by_role("button", name="Add to my ladder").tap()
        page.get_by_text("Added to your ladder.").wait_for()
    with page.expect_navigation():
        page.get_by_role(
            "button", name="Move to a harder place: Ask a friend for help moving"
        ).tap()
    assert_accessible(page)
    assert page.locator(".rung-text").all_inner_texts() == [
        "Share a worry with my sister",
        "Ask a friend for help moving",
        "Say I'm hurt",
    ]

    page.get_by_role("link", name="Done it: Share a worry with my sister").tap()
    page.get_by_role("heading", name="You took a rung").wait_for()
    assert_accessible(page)
    page.get_by_label("How did it go? (optional)").fill("She hugged me")
    page.get_by_role("group", name="How nervous were you before?").get_by_label("7").check()
    page.get_by_role("group", name="And after?").get_by_label("2").check()
    page.get_by_role("button", name="Tick it off").tap()

    page.get_by_role("heading", name="Rung done").wait_for()
    assert_accessible(page)
    rungs = Entry.objects.filter(user=alice, kind="rung")  # its text is sealed: read, then match
    [rung] = [r for r in rungs if r.rung_text == "Share a worry with my sister"]
    assert (rung.how_it_went, rung.feeling_before, rung.feeling_after) == ("She hugged me", 7, 2)
    next_rung = page.get_by_role("region", name="Your next rung, when you are ready")
    assert next_rung.locator("p").inner_text() == "Ask a friend for help moving"


def test_the_tools_links_on_a_line_of_their_own_are_big_enough_to_tap(phone_page, alice):
    CheckInFactory(user=alice)
    RungFactory(user=alice, rung_text="Say I missed them")
    RungFactory(user=alice, rung_text="Ask for a hug")
    page = phone_page
    log_in(page, alice)

    visit(page, reverse("practice:check_in_past"))
    assert too_small_to_tap(page, "← Weekly check-in", "Open, edit or delete") == []
    visit(page, reverse("practice:self_checks"))
    assert too_small_to_tap(page, "Your self-checks over time") == []
    visit(page, reverse("practice:ladder"))
    assert too_small_to_tap(page, "Open: Say I missed them", "Open: Ask for a hug") == []
    visit(page, reverse("home:profile"))
    assert too_small_to_tap(page, "Change your password", "Delete your account") == []
