from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Lesson, Progress
from lessons.services import progress_mark_done, progress_start
from tests.lessons.pages import visible_text

PATH_PAGE_BUDGET = 5  # session, user, lessons with their modules, progress, last self-check


def test_path_page_for_a_new_user(alice_client, lessons):
    page = visible_text(alice_client.get(reverse("lessons:path")).content)

    assert f"0 of {len(lessons)} lessons done" in page
    assert (
        "Up next Start here Relationships take work, and you can do it Why needing effort doesn't"
        " mean you chose the wrong person, and how to shift from expecting love to work for you"
        " to working for it. Continue Module 1 Start here"
    ) in page
    assert (
        "Relationships take work, and you can do it Up next · 4 min "
        "Know your needs before you lean in Not started · 3 min "
        "Discomfort is part of the path Not started · 3 min "
        "Module 2 The three stages of a relationship"
    ) in page


def test_path_page_shows_progress_and_the_one_continue_button(alice_client, alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])
    progress_start(user=alice, lesson=lessons[2])

    response = alice_client.get(reverse("lessons:path"))

    page = visible_text(response.content)
    html = response.content.decode()
    assert f"1 of {len(lessons)} lessons done" in page
    assert f'<progress class="lessons-progress" max="{len(lessons)}" value="1"' in html
    assert "1 of 3 done" in page
    assert (
        "Relationships take work, and you can do it Done · 4 min "
        "Know your needs before you lean in Up next · 3 min "
        "Discomfort is part of the path Started · 3 min"
    ) in page
    assert html.count(">Continue</a>") == 1
    assert '<a class="button" href="/lessons/needs-and-boundaries-first/">Continue</a>' in html


def test_path_page_when_every_lesson_is_done(alice_client, alice, lessons):
    for lesson in lessons:
        progress_mark_done(user=alice, lesson=lesson)

    page = visible_text(alice_client.get(reverse("lessons:path")).content)

    assert f"{len(lessons)} of {len(lessons)} lessons done" in page
    assert "You've finished every lesson Well done for seeing it through." in page
    assert "Continue" not in page


def test_path_page_needs_login(client, curriculum):
    response = client.get(reverse("lessons:path"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/lessons/"


def test_nav_links_to_lessons(alice_client, curriculum):
    html = alice_client.get(reverse("home")).content.decode()

    assert '<li><a href="/lessons/">Lessons</a></li>' in html


def _path_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("lessons:path")).status_code == 200
    return len(queries)


def _add_lessons(lessons, count: int) -> list[Lesson]:
    """More published Lessons than the content has, so 50 can be done."""
    last = lessons[-1]
    extra = [
        Lesson(
            module=last.module,
            slug=f"extra-{n}",
            title=f"Extra {n}",
            summary="More.",
            body_html="<p>More.</p>",
            why_it_matters="More.",
            practice_kind="reflection",
            practice_title="More",
            practice_instructions="More.",
            practice_question="More?",
            position=last.position + n,
            word_count=300,
        )
        for n in range(1, count + 1)
    ]
    return lessons + Lesson.objects.bulk_create(extra)


def test_path_page_queries_do_not_grow_with_progress(
    alice_client, alice, lessons, mark_done, django_assert_max_num_queries
):
    every_lesson = _add_lessons(lessons, 60 - len(lessons))
    progress_mark_done(user=alice, lesson=every_lesson[0])
    alice_client.get(reverse("lessons:path"))  # the lessons' outline is now in the cache
    with django_assert_max_num_queries(PATH_PAGE_BUDGET):
        one_done = _path_page_queries(alice_client)

    mark_done(alice, every_lesson[1:50])
    fifty_done = _path_page_queries(alice_client)

    assert Progress.objects.filter(user=alice, done_at__isnull=False).count() == 50
    assert "50 of 60 lessons done" in visible_text(
        alice_client.get(reverse("lessons:path")).content
    )
    assert fifty_done == one_done
