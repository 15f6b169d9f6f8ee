from lessons.models import Lesson
from lessons.selectors import (
    Status,
    lesson_place,
    next_lesson_for_user,
    next_lessons_for_users,
    path_for_user,
    practice_url,
)
from lessons.services import progress_mark_done, progress_start


def statuses(user) -> list[tuple[str, Status]]:
    path = path_for_user(user=user)
    return [(step.lesson.slug, step.status) for module in path.modules for step in module.steps]


def test_path_for_a_new_user_recommends_the_first_lesson(alice, lessons):
    path = path_for_user(user=alice)

    assert [module.module.title for module in path.modules][:2] == [
        "Start here",
        "The three stages of a relationship",
    ]
    assert statuses(alice)[:3] == [
        ("relationships-take-work", Status.CURRENT),
        ("needs-and-boundaries-first", Status.NOT_STARTED),
        ("discomfort-and-choice", Status.NOT_STARTED),
    ]
    assert (path.done, path.total, path.next_lesson) == (0, len(lessons), lessons[0])


def test_path_shows_done_current_started_and_module_progress(alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])
    progress_start(user=alice, lesson=lessons[2])

    path = path_for_user(user=alice)

    assert statuses(alice)[:4] == [
        ("relationships-take-work", Status.DONE),
        ("needs-and-boundaries-first", Status.CURRENT),
        ("discomfort-and-choice", Status.STARTED),
        ("romantic-love-stage", Status.NOT_STARTED),
    ]
    first = path.modules[0]
    assert (first.done, first.total, first.percent) == (1, 3, 33)
    assert (path.done, path.next_lesson) == (1, lessons[1])


def test_path_is_per_user(alice, bob, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])

    assert path_for_user(user=bob).done == 0


def test_next_lesson_follows_the_order_whatever_was_opened(alice, lessons):
    assert next_lesson_for_user(user=alice) == lessons[0]

    progress_mark_done(user=alice, lesson=lessons[0])
    assert next_lesson_for_user(user=alice) == lessons[1]

    progress_start(user=alice, lesson=lessons[5])
    progress_mark_done(user=alice, lesson=lessons[6])
    assert next_lesson_for_user(user=alice) == lessons[1]


def test_next_lesson_is_none_when_every_lesson_is_done(alice, lessons, mark_done):
    mark_done(alice, lessons)

    assert next_lesson_for_user(user=alice) is None
    assert path_for_user(user=alice).next_lesson is None


def test_unpublished_lessons_are_left_out(alice, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(is_published=False)

    assert next_lesson_for_user(user=alice) == lessons[1]
    assert statuses(alice)[0] == ("needs-and-boundaries-first", Status.CURRENT)


def test_lesson_place_inside_a_module(lessons):
    place = lesson_place(lesson=lessons[1])

    assert (place.previous, place.next, place.number, place.module_total) == (
        lessons[0],
        lessons[2],
        2,
        3,
    )
    assert (place.is_last_in_module, place.next_module) == (False, None)


def test_lesson_place_at_the_end_of_a_module_offers_the_next_module(lessons):
    place = lesson_place(lesson=lessons[2])

    assert (place.number, place.module_total, place.is_last_in_module) == (3, 3, True)
    assert place.next_module.title == "The three stages of a relationship"


def test_lesson_place_at_the_very_ends(lessons):
    first, last = lesson_place(lesson=lessons[0]), lesson_place(lesson=lessons[-1])

    assert (first.previous, last.next, last.next_module) == (None, None, None)


def test_practice_url_opens_the_journal_form_for_the_lesson(lessons):
    slugs = ["why-avoidants-leave", "interest-and-bids", "three-part-apology", "safe-and-open"]
    by_slug = {lesson.slug: lesson for lesson in lessons}

    assert [by_slug[slug].practice_kind for slug in slugs] == [
        "gratitude",
        "bid",
        "apology",
        "reflection",
    ]
    usual = [by_slug[slug].practice_for(alone=False) for slug in slugs]
    assert [practice_url(by_slug[slug], p) for slug, p in zip(slugs, usual, strict=True)] == [
        "/journal/gratitude/new/?lesson=why-avoidants-leave",
        "/journal/bids/new/?lesson=interest-and-bids",
        "/journal/apologies/new/?lesson=three-part-apology",
        None,
    ]


def test_next_lessons_for_many_users_match_one_at_a_time(alice, bob, charlie, lessons, mark_done):
    mark_done(alice, lessons[:3])
    mark_done(bob, lessons)
    progress_mark_done(user=charlie, lesson=lessons[1])

    batch = next_lessons_for_users(situations={alice.pk: "", bob.pk: "", charlie.pk: ""})

    assert batch == {
        alice.pk: lessons[3],
        bob.pk: None,
        charlie.pk: lessons[0],
    }
    assert batch[alice.pk] == next_lesson_for_user(user=alice)
