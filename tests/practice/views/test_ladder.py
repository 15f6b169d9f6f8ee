"""The vulnerability ladder: rungs in order, moved by buttons, ticked with how it went."""

import pytest
from django.test import Client
from django.urls import reverse

from journal import search
from journal.models import Entry
from practice import selectors
from practice.services import LADDER_MAX
from tests.conftest import form_token, too_long
from tests.factories import LessonFactory, ModuleFactory, RungFactory
from tests.races import Race
from tests.services import require_postgres

LADDER = reverse("practice:ladder")
FULL = "Your ladder has 30 rungs, the most it can hold. Tick or delete one before adding another."


def _add(client, alice, text: str, who: str = "friend"):
    day = alice.local_today().isoformat()
    return client.post(reverse("practice:rung_new"), {"day": day, "rung_text": text, "who": who})


def _texts(alice) -> list[str]:
    return list(selectors.rungs_for(user=alice).values_list("rung_text", flat=True))


def test_rungs_are_added_in_order_and_moved_with_buttons(alice_client, alice):
    for text in ("Say I disagree", "Share a worry", "Ask for help"):
        assert _add(alice_client, alice, text).status_code == 302
    rung = next(e for e in Entry.objects.filter(user=alice) if e.rung_text == "Ask for help")

    alice_client.post(reverse("practice:rung_move", args=[rung.pk]), {"direction": "easier"})
    alice_client.post(reverse("practice:rung_move", args=[rung.pk]), {"direction": "easier"})

    assert _texts(alice) == ["Ask for help", "Say I disagree", "Share a worry"]
    page = alice_client.get(LADDER).content.decode()
    assert page.index("Ask for help") < page.index("Say I disagree") < page.index("Share a worry")


def test_the_easiest_rung_cannot_move_easier(alice_client, alice):
    rung = RungFactory(user=alice)

    response = alice_client.post(
        reverse("practice:rung_move", args=[rung.pk]), {"direction": "easier"}, follow=True
    )

    assert "That rung is already the easiest." in response.content.decode()


def test_suggested_first_rungs_are_copied_onto_the_ladder(alice_client, alice):
    alice_client.post(reverse("practice:ladder_first_rungs"), {"rung": ["0", "3"]})

    assert _texts(alice) == [
        "Give your honest opinion about a film, a book or a meal when you'd usually just go along.",
        "Ask for help with something small you'd normally manage alone.",
    ]


def test_a_suggestion_number_in_other_digits_is_not_a_suggestion(alice_client, alice):
    response = alice_client.post(
        reverse("practice:ladder_first_rungs"), {"rung": ["²"]}, follow=True
    )

    assert "Tick at least one suggestion to add it." in response.content.decode()
    assert _texts(alice) == []


def test_a_ladder_holds_thirty_rungs_and_says_so(alice_client, alice):
    RungFactory.create_batch(LADDER_MAX, user=alice)

    page = _add(alice_client, alice, "One more").content.decode()

    assert FULL in page
    assert "One more</textarea>" in page
    assert Entry.objects.filter(user=alice).count() == LADDER_MAX


def test_a_ten_thousand_character_rung_is_refused_and_kept(alice_client, alice):
    page = _add(alice_client, alice, "y" * 10_000).content.decode()

    assert too_long(3_000, 10_000) in page
    assert "y" * 10_000 in page
    assert not Entry.objects.exists()


def test_an_empty_rung_is_refused_in_plain_words(alice_client, alice):
    page = _add(alice_client, alice, "").content.decode()

    assert "Write what you will share: a few words are enough." in page
    assert "This field is required." not in page
    assert not Entry.objects.exists()


def test_ticking_a_rung_keeps_how_it_went_and_offers_the_next_lesson(alice_client, alice):
    module = ModuleFactory(slug="vulnerability")
    LessonFactory(module=module, slug="safe-and-open", title="Safe people, open heart")
    rung, following = RungFactory(user=alice), RungFactory(user=alice, rung_text="Say no")

    response = alice_client.post(
        reverse("practice:rung_done", args=[rung.pk]),
        {"how_it_went": "She listened", "feeling_before": "8", "feeling_after": "3"},
        follow=True,
    )

    rung.refresh_from_db()
    assert (rung.done_on, rung.how_it_went, rung.feeling_before, rung.feeling_after) == (
        alice.local_today(),
        "She listened",
        8,
        3,
    )
    page = response.content.decode()
    assert "Your next rung, when you are ready" in page and "Say no" in page
    assert '<a href="/lessons/safe-and-open/">Safe people, open heart</a>' in page
    assert selectors.next_rung(alice) == following


def test_a_feeling_out_of_range_gets_a_message_and_keeps_the_note(alice_client, alice):
    rung = RungFactory(user=alice)

    page = alice_client.post(
        reverse("practice:rung_done", args=[rung.pk]),
        {"how_it_went": "Kept note", "feeling_before": "11"},
    ).content.decode()

    assert "Select a valid choice. 11 is not one of the available choices." in page or (
        "Pick a number from 0 to 10." in page
    )
    assert "Kept note</textarea>" in page
    rung.refresh_from_db()
    assert rung.done_on is None


def test_charlie_gets_404_for_alices_rung(client, alice, charlie):
    rung = RungFactory(user=alice)
    client.force_login(charlie)

    assert client.get(reverse("practice:rung_done", args=[rung.pk])).status_code == 404
    response = client.post(reverse("practice:rung_move", args=[rung.pk]), {"direction": "up"})
    assert response.status_code == 404


def test_a_lesson_whose_practice_is_the_ladder_opens_it_and_a_tick_marks_it_done(
    alice_client, alice
):
    lesson = LessonFactory(slug="vulnerability-small-steps", practice_kind="rung")
    rung = RungFactory(user=alice)

    page = alice_client.get(lesson.get_absolute_url()).content.decode()
    alice_client.post(reverse("practice:rung_done", args=[rung.pk]), {"lesson_slug": lesson.slug})

    assert 'href="/journal/ladder/?lesson=vulnerability-small-steps"' in page
    assert alice.lesson_progress.get(lesson=lesson).done_at is not None


def test_done_it_is_the_main_button_and_moving_a_rung_says_where_it_goes(alice_client, alice):
    first = RungFactory(user=alice, rung_text="Tell Sam", position=1)
    RungFactory(user=alice, rung_text="Tell Jo", position=2)

    page = alice_client.get(reverse("practice:ladder")).content.decode()

    done = reverse("practice:rung_done", args=[first.pk])
    assert f'<a class="button" href="{done}" aria-label="Done it: Tell Sam">Done it</a>' in page
    assert (
        '<button type="submit" class="link-button rung-move" '
        'aria-label="Move to a harder place: Tell Sam">Move to a harder place</button>'
    ) in page
    assert (
        '<button type="submit" class="link-button rung-move" '
        'aria-label="Move to an easier place: Tell Jo">Move to an easier place</button>'
    ) in page
    assert ">Harder<" not in page and ">Easier<" not in page


def _open_tab(alice, action: str) -> tuple[Client, str]:
    """A tab of its own with the ladder page open, and the token its form `action` carries."""
    tab = Client()
    tab.force_login(alice)
    return tab, form_token(tab.get(LADDER), action=reverse(action))


@pytest.mark.parametrize("other", ["practice:rung_new", "practice:ladder_first_rungs"])
def test_two_tabs_adding_the_last_rung_at_once_leave_the_ladder_full(
    transactional_db, alice, monkeypatch, other
):
    """The first tab's rung is not committed yet when the other tab's form comes: the other
    waits for it and is told the ladder is full; a new rung's form keeps its words."""
    require_postgres()
    RungFactory.create_batch(LADDER_MAX - 1, user=alice)
    day = alice.local_today().isoformat()
    first, token = _open_tab(alice, "practice:rung_new")
    first_data = {"day": day, "rung_text": "Say I disagree", "who": "friend", "submission": token}
    second, token = _open_tab(alice, other)
    second_data = {"day": day, "rung_text": "Ask for help", "who": "friend", "rung": ["0"]}
    race, answers = Race(), {}
    # The search index is written in the same transaction as the rung, before it commits.
    monkeypatch.setattr(search, "entry_index", race.pause_before(search.entry_index, thread="1"))

    def send(name: str, tab: Client, url: str, data: dict) -> None:
        answers[name] = tab.post(reverse(url), data, follow=True)

    race.start("1", lambda: send("1", first, "practice:rung_new", first_data))
    assert race.paused.wait(timeout=20)
    race.start("2", lambda: send("2", second, other, {**second_data, "submission": token}))

    assert race.finish() == {"1": "done", "2": "done"}
    assert Entry.objects.filter(user=alice).count() == LADDER_MAX
    assert _texts(alice)[-1] == "Say I disagree"
    page = answers["2"].content.decode()
    if other == "practice:rung_new":
        assert FULL in page and "Ask for help</textarea>" in page
    else:
        assert (
            "Your ladder has room for 0 more rungs. Tick fewer, or tick or delete some rungs first."
            in page
        )


def test_suggested_first_rungs_taken_from_the_lesson_mark_it_done(alice_client, alice):
    lesson = LessonFactory(slug="vulnerability-small-steps", practice_kind="rung")
    page = alice_client.get(LADDER, {"lesson": lesson.slug}).content.decode()
    assert '<input type="hidden" name="lesson_slug" value="vulnerability-small-steps">' in page

    response = alice_client.post(
        reverse("practice:ladder_first_rungs"), {"rung": ["0"], "lesson_slug": lesson.slug}
    )

    assert response["Location"] == LADDER + "?lesson=vulnerability-small-steps#ladder"
    assert alice.lesson_progress.get(lesson=lesson).done_at is not None
    assert _texts(alice) == [
        "Give your honest opinion about a film, a book or a meal when you'd usually just go along."
    ]
