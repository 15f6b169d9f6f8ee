"""The home page and the gratitude form ask about the people the reader has."""

import pytest
from django.urls import reverse

from lessons.content import CONTENT_ROOT
from lessons.models import Lesson
from lessons.services import lessons_load, progress_mark_done
from tests.lessons.pages import visible_text

PARTNER_EXAMPLE = "They waited up so we could eat together"


def _set(user, situation: str) -> None:
    user.situation = situation
    user.save(update_fields=["situation"])


@pytest.mark.parametrize(
    ("situation", "url", "title", "example"),
    [
        (
            "single",
            "home",
            '<h2 id="quick-title">Today, someone close to me was…</h2>',
            "My sister rang just to see how I was",
        ),
        ("together", "home", '<h2 id="quick-title">Today, my partner was…</h2>', PARTNER_EXAMPLE),
        (
            "between",
            "journal:gratitude_new",
            "<h1>Today, someone in my life was…</h1>",
            "A friend dropped round with a film they knew I&#x27;d like",
        ),
        # Until the reader says where they are, the form keeps the partner wording.
        (None, "journal:gratitude_new", "<h1>Today, my partner was…</h1>", PARTNER_EXAMPLE),
    ],
    ids=["single-home", "together-home", "between-form", "unsaid-form"],
)
def test_the_gratitude_questions_follow_the_situation(
    alice_client, alice, situation, url, title, example
):
    if situation:
        _set(alice, situation)

    html = alice_client.get(reverse(url)).content.decode()

    assert title in html
    assert f'placeholder="{example}"' in html


def test_home_asks_a_single_reader_without_a_word_about_a_partner(alice_client, alice):
    _set(alice, "single")

    html = alice_client.get(reverse("home")).content.decode()

    assert '<label for="quick-why">Why are you glad they&#x27;re in your life?</label>' in html
    assert '<input type="checkbox" name="told_partner"> I told them</label>' in html
    assert "partner" not in visible_text(html).lower()


def test_gratitude_form_asks_a_reader_between_relationships_about_them(alice_client, alice):
    _set(alice, "between")

    html = alice_client.get(reverse("journal:gratitude_new")).content.decode()

    assert '<label for="id_why">Why are you glad they&#x27;re in your life?</label>' in html
    assert 'id="id_told_partner"> I told them</label>' in html


def test_once_lessons_and_question_are_done_home_suggests_a_line_in_their_words(
    alice_client, alice
):
    _set(alice, "single")
    lessons_load(root=CONTENT_ROOT)
    for lesson in Lesson.objects.all():
        progress_mark_done(user=alice, lesson=lesson)
    alice_client.post(reverse("practice:question_skip"))

    page = visible_text(alice_client.get(reverse("home")).content)

    assert (
        "For today One small moment Write down one thing a friend or family member did today"
        " that you were glad of. Write it down"
    ) in page
