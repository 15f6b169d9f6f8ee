"""Lessons and the path follow where the reader is, and keep everything for everyone."""

import pytest
from django.urls import reverse

from lessons.models import Module, Reflection
from lessons.services import practice_used, progress_mark_done
from tests.factories import LessonFactory
from tests.lessons.pages import visible_text

SAFETY_NOTE = (
    "None of this applies to an abusive relationship. If someone close hurts, frightens or"
    " controls you, you don't owe them staying, forgiving or fixing. Get help now. Exit quickly"
)
LEAVE = "/lessons/why-avoidants-leave/"
NEEDS = "/lessons/needs-and-boundaries-first/"


def _set(user, situation: str) -> None:
    user.situation = situation
    user.save(update_fields=["situation"])


def test_path_says_why_a_single_reader_gets_another_order(alice_client, alice, lessons):
    _set(alice, "single")
    for lesson in lessons[:3]:
        progress_mark_done(user=alice, lesson=lesson)

    response = alice_client.get(reverse("lessons:path"))

    page = visible_text(response.content)
    assert (
        "Follow the order, or open any lesson you like. You said you are single right now, so"
        " the path starts with the modules that do not need a partner: choosing for your values"
        " and at your own pace, asking for help, and letting people close to you see more of"
        " you. The modules about life inside a relationship come after, for when they are"
        " useful. Change where you are on your profile."
    ) in page
    assert "Module 2 Partner and pace" in page
    assert "Module 3 Ask for help" in page
    assert "Module 8 Become a fixer" in page
    assert '<a class="button" href="/lessons/choose-by-values/">Continue</a>' in (
        response.content.decode()
    )


def test_path_for_a_reader_in_a_relationship_keeps_the_modules_order(alice_client, alice, lessons):
    _set(alice, "together")

    page = visible_text(alice_client.get(reverse("lessons:path")).content)

    assert "You said you are" not in page
    assert "Module 2 The three stages of a relationship" in page
    assert "Module 7 Partner and pace" in page


def test_modules_show_the_safety_note_open_where_the_module_asks(alice_client, lessons):
    Module.objects.filter(slug="three-stages").update(safety_note=False)

    html = alice_client.get(reverse("lessons:path")).content.decode()

    modules = html.split('<section class="module"')[1:]
    with_note = [
        SAFETY_NOTE in visible_text(module.split('<details class="module-intro">')[0])
        for module in modules
    ]
    assert with_note == [True, False, True, True, True, True, True, True]
    assert html.count('<a href="/help/">Get help now</a>. <a class="quick-exit"') == 7


@pytest.mark.parametrize(
    ("situation", "practice", "other_practice", "form_or_button", "other_link"),
    [
        (
            "single",
            "Practice without a partner What you stopped seeing Think of a relationship that"
            " ended once the differences showed, or a friendship that cooled.",
            "Catch what drew you in",
            '<label for="id_answer">What did you stop noticing about someone',
            '<a href="?practice=partner#practice">'
            "Show the practice for people in a relationship</a>",
        ),
        (
            "together",
            "Practice Catch what drew you in Think of one quality that drew you",
            "What you stopped seeing",
            '<a class="button" href="/journal/gratitude/new/?lesson=why-avoidants-leave">',
            '<a href="?practice=alone#practice">Show the practice for people without a partner</a>',
        ),
    ],
    ids=["single", "together"],
)
def test_each_reader_sees_their_practice_and_a_link_to_the_other(
    alice_client, alice, lessons, situation, practice, other_practice, form_or_button, other_link
):
    _set(alice, situation)

    html = alice_client.get(LEAVE).content.decode()

    page = visible_text(html)
    assert practice in page
    assert other_practice not in page
    assert form_or_button in html
    assert other_link in html


def test_either_reader_can_open_the_other_practice(alice_client, alice, lessons):
    _set(alice, "single")

    page = visible_text(alice_client.get(LEAVE + "?practice=partner").content)

    assert "Practice Catch what drew you in" in page
    assert "Show the practice for people without a partner" in page


def test_a_lesson_without_an_alone_practice_offers_no_other(alice_client, alice, lessons):
    _set(alice, "single")

    html = alice_client.get("/lessons/relationships-take-work/?practice=alone").content.decode()

    assert "Practice Spot your" in visible_text(html)
    assert "Show the practice for people" not in html


def test_one_reflection_per_lesson_whichever_practice_asked(alice_client, alice, lessons):
    _set(alice, "dating")

    response = alice_client.post(
        reverse("lessons:reflection", args=["needs-and-boundaries-first"]) + "?practice=alone",
        {"answer": "Time alone on Sundays. I said it to my brother."},
    )
    alice_client.post(
        reverse("lessons:reflection", args=["needs-and-boundaries-first"]) + "?practice=partner",
        {"answer": "Time alone on Sundays, said out loud."},
    )

    assert response["Location"] == NEEDS + "?practice=alone#practice"
    assert list(Reflection.objects.values_list("lesson__slug", "answer")) == [
        ("needs-and-boundaries-first", "Time alone on Sundays, said out loud.")
    ]
    html = alice_client.get(NEEDS).content.decode()
    assert "Name one need and say it to someone close" in html
    assert ">\nTime alone on Sundays, said out loud.</textarea>" in html


def test_the_reflection_form_keeps_the_practice_shown(alice_client, alice, lessons):
    _set(alice, "between")

    html = alice_client.get(NEEDS).content.decode()

    action = reverse("lessons:reflection", args=["needs-and-boundaries-first"]) + "?practice=alone"
    assert f'<form method="post" action="{action}" novalidate' in html


def test_a_reflection_is_refused_where_the_practice_shown_is_a_journal_entry(
    alice_client, alice, lessons
):
    _set(alice, "together")

    response = alice_client.post(
        reverse("lessons:reflection", args=["why-avoidants-leave"]), {"answer": "Kept."}
    )

    assert response.status_code == 404
    assert not Reflection.objects.exists()


def test_done_leads_a_single_reader_on_in_the_suggested_order(alice_client, alice, lessons):
    _set(alice, "single")

    response = alice_client.post(
        reverse("lessons:done", args=["discomfort-and-choice"]), follow=True
    )

    assert response.redirect_chain[-1][0] == "/lessons/choose-by-values/"
    assert (
        "You've finished the last lesson of “Start here”. Next module: “Partner and pace”."
        in visible_text(response.content)
    )


def test_a_journal_entry_for_the_practice_without_a_partner_marks_the_lesson_done(alice):
    lesson = LessonFactory(
        practice_kind="reflection",
        alone_kind="gratitude",
        alone_title="Someone close",
        alone_instructions="Note one kind thing a friend did.",
    )

    assert practice_used(user=alice, lesson_slug=lesson.slug, kind="gratitude") is True
    assert lesson.progress.get(user=alice).done_at is not None
    assert practice_used(user=alice, lesson_slug=lesson.slug, kind="bid") is False
