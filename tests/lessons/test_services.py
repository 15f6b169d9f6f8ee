from datetime import UTC, datetime

import pytest
import time_machine

from journal.services import entry_create
from lessons.models import Progress, Reflection
from lessons.services import (
    progress_mark_done,
    progress_mark_not_done,
    progress_start,
    reflection_save,
)
from tests.factories import LessonFactory

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def progress_rows():
    return list(
        Progress.objects.values_list("user__email", "lesson__slug", "started_at", "done_at")
    )


@pytest.mark.parametrize(
    ("mark", "done_at"),
    [(progress_start, None), (progress_mark_done, MONDAY)],
    ids=["start", "done"],
)
def test_marking_progress_twice_keeps_the_first_time(alice, lessons, mark, done_at):
    with time_machine.travel(MONDAY, tick=False):
        mark(user=alice, lesson=lessons[0])
    with time_machine.travel(TUESDAY, tick=False):
        mark(user=alice, lesson=lessons[0])

    assert progress_rows() == [("alice@example.com", "relationships-take-work", MONDAY, done_at)]


def test_progress_mark_done_on_an_unopened_lesson_starts_it_too(alice, lessons):
    with time_machine.travel(TUESDAY, tick=False):
        progress_mark_done(user=alice, lesson=lessons[1])

    assert progress_rows() == [
        ("alice@example.com", "needs-and-boundaries-first", TUESDAY, TUESDAY)
    ]


def test_progress_mark_not_done_keeps_the_lesson_started(alice, lessons):
    with time_machine.travel(MONDAY, tick=False):
        progress_mark_done(user=alice, lesson=lessons[0])

    progress_mark_not_done(user=alice, lesson=lessons[0])

    assert progress_rows() == [("alice@example.com", "relationships-take-work", MONDAY, None)]


def test_reflection_save_again_replaces_the_answer(alice, lessons):
    with time_machine.travel(MONDAY, tick=False):
        reflection_save(user=alice, lesson=lessons[0], answer="That we were wrong for each other.")
    with time_machine.travel(TUESDAY, tick=False):
        reflection_save(user=alice, lesson=lessons[0], answer="That we had work to do.")

    assert list(Reflection.objects.values_list("user__email", "answer", "updated_at")) == [
        ("alice@example.com", "That we had work to do.", TUESDAY)
    ]


def test_an_entry_written_from_a_lesson_of_its_kind_marks_the_lesson_done(alice):
    """The journal says so by a signal (journal.signals); it does not import lessons."""
    bids = LessonFactory(practice_kind="bid")
    gratitude = LessonFactory(practice_kind="gratitude")
    common = {"user": alice, "kind": "gratitude", "day": MONDAY.date(), "moments": "Tea"}

    with time_machine.travel(MONDAY, tick=False):
        entry_create(**common, lesson_slug=bids.slug)
        entry_create(**common, lesson_slug=gratitude.slug)

    assert progress_rows() == [("alice@example.com", gratitude.slug, MONDAY, MONDAY)]
    assert entry_create(**common).lesson_slug == ""
