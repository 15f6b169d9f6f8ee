"""The weekly check-in: one step a screen, skippable, last week's plan, past check-ins."""

import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from journal.models import Entry
from lessons.models import Progress
from practice import reminders, selectors
from practice.models import CheckInDraft
from tests.conftest import form_token, too_long
from tests.factories import CheckInFactory, LessonFactory
from tests.lessons.pages import visible_text

URL = reverse("practice:check_in_new")
START_OVER = reverse("practice:check_in_start_over")
SUNDAY_EVENING = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
SUNDAY_NIGHT = datetime(2026, 12, 6, 23, 50, tzinfo=UTC)  # 23:50 in London, alice's zone


def _step(client, screen: int | str, data: dict, go: str = "next", *, follow: bool = False):
    """One screen sent; with `follow`, the page the reader then sees."""
    return client.post(URL, {"screen": str(screen), "go": go, **data}, follow=follow)


def _form_values(alice) -> dict:
    return {"day": alice.local_today().isoformat()}


def test_start_screen_shows_the_intro_and_no_plan_question_without_a_past_check_in(
    alice_client,
):
    page = alice_client.get(URL).content.decode()

    assert "Ten minutes, once a week." in page
    assert "Did it happen?" not in page
    assert 'value="next" class="button">Begin</button>' in page


def test_last_weeks_plan_opens_the_next_check_in(alice_client, alice):
    CheckInFactory(
        user=alice, day=alice.local_today() - timedelta(days=7), next_week="Cinema on Friday"
    )

    page = alice_client.get(URL).content.decode()

    assert "Last week you planned: <strong>Cinema on Friday</strong>. Did it happen?" in page


def test_each_screen_asks_one_step_and_carries_the_others(alice_client, alice):
    response = _step(
        alice_client, 1, {**_form_values(alice), "went_well": "A long walk"}, follow=True
    )

    page = response.content.decode()
    assert "<h1>When you felt distant</h1>" in page
    assert "Step 2 of 5" in page
    assert '<input type="hidden" name="went_well" value="A long walk"' in page
    assert Entry.objects.count() == 0


def test_a_skipped_step_is_saved_empty(alice_client, alice):
    _step(
        alice_client,
        4,
        {**_form_values(alice), "went_well": "A long walk", "appreciation": "x"},
        go="skip",
    )

    response = _step(alice_client, 5, {**_form_values(alice), "went_well": "A long walk"})

    assert response.status_code == 302
    assert response["Location"] == reverse("practice:check_in_past")
    saved = Entry.objects.values_list("kind", "went_well", "appreciation", "next_week")
    assert saved.get(user=alice) == ("check_in", "A long walk", "", "")


def test_saving_keeps_last_weeks_plan_and_whether_it_happened(alice_client, alice):
    CheckInFactory(user=alice, day=alice.local_today() - timedelta(days=7), next_week="Cinema")
    data = {
        **_form_values(alice),
        "plan_happened": "partly",
        "plan_note": "We went, but late",
        "next_week": "Cook together",
    }

    _step(alice_client, 5, data)

    saved = Entry.objects.values_list("last_plan", "plan_happened", "plan_note", "next_week")
    assert saved.filter(user=alice).latest("pk") == (
        "Cinema",
        "partly",
        "We went, but late",
        "Cook together",
    )


def test_a_ten_thousand_character_answer_gets_a_message_and_is_kept(alice_client, alice):
    long = "x" * 10_000
    response = _step(alice_client, 5, {**_form_values(alice), "felt_distant": long})

    page = response.content.decode()
    assert "<h1>When you felt distant</h1>" in page  # back on the step with the problem
    assert too_long(3_000, 10_000) in page
    assert long in page
    assert Entry.objects.count() == 0


def test_back_goes_to_the_previous_step_without_messages(alice_client, alice):
    response = _step(
        alice_client, 2, {**_form_values(alice), "felt_distant": "x" * 4000}, go="back", follow=True
    )

    page = response.content.decode()
    assert "<h1>What went well</h1>" in page
    assert "at most 3000" not in page


def test_a_screen_number_in_other_digits_counts_as_the_start(alice_client, alice):
    page = _step(alice_client, "²", _form_values(alice), follow=True).content.decode()

    assert "Step 1 of 5" in page


def test_someone_without_a_partner_is_asked_the_alone_wording(alice_client, alice):
    alice.situation = "single"
    alice.save(update_fields=["situation"])

    page = _step(alice_client, 0, _form_values(alice), follow=True).content.decode()

    assert "What went well with the people close to you this week? One moment is enough." in page


def test_from_a_lesson_the_check_in_marks_it_done(alice_client, alice):
    lesson = LessonFactory(slug="needs-and-check-ins", practice_kind="check_in")

    _step(alice_client, 5, {**_form_values(alice), "lesson_slug": lesson.slug, "need": "Rest"})

    assert Progress.objects.get(user=alice, lesson=lesson).done_at is not None
    assert Entry.objects.get(user=alice).lesson_slug == "needs-and-check-ins"


def test_past_check_ins_read_newest_first(alice_client, alice):
    CheckInFactory(user=alice, day=date(2026, 1, 4), went_well="The first week")
    CheckInFactory(user=alice, day=date(2026, 1, 11), went_well="The second week")

    page = alice_client.get(reverse("practice:check_in_past")).content.decode()

    assert page.index("The second week") < page.index("The first week")
    assert "Week of 11 January 2026" in page


def test_together_page_is_plain_text_with_the_five_questions(alice_client):
    page = alice_client.get(reverse("practice:check_in_together")).content.decode()

    assert "1. What went well between you this week? One moment is enough." in page
    assert "5. What&#x27;s one thing you&#x27;ll do together next week?" in page
    assert 'data-share-from="together-text"' in page


def test_charlie_never_sees_alices_plan(client, alice, charlie):
    CheckInFactory(user=alice, day=alice.local_today() - timedelta(days=7), next_week="Secret plan")
    client.force_login(charlie)

    assert "Secret plan" not in client.get(URL).content.decode()
    assert "Secret plan" not in client.get(reverse("practice:check_in_past")).content.decode()


# A check-in left midway ------------------------------------------------------------------


def _two_steps_answered(client, alice) -> None:
    """Begin, answer the first step, then the second: the page now asks the third."""
    day = _form_values(alice)
    _step(client, 0, day)
    _step(client, 1, {**day, "went_well": "Coffee in bed"})
    _step(client, 2, {**day, "went_well": "Coffee in bed", "felt_distant": "Sunday, I hid"})


def test_a_check_in_left_midway_comes_back_where_it_was_with_its_answers(alice_client, alice):
    _two_steps_answered(alice_client, alice)
    phone = Client()  # later, on another device
    phone.force_login(alice)

    page = phone.get(URL).content.decode()
    back = phone.post(URL, {"screen": "3", "go": "back"}, follow=True).content.decode()

    assert "<h1>One thing you need</h1>" in page
    assert "Step 3 of 5" in page
    assert '<input type="hidden" name="went_well" value="Coffee in bed"' in page
    assert "Your answers are kept as you go" in page
    assert "<h1>When you felt distant</h1>" in back
    assert "\nSunday, I hid</textarea>" in back
    assert Entry.objects.count() == 0


def test_finishing_a_check_in_left_midway_saves_one_entry_with_every_answer(alice_client, alice):
    _two_steps_answered(alice_client, alice)

    for screen in (3, 4):
        _step(alice_client, screen, {**_form_values(alice)}, go="skip")
    response = _step(alice_client, 5, {**_form_values(alice), "next_week": "A picnic"})

    assert response["Location"] == reverse("practice:check_in_past")
    saved = Entry.objects.values_list("went_well", "felt_distant", "need", "next_week")
    assert list(saved.filter(user=alice, kind="check_in")) == [
        ("Coffee in bed", "Sunday, I hid", "", "A picnic")
    ]
    assert not CheckInDraft.objects.exists()
    assert "Your answers are kept" not in alice_client.get(URL).content.decode()


def test_a_screen_sent_from_a_page_the_browser_kept_keeps_the_later_answers(alice_client, alice):
    """The browser's Back button shows the first step's page as it was, without the second
    step's answer among its hidden inputs; sending it on keeps that answer all the same."""
    _two_steps_answered(alice_client, alice)

    _step(alice_client, 1, {**_form_values(alice), "went_well": "Coffee, and a walk"})

    draft = CheckInDraft.objects.get(user=alice)
    assert (draft.screen, draft.answers["went_well"], draft.answers["felt_distant"]) == (
        2,
        ["Coffee, and a walk"],
        ["Sunday, I hid"],
    )


def test_a_refused_answer_is_kept_with_the_check_in_left_midway(alice_client, alice):
    long = "x" * 3001
    _step(alice_client, 2, {**_form_values(alice), "felt_distant": long})

    page = alice_client.get(URL).content.decode()

    assert "<h1>When you felt distant</h1>" in page
    assert too_long(3_000, 3_001) in page
    assert long in page


def test_start_over_asks_first_and_keeps_the_screen_being_typed(alice_client, alice):
    _two_steps_answered(alice_client, alice)

    response = _step(
        alice_client,
        3,
        {**_form_values(alice), "went_well": "Coffee in bed", "need": "Her joke"},
        go="start_over",
        follow=True,
    )

    assert (
        "← Weekly check-in Start over? Your answers so far are deleted. The check-in starts"
        " again from its first screen. Yes, start over Keep my answers"
    ) in visible_text(response.content)
    assert CheckInDraft.objects.get().answers["need"] == ["Her joke"]
    page = alice_client.get(URL).content.decode()  # "Keep my answers"
    assert "Step 3 of 5" in page
    assert ">\nHer joke</textarea>" in page


def test_start_over_without_answers_has_nothing_to_ask(alice_client):
    response = alice_client.get(START_OVER)

    assert response["Location"] == URL


def test_start_over_deletes_the_answers_so_far(alice_client, alice):
    _two_steps_answered(alice_client, alice)

    response = alice_client.post(START_OVER, follow=True)

    page = response.content.decode()
    assert "Your answers so far are deleted. The check-in starts afresh." in page
    assert 'value="next" class="button">Begin</button>' in page
    assert "Coffee in bed" not in page
    assert not CheckInDraft.objects.exists()


def test_a_check_in_left_late_on_sunday_is_offered_on_monday_as_last_weeks(alice_client, alice):
    with time_machine.travel(SUNDAY_NIGHT, tick=False):
        _two_steps_answered(alice_client, alice)

    with time_machine.travel(SUNDAY_NIGHT + timedelta(minutes=15), tick=False):
        page = alice_client.get(URL)
        for screen in (3, 4):
            _step(alice_client, screen, {"day": "2026-12-06"}, go="skip")
        saved = _step(alice_client, 5, {"day": "2026-12-06", "next_week": "A picnic"}, follow=True)

    assert "Step 3 of 5" in page.content.decode()
    assert (
        "You began this check-in last week. Finishing it saves it as last week's, for Sunday "
        "6 December."
    ) in visible_text(page.content)
    assert saved.redirect_chain == [(reverse("practice:check_in_past"), 302)]
    assert list(Entry.objects.values_list("day", "went_well", "next_week")) == [
        (date(2026, 12, 6), "Coffee in bed", "A picnic")
    ]
    assert not CheckInDraft.objects.exists()
    assert reminders.checked_in(user=alice, week_start=date(2026, 11, 30)) is True


def test_a_check_in_left_last_week_is_kept_in_its_week_while_it_is_finished(alice_client, alice):
    with time_machine.travel(SUNDAY_NIGHT, tick=False):
        _two_steps_answered(alice_client, alice)

    with time_machine.travel(SUNDAY_NIGHT + timedelta(days=1), tick=False):
        _step(alice_client, 3, {"day": "2026-12-06", "need": "Sleep"})
        page = alice_client.get(URL).content.decode()

    assert CheckInDraft.objects.get().week_start == date(2026, 11, 30)
    assert '<input type="hidden" name="day" value="2026-12-06"' in page


def test_a_check_in_left_in_an_earlier_week_is_not_picked_up_after_tuesday(alice_client, alice):
    with time_machine.travel(SUNDAY_NIGHT, tick=False):
        _two_steps_answered(alice_client, alice)

    with time_machine.travel(SUNDAY_NIGHT + timedelta(days=2), tick=False):
        tuesday = alice_client.get(URL).content.decode()
    with time_machine.travel(SUNDAY_NIGHT + timedelta(days=3), tick=False):
        wednesday = alice_client.get(URL).content.decode()

    assert "Step 3 of 5" in tuesday
    assert "Ten minutes, once a week." in wednesday
    assert "Coffee in bed" not in wednesday
    assert not CheckInDraft.objects.exists()  # not offered again, so not kept either


def test_keep_private_stays_ticked_when_the_last_step_is_skipped(alice_client, alice):
    _step(alice_client, 4, {**_form_values(alice), "went_well": "Something only for me"})

    _step(alice_client, 5, {**_form_values(alice), "is_private": "on"}, go="skip")

    assert Entry.objects.get(user=alice, kind="check_in").is_private is True


def test_a_check_in_left_midway_is_not_a_check_in(alice_client, alice):
    with time_machine.travel(SUNDAY_EVENING, tick=False):
        _two_steps_answered(alice_client, alice)
        monday = alice.local_today() - timedelta(days=6)

        assert reminders.checked_in(user=alice, week_start=monday) is False
        assert not selectors.check_ins_for(user=alice).exists()
        assert "Coffee in bed" not in alice_client.get(reverse("journal:timeline")).content.decode()


def test_charlie_never_sees_alices_check_in_left_midway(client, alice, charlie, alice_client):
    _two_steps_answered(alice_client, alice)
    client.force_login(charlie)

    page = client.get(URL).content.decode()
    client.post(START_OVER)

    assert "Coffee in bed" not in page and "Your answers are kept" not in page
    assert CheckInDraft.objects.get().user == alice


def test_a_damaged_lesson_link_is_not_kept_and_saving_again_works(alice_client, alice):
    data = {**_form_values(alice), "lesson_slug": "no such lesson!", "need": "Sleep"}

    refused = _step(alice_client, 5, data)
    saved = _step(alice_client, 5, data)  # the draft keeps the answers, not the damaged link

    assert "The link to the lesson this came from was damaged" in refused.content.decode()
    assert saved["Location"] == reverse("practice:check_in_past")
    assert Entry.objects.values_list("need", "lesson_slug").get(user=alice) == ("Sleep", "")


# A screen sent from a tab left open -------------------------------------------------------

CHANGED = "This check-in changed since this page opened"


def _seen_on(page: bytes) -> str:
    """What a screen shown was shown from, as its hidden input carries it."""
    return re.search(r'name="seen" value="([^"]*)"', page.decode()).group(1)


def test_a_screen_sent_from_before_start_over_brings_no_answer_back(alice_client, alice):
    _two_steps_answered(alice_client, alice)
    seen = _seen_on(alice_client.get(URL).content)  # a second tab, open on the third step
    alice_client.post(START_OVER)

    old_tab = {**_form_values(alice), "went_well": "Coffee in bed", "need": "Her joke"}
    response = _step(alice_client, 3, {**old_tab, "seen": seen})

    page = visible_text(response.content)
    assert "One thing you need" in page and CHANGED in page
    assert ">\nHer joke</textarea>" in response.content.decode()
    assert "Coffee in bed" not in response.content.decode()
    assert not CheckInDraft.objects.exists()


def test_sent_again_the_refused_screen_keeps_only_what_was_typed_on_it(alice_client, alice):
    _two_steps_answered(alice_client, alice)
    seen = _seen_on(alice_client.get(URL).content)
    alice_client.post(START_OVER)
    old_tab = {**_form_values(alice), "went_well": "Coffee in bed", "need": "Her joke"}
    refused = _step(alice_client, 3, {**old_tab, "seen": seen})

    again = {**_form_values(alice), "need": "Her joke", "seen": _seen_on(refused.content)}
    _step(alice_client, 3, again)

    draft = CheckInDraft.objects.get(user=alice)
    assert (draft.screen, draft.answers["need"], draft.answers["went_well"]) == (
        4,
        ["Her joke"],
        [],
    )


def test_a_screen_answered_on_another_device_since_is_not_replaced(alice_client, alice):
    _two_steps_answered(alice_client, alice)
    seen = _seen_on(alice_client.get(URL).content)  # this tab, open on the third step
    phone = Client()
    phone.force_login(alice)
    phone_seen = _seen_on(phone.get(URL).content)
    _step(phone, 3, {**_form_values(alice), "need": "Rest", "seen": phone_seen})

    response = _step(alice_client, 3, {**_form_values(alice), "need": "Her joke", "seen": seen})

    assert CHANGED in visible_text(response.content)
    assert ">\nHer joke</textarea>" in response.content.decode()
    draft = CheckInDraft.objects.get(user=alice)
    assert (draft.screen, draft.answers["need"]) == (4, ["Rest"])


def test_an_old_tabs_screen_sent_as_it_was_goes_on_with_the_newer_answers(alice_client, alice):
    """Nothing this screen sends differs from the answers kept: nothing is lost, so it goes
    on, whatever changed on other screens."""
    _two_steps_answered(alice_client, alice)
    seen = _seen_on(alice_client.get(URL).content)
    phone = Client()
    phone.force_login(alice)
    _step(phone, 3, {**_form_values(alice), "need": "", "seen": _seen_on(phone.get(URL).content)})

    _step(alice_client, 3, {**_form_values(alice), "need": "", "seen": seen})

    draft = CheckInDraft.objects.get(user=alice)
    assert (draft.screen, draft.answers["went_well"]) == (4, ["Coffee in bed"])


# One check-in a week, however many tabs -------------------------------------------------

LAST_SCREEN = {"screen": "5", "go": "next"}


def _two_tabs(alice) -> tuple[Client, Client]:
    """Two tabs of alice's, each on the last screen of the check-in."""
    tabs = (Client(), Client())
    for tab in tabs:
        tab.force_login(alice)
        tab.get(URL)
    return tabs


def test_the_same_check_in_saved_from_two_tabs_is_saved_once(alice, monkeypatch):
    first, second = _two_tabs(alice)
    data = {**LAST_SCREEN, **_form_values(alice), "went_well": "Coffee in bed"}

    first.post(URL, data)
    response = second.post(URL, data, follow=True)

    assert list(Entry.objects.values_list("went_well", flat=True)) == ["Coffee in bed"]
    page = visible_text(response.content)
    assert "This week's check-in was saved already, so this one was not." in page
    assert "This week's check-in is saved One check-in a week." in page
    assert "What went wellCoffee in bed" in page
    assert "Not saved" not in page
    assert not CheckInDraft.objects.exists()  # nothing in it the check-in does not hold


def test_a_second_tabs_other_words_are_shown_beside_the_check_in_saved(alice):
    first, second = _two_tabs(alice)
    day = _form_values(alice)

    first.post(URL, {**LAST_SCREEN, **day, "went_well": "Coffee in bed"})
    response = second.post(URL, {**LAST_SCREEN, **day, "went_well": "A walk", "need": "Sleep"})
    page = second.get(response["Location"])  # and again on any visit, until deleted

    assert list(Entry.objects.values_list("went_well", "need")) == [("Coffee in bed", "")]
    words = visible_text(page.content)
    assert "What went wellCoffee in bed" in words
    assert "Not saved: words from another page" in words
    assert "\nA walk</textarea>" in page.content.decode()
    assert "\nSleep</textarea>" in page.content.decode()
    deleted = second.post(START_OVER, follow=True)
    assert "Those words are deleted. Your saved check-in is as it was." in visible_text(
        deleted.content
    )
    assert "A walk" not in deleted.content.decode()
    assert Entry.objects.get().went_well == "Coffee in bed"


def test_the_check_in_page_shows_this_weeks_once_it_is_saved(alice_client, alice):
    entry = CheckInFactory(user=alice, day=alice.local_today(), went_well="Coffee in bed")

    page = alice_client.get(URL).content.decode()

    assert "<h1>This week's check-in is saved</h1>" in page
    assert f'href="{reverse("journal:entry_edit", args=[entry.pk])}">Change it</a>' in page
    assert "Begin</button>" not in page


def test_a_step_sent_from_a_tab_opened_before_the_check_in_was_saved_keeps_its_words(
    alice_client, alice
):
    """The other tab was on the second step; its words go with the saved check-in's page."""
    other = Client()
    other.force_login(alice)
    _step(alice_client, 5, {**_form_values(alice), "went_well": "Coffee in bed"})

    page = _step(other, 2, {**_form_values(alice), "felt_distant": "Sunday, I hid"}, follow=True)

    assert "<h1>This week's check-in is saved</h1>" in page.content.decode()
    assert "\nSunday, I hid</textarea>" in page.content.decode()
    assert Entry.objects.count() == 1


def test_two_check_ins_saved_at_the_same_moment_make_one(transactional_db, alice, monkeypatch):
    """On real PostgreSQL: the first is not committed yet when the second is saved; the lock
    on alice's row makes the second wait, then see the first."""
    from practice import services
    from tests.races import Race
    from tests.services import require_postgres

    require_postgres()
    tabs = _two_tabs(alice)
    race = Race()
    discard = services.check_in_draft_discard  # called before the first save commits
    monkeypatch.setattr(services, "check_in_draft_discard", race.pause_before(discard, thread="1"))

    def save(tab: Client, went_well: str) -> None:
        tab.post(URL, {**LAST_SCREEN, **_form_values(alice), "went_well": went_well})

    race.start("1", lambda: save(tabs[0], "Coffee in bed"))
    assert race.paused.wait(timeout=20)
    race.start("2", lambda: save(tabs[1], "A walk"))

    assert race.finish() == {"1": "done", "2": "done"}
    assert list(Entry.objects.values_list("went_well", flat=True)) == ["Coffee in bed"]
    assert CheckInDraft.objects.get().answers["went_well"] == ["A walk"]


def _last_screen_shown(client, alice) -> dict:
    """The check-in's last screen as a tab shows it: its token, day and what it was shown from."""
    _two_steps_answered(client, alice)
    for screen in (3, 4):
        _step(client, screen, _form_values(alice), go="skip")
    page = client.get(URL)
    return {**LAST_SCREEN, **_form_values(alice), "submission": form_token(page)} | {
        "seen": _seen_on(page.content)
    }


def test_the_last_screen_sent_twice_leads_both_times_to_the_check_in_saved(alice_client, alice):
    """A double tap on "Save check-in": the second copy finds the draft gone with the save,
    and is led where the first was rather than told the check-in changed elsewhere."""
    shown = {**_last_screen_shown(alice_client, alice), "next_week": "A picnic"}

    first = alice_client.post(URL, shown)
    second = alice_client.post(URL, shown, follow=True)

    assert first["Location"] == reverse("practice:check_in_past")
    assert second.redirect_chain == [(reverse("practice:check_in_past"), 302)]
    page = visible_text(second.content)
    assert CHANGED not in page
    assert "Saved your weekly check-in." in page
    assert list(Entry.objects.values_list("went_well", "next_week")) == [
        ("Coffee in bed", "A picnic")
    ]


def test_a_screen_from_before_the_check_in_was_saved_elsewhere_leads_to_it_with_its_words(
    alice_client, alice
):
    _two_steps_answered(alice_client, alice)
    seen = _seen_on(alice_client.get(URL).content)  # a second tab, open on the third step
    _step(alice_client, 5, _form_values(alice))  # saved from the first

    old_tab = {**_form_values(alice), "need": "Her joke", "seen": seen}
    page = _step(alice_client, 3, old_tab, follow=True)

    words = visible_text(page.content)
    assert page.redirect_chain == [(URL, 302)]
    assert "This week's check-in was saved already, so this one was not." in words
    assert "This week's check-in is saved" in words and CHANGED not in words
    assert "\nHer joke</textarea>" in page.content.decode()
    assert list(Entry.objects.values_list("went_well", "need")) == [("Coffee in bed", "")]


def test_a_tab_left_on_last_weeks_check_in_saved_elsewhere_keeps_its_words_in_that_week(
    alice_client, alice
):
    """Finished on Monday in another tab as last week's: this tab's last screen is not saved
    as this week's check-in, but shown beside last week's."""
    with time_machine.travel(SUNDAY_NIGHT, tick=False):
        shown = _last_screen_shown(alice_client, alice)
    with time_machine.travel(SUNDAY_NIGHT + timedelta(hours=10), tick=False):
        _step(alice_client, 5, {"day": "2026-12-06", "next_week": "A picnic"})
        page = alice_client.post(URL, {**shown, "next_week": "The cinema"}, follow=True)

    words = visible_text(page.content)
    assert "Last week's check-in was saved already, so this one was not." in words
    assert "Last week's check-in is saved" in words
    assert "\nThe cinema</textarea>" in page.content.decode()
    assert list(Entry.objects.values_list("day", "next_week")) == [(date(2026, 12, 6), "A picnic")]
    assert CheckInDraft.objects.get().week_start == date(2026, 11, 30)
