"""Each practice tool's form sent twice (a double tap on Save, a retried POST) keeps one
entry, and both answers lead where the first did."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from journal import search
from journal.models import Entry
from nudges.models import OneOffReminder
from practice import selectors
from practice.services import LADDER_MAX
from tests.conftest import form_token
from tests.factories import RungFactory
from tests.races import Race
from tests.services import require_postgres

NOW = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)
TODAY = "2026-12-01"
ORDER = ["time", "words", "touch", "acts", "gifts"]
LADDER = reverse("practice:ladder")
FIRST_RUNGS = reverse("practice:ladder_first_rungs")
# Suggestions 0 and 3, as ticked on the ladder's "Suggested first rungs".
TWO_SUGGESTIONS = [
    "Give your honest opinion about a film, a book or a meal when you'd usually just go along.",
    "Ask for help with something small you'd normally manage alone.",
]


def _entry_url(entry: Entry) -> str:
    return reverse("journal:entry_detail", args=[entry.pk])


def _result_url(entry: Entry) -> str:
    return reverse("practice:self_check_result", args=[entry.pk])


# Each tool: the page that shows its form, where the form is sent, what is in it, the kind
# of entry it makes, and where the answer leads.
TOOLS = {
    "break": (
        "practice:break_new",
        "practice:break_new",
        {"choice": "this_evening"},
        "break",
        _entry_url,
    ),
    "the day's question": (
        "practice:answer_new",
        "practice:answer_new",
        {"answer": "A walk by the sea"},
        "answer",
        _entry_url,
    ),
    "weekly check-in": (
        "practice:check_in_new",
        "practice:check_in_new",
        {"screen": "5", "go": "next", "day": TODAY, "went_well": "A long walk"},
        "check_in",
        lambda entry: reverse("practice:check_in_past"),
    ),
    "four abilities": (
        "practice:four_abilities_new",
        "practice:four_abilities_new",
        {f"rating_{n}": "3" for n in range(20)},
        "four_abilities",
        _result_url,
    ),
    "love languages": (
        "practice:love_languages_new",
        "practice:love_languages_new",
        {f"{who}_{n}": key for who in ("mine", "theirs") for n, key in enumerate(ORDER, 1)},
        "love_languages",
        _result_url,
    ),
    "ladder rung": (
        "practice:ladder",
        "practice:rung_new",
        {"day": TODAY, "rung_text": "Say I disagree", "who": "friend"},
        "rung",
        lambda entry: reverse("practice:ladder") + "#ladder",
    ),
}


@pytest.mark.parametrize(("page", "action", "data", "kind", "leads_to"), TOOLS.values(), ids=TOOLS)
def test_a_tools_form_sent_twice_keeps_one_entry(
    alice_client, alice, page, action, data, kind, leads_to
):
    with time_machine.travel(NOW, tick=False):
        token = form_token(alice_client.get(reverse(page)))
        first = alice_client.post(reverse(action), {**data, "submission": token})
        second = alice_client.post(reverse(action), {**data, "submission": token})

    entry = Entry.objects.get(user=alice)
    assert entry.kind == kind
    assert (first["Location"], second["Location"]) == (leads_to(entry), leads_to(entry))


def test_a_break_sent_twice_sets_one_reminder(alice_client, alice):
    with time_machine.travel(NOW, tick=False):
        token = form_token(alice_client.get(reverse("practice:break_new")))
        for _ in range(2):
            alice_client.post(
                reverse("practice:break_new"), {"choice": "this_evening", "submission": token}
            )

    entry = Entry.objects.get(user=alice)
    reminder = OneOffReminder.objects.get(user=alice)
    assert (reminder.key, reminder.due_at) == (str(entry.pk), entry.return_at)


def test_a_break_sent_again_after_it_was_called_off_stays_called_off(alice_client, alice):
    """The reminder of the break the form made is not set again by a late second copy."""
    with time_machine.travel(NOW, tick=False):
        token = form_token(alice_client.get(reverse("practice:break_new")))
        data = {"choice": "this_evening", "submission": token}
        alice_client.post(reverse("practice:break_new"), data)
        entry = Entry.objects.get(user=alice)
        alice_client.post(reverse("practice:break_cancel", args=[entry.pk]))

        alice_client.post(reverse("practice:break_new"), data)

    assert OneOffReminder.objects.get(user=alice).status == "cancelled"


def test_a_tools_form_without_its_token_saves_each_time_it_is_sent(alice_client, alice):
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):
            alice_client.post(reverse("practice:answer_new"), {"answer": "A walk by the sea"})

    assert Entry.objects.filter(user=alice, kind="answer").count() == 2


def test_each_check_in_screen_has_a_token_of_its_own_and_its_last_sent_twice_saves_once(
    alice_client, alice
):
    """Each screen is shown afresh from the draft, with a token of its own: a screen kept in
    the browser's history and sent on after the check-in was saved is told the week's
    check-in is saved, with its new words beside it, rather than being given back the saved
    one as if it were its own, without its new words."""
    url = reverse("practice:check_in_new")
    first = form_token(alice_client.get(url))

    shown = alice_client.post(url, {"screen": "0", "go": "next", "submission": first}, follow=True)
    token = form_token(shown)
    last = {"screen": "5", "go": "next", "day": alice.local_today(), "submission": token}
    for _ in range(2):
        alice_client.post(url, {**last, "went_well": "A walk"})

    assert token != first
    assert Entry.objects.filter(user=alice, kind="check_in").count() == 1


def _said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _rung_texts(user) -> list[str]:
    return list(selectors.rungs_for(user=user).values_list("rung_text", flat=True))


def _first_rungs_form(client) -> dict:
    """Suggestions 0 and 3 ticked on a ladder page just opened, with its token."""
    token = form_token(client.get(LADDER), action=FIRST_RUNGS)
    return {"rung": ["0", "3"], "submission": token}


def test_the_suggested_first_rungs_sent_twice_make_one_set(alice_client, alice):
    data = _first_rungs_form(alice_client)

    first = alice_client.post(FIRST_RUNGS, data, follow=True)
    second = alice_client.post(FIRST_RUNGS, data, follow=True)

    assert _rung_texts(alice) == TWO_SUGGESTIONS
    assert second.redirect_chain == first.redirect_chain == [(LADDER + "#ladder", 302)]
    assert _said(second) == ["Added 2 to your ladder. Change any of them to fit you."]


def test_the_suggested_first_rungs_sent_again_once_they_filled_the_ladder_answer_as_before(
    alice_client, alice
):
    """The second copy's rungs are the first's, so they need no room of their own."""
    RungFactory.create_batch(LADDER_MAX - 2, user=alice)
    data = _first_rungs_form(alice_client)

    first = alice_client.post(FIRST_RUNGS, data, follow=True)
    second = alice_client.post(FIRST_RUNGS, data, follow=True)

    assert Entry.objects.filter(user=alice).count() == LADDER_MAX
    assert second.redirect_chain == first.redirect_chain
    assert _said(second) == ["Added 2 to your ladder. Change any of them to fit you."]


def test_the_suggested_first_rungs_ticked_again_on_a_new_page_are_added_again(alice_client, alice):
    for _ in range(2):
        alice_client.post(FIRST_RUNGS, _first_rungs_form(alice_client))

    assert _rung_texts(alice) == TWO_SUGGESTIONS * 2


def test_the_last_rung_a_ladder_holds_sent_twice_answers_as_the_first_did(alice_client, alice):
    RungFactory.create_batch(LADDER_MAX - 1, user=alice)
    with time_machine.travel(NOW, tick=False):
        token = form_token(alice_client.get(LADDER))
        data = {"day": TODAY, "rung_text": "Say I disagree", "who": "friend", "submission": token}
        first = alice_client.post(reverse("practice:rung_new"), data, follow=True)
        second = alice_client.post(reverse("practice:rung_new"), data, follow=True)

    assert Entry.objects.filter(user=alice).count() == LADDER_MAX
    assert second.redirect_chain == first.redirect_chain == [(LADDER + "#ladder", 302)]
    assert _said(second) == ["Added to your ladder."]


def test_the_suggested_first_rungs_sent_twice_at_once_make_one_set(
    transactional_db, alice, monkeypatch
):
    """The first copy's rungs are not committed yet when the second comes: the unique index
    makes the second wait, and it answers with the first's set rather than a second set."""
    require_postgres()
    opened = Client()
    opened.force_login(alice)
    data = _first_rungs_form(opened)
    race, answers = Race(), {}
    # The search index is written in the same transaction as each rung, before it commits.
    monkeypatch.setattr(search, "entry_index", race.pause_before(search.entry_index, thread="1"))

    def send(name: str) -> None:
        browser = Client()
        browser.force_login(alice)
        answers[name] = browser.post(FIRST_RUNGS, data)["Location"]

    race.start("1", lambda: send("1"))
    assert race.paused.wait(timeout=20)
    race.start("2", lambda: send("2"))

    assert race.finish() == {"1": "done", "2": "done"}
    assert _rung_texts(alice) == TWO_SUGGESTIONS
    assert answers == {"1": LADDER + "#ladder", "2": LADDER + "#ladder"}


def test_a_break_sent_again_when_its_choice_no_longer_holds_gets_back_its_break(
    alice_client, alice
):
    """A phone that resends the form late: "this evening" can no longer be picked so near
    the evening, yet it is the same break, not a refusal nor a form with an error."""
    with time_machine.travel(NOW, tick=False) as clock:
        token = form_token(alice_client.get(reverse("practice:break_new")))
        data = {"choice": "this_evening", "submission": token}
        alice_client.post(reverse("practice:break_new"), data)
        entry = Entry.objects.get(user=alice)
        clock.move_to(entry.return_at - timedelta(minutes=10))

        again = alice_client.post(reverse("practice:break_new"), data, follow=True)

    assert again.redirect_chain == [(reverse("journal:entry_detail", args=[entry.pk]), 302)]
    assert "no second one was started" not in again.content.decode()
    assert Entry.objects.filter(user=alice).count() == 1
