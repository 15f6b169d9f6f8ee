from django.urls import reverse

from lessons.models import Lesson, Progress
from tests.lessons.pages import visible_text

SAFETY_NOTE = (
    "None of this applies to an abusive relationship. If someone close hurts, frightens or"
    " controls you, you don't owe them staying, forgiving or fixing. Get help now. Exit quickly"
)


def test_lesson_page_reads_top_to_bottom(alice_client, lessons):
    response = alice_client.get(reverse("lessons:detail", args=["relationships-take-work"]))

    page = visible_text(response.content)
    assert (
        "Start here · Lesson 1 of 3 · 4 min read "
        "Relationships take work, and you can do it "
        "Why needing effort doesn't mean you chose the wrong person, and how to shift from"
        " expecting love to work for you to working for it. "
        f"{SAFETY_NOTE} "
        "Why this matters for you An avoidant reflex often reads effort or friction"
    ) in page
    assert "The belief that quietly ends relationships Many of us carry a hidden rule" in page
    assert (
        'Practice Spot your "wrong match" story Think back to a time a close relationship'
        " (romantic or a friendship) started to feel like hard work. Write down what you told"
        " yourself it meant back then, and how you might read the same moment now."
        " When a relationship has needed effort, what did you tell yourself it meant, and what"
        " might it have meant instead? 5,000 characters at most. You can change it whenever"
        " you come back. Save my answer Mark as done"
        " Next: Know your needs before you lean in → All lessons"
    ) in page


def test_lesson_page_links_previous_and_next(alice_client, lessons):
    html = alice_client.get(lessons[1].get_absolute_url()).content.decode()

    assert (
        '<a rel="prev" href="/lessons/relationships-take-work/">'
        '<span aria-hidden="true">←</span> Previous: Relationships take work, and you can do it</a>'
    ) in html
    assert (
        '<a rel="next" href="/lessons/discomfort-and-choice/">'
        'Next: Discomfort is part of the path <span aria-hidden="true">→</span></a>'
    ) in html


def test_opening_a_lesson_starts_it(alice_client, alice, lessons):
    alice_client.get(lessons[4].get_absolute_url())
    alice_client.get(lessons[4].get_absolute_url())

    assert list(Progress.objects.values_list("user", "lesson", "done_at")) == [
        (alice.pk, lessons[4].pk, None)
    ]


def test_safety_note_is_on_exactly_the_lessons_that_ask_for_it(alice_client, lessons):
    with_note = [
        lesson.slug
        for lesson in lessons
        if SAFETY_NOTE in visible_text(alice_client.get(lesson.get_absolute_url()).content)
    ]

    assert with_note == [lesson.slug for lesson in lessons if lesson.safety_note]
    assert 0 < len(with_note) < len(lessons)


def test_safety_note_links_to_get_help(alice_client, lessons):
    html = alice_client.get(lessons[0].get_absolute_url()).content.decode()

    assert f'<a href="{reverse("get_help")}">Get help now</a>. <a class="quick-exit"' in html


def test_unknown_lesson_is_a_404_with_a_way_back(alice_client, curriculum):
    response = alice_client.get("/lessons/no-such-lesson/")

    assert response.status_code == 404
    assert "We could not find that page" in visible_text(response.content)
    assert '<a class="button" href="/">Back to today</a>' in response.content.decode()


def test_unpublished_lesson_is_a_404(alice_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(is_published=False)

    response = alice_client.get(lessons[0].get_absolute_url())

    assert response.status_code == 404


def test_lesson_page_needs_login(client, lessons):
    response = client.get(lessons[0].get_absolute_url())

    assert response["Location"] == "/accounts/login/?next=/lessons/relationships-take-work/"


def test_journal_practice_links_to_its_form_for_this_lesson(alice_client, curriculum):
    response = alice_client.get(reverse("lessons:detail", args=["why-avoidants-leave"]))

    html = response.content.decode()
    assert (
        '<p><a class="button" href="/journal/gratitude/new/?lesson=why-avoidants-leave">\n'
        "        Write a gratitude entry\n      </a></p>"
    ) in html


def test_a_head_request_does_not_start_a_lesson(alice_client, lessons):
    alice_client.head(lessons[2].get_absolute_url())

    page = visible_text(alice_client.get(reverse("lessons:path")).content)
    assert "Discomfort is part of the path Not started · 3 min" in page
