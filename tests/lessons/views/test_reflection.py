import html
from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from lessons.models import Reflection
from lessons.services import reflection_save
from tests.conftest import too_long
from tests.lessons.pages import visible_text

HTMX = {"HTTP_HX_REQUEST": "true"}
HELP = "5,000 characters at most. You can change it whenever you come back."
QUESTION = (
    "When a relationship has needed effort, what did you tell yourself it meant,"
    " and what might it have meant instead?"
)


def reflections() -> list[tuple[str, str, str]]:
    return list(Reflection.objects.values_list("user__email", "lesson__slug", "answer"))


def save(client, answer: str, slug: str = "relationships-take-work", **headers):
    return client.post(reverse("lessons:reflection", args=[slug]), {"answer": answer}, **headers)


def test_saving_a_reflection_shows_it_on_the_lesson(alice_client, lessons):
    response = save(alice_client, "That it was the wrong match. Maybe it was just hard.")

    assert response["Location"] == "/lessons/relationships-take-work/#practice"
    assert reflections() == [
        (
            "alice@example.com",
            "relationships-take-work",
            "That it was the wrong match. Maybe it was just hard.",
        )
    ]
    page = alice_client.get(response["Location"]).content.decode()
    assert "Your reflection is saved." in visible_text(page)
    assert ">\nThat it was the wrong match. Maybe it was just hard.</textarea>" in page


def test_saving_a_reflection_with_htmx_swaps_the_form(alice_client, lessons):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        response = save(alice_client, "That we had work to do.", **HTMX)

    assert response.status_code == 200
    assert visible_text(response.content) == (
        f"Your reflection is saved. {QUESTION} {HELP} That we had work to do."
        " Last saved 2 March 2026, 09:00. Save my answer"
    )
    assert "<html" not in response.content.decode()


def test_saving_again_replaces_the_answer(alice_client, alice, lessons):
    reflection_save(user=alice, lesson=lessons[0], answer="First try.")

    save(alice_client, "Second try.")

    assert reflections() == [("alice@example.com", "relationships-take-work", "Second try.")]


def test_an_over_long_reflection_keeps_the_text_and_saves_nothing(alice_client, lessons):
    answer = "Too long. " * 500 + "!"

    response = save(alice_client, answer)

    assert response.status_code == 200
    page = response.content.decode()
    assert too_long(5_000, 5_001) in visible_text(page)
    assert f">\n{html.escape(answer)}</textarea>" in page
    assert reflections() == []


def test_an_over_long_reflection_with_htmx_keeps_the_text(alice_client, lessons):
    answer = "x" * 5001

    response = save(alice_client, answer, **HTMX)

    assert visible_text(response.content) == (
        f"{QUESTION} {HELP} Keep it to 5,000 characters: this has 5,001. Nothing is lost: shorten"
        " it and save again."
        f" {answer} Save my answer"
    )
    assert f">\n{answer}</textarea>" in response.content.decode()
    assert reflections() == []


def test_an_empty_reflection_is_refused(alice_client, lessons):
    response = save(alice_client, "   ")

    assert "Write a few words to save your answer." in visible_text(response.content)
    assert reflections() == []


def test_a_lesson_without_a_reflection_takes_no_answer(alice_client, lessons):
    response = save(alice_client, "Thanks for dinner.", slug="why-avoidants-leave")

    assert response.status_code == 404
    assert reflections() == []


def test_another_user_never_sees_alices_reflection(client, alice, bob, lessons):
    reflection_save(user=alice, lesson=lessons[0], answer="Alice's own words.")
    client.force_login(bob)

    page = client.get(lessons[0].get_absolute_url()).content.decode()

    assert "Alice's own words." not in html.unescape(page)
    assert "Last saved" not in page
