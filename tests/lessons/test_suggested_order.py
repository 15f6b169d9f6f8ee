"""The path suggests an order for where the reader is; every module stays for everyone."""

import pytest

from lessons.content import CONTENT_ROOT, read_content
from lessons.models import Module
from lessons.selectors import (
    lesson_place,
    next_lesson_for_user,
    next_lessons_for_users,
    path_for_user,
)
from lessons.services import progress_mark_done
from lessons.situations import suggested_orders

USUAL = [
    "start-here",
    "three-stages",
    "vulnerability",
    "sustaining-love",
    "lean-in",
    "become-a-fixer",
    "partner-and-pace",
    "ask-for-help",
]


def _set(user, situation: str) -> None:
    user.situation = situation
    user.save(update_fields=["situation"])


def _modules(user, **options) -> list[str]:
    return [item.module.slug for item in path_for_user(user=user, **options).modules]


def test_every_suggested_order_names_modules_of_the_content():
    slugs = {module.slug for module in read_content(CONTENT_ROOT)}

    for situation, order in suggested_orders().items():
        assert set(order.first) <= slugs, situation
        assert len(set(order.first)) == len(order.first), situation
    assert set(suggested_orders()) <= {"together", "dating", "single", "between", "unsaid"}


@pytest.mark.parametrize("situation", ["", "together", "unsaid"])
def test_the_path_keeps_the_modules_own_order_for_a_reader_with_a_partner(
    situation, alice, lessons
):
    _set(alice, situation)

    assert _modules(alice) == USUAL
    assert path_for_user(user=alice).why_this_order == ""


def test_a_single_reader_meets_partner_and_pace_and_ask_for_help_early(alice, lessons):
    _set(alice, "single")

    path = path_for_user(user=alice)

    assert _modules(alice) == [
        "start-here",
        "partner-and-pace",
        "ask-for-help",
        "vulnerability",
        "three-stages",
        "sustaining-love",
        "lean-in",
        "become-a-fixer",
    ]
    assert path.total == len(lessons)
    assert path.why_this_order.startswith("You said you are single right now, so the path")


def test_a_single_reader_continues_with_partner_and_pace_after_start_here(alice, lessons):
    _set(alice, "single")
    for lesson in lessons[:3]:  # Start here
        progress_mark_done(user=alice, lesson=lesson)

    nxt = next_lesson_for_user(user=alice)

    assert nxt.slug == "choose-by-values"
    assert path_for_user(user=alice).next_lesson == nxt
    assert next_lessons_for_users(situations={alice.pk: "single"}) == {alice.pk: nxt}


def test_next_lessons_for_many_users_follow_each_ones_situation(alice, bob, lessons):
    for user in (alice, bob):
        for lesson in lessons[:3]:
            progress_mark_done(user=user, lesson=lesson)

    batch = next_lessons_for_users(situations={alice.pk: "between", bob.pk: "together"})

    assert (batch[alice.pk].slug, batch[bob.pk].slug) == ("choose-by-values", "romantic-love-stage")


def test_lesson_neighbours_follow_the_suggested_order(lessons):
    last_of_start = lessons[2]

    place = lesson_place(lesson=last_of_start, situation="single")

    assert place.next.slug == "choose-by-values"
    assert place.next_module.slug == "partner-and-pace"
    assert lesson_place(lesson=last_of_start).next.slug == "romantic-love-stage"


def test_changing_the_situation_keeps_progress_and_changes_only_the_order(alice, lessons):
    done = [lessons[0], lessons[5], lessons[-1]]
    for lesson in done:
        progress_mark_done(user=alice, lesson=lesson)
    _set(alice, "together")
    before = path_for_user(user=alice)

    _set(alice, "single")
    after = path_for_user(user=alice)

    def done_slugs(path):
        return sorted(s.lesson.slug for m in path.modules for s in m.steps if s.status == "done")

    assert done_slugs(after) == done_slugs(before) == sorted(lesson.slug for lesson in done)
    assert (after.done, after.total) == (before.done, before.total) == (3, len(lessons))
    assert before.next_lesson.slug == "needs-and-boundaries-first"
    assert after.next_lesson.slug == "needs-and-boundaries-first"  # Start here comes first


def test_a_therapist_sees_a_clients_path_in_the_modules_own_order(alice, lessons):
    _set(alice, "single")

    assert _modules(alice, suggested=False) == USUAL
    assert Module.objects.count() == len(USUAL)
