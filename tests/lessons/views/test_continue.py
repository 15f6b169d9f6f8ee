from django.template.loader import render_to_string
from django.urls import reverse

from tests.lessons.pages import visible_text


def continue_location(client) -> str:
    return client.get(reverse("lessons:continue"))["Location"]


def test_continue_resumes_the_sequence(alice_client, lessons):
    assert continue_location(alice_client) == "/lessons/relationships-take-work/"

    alice_client.post(reverse("lessons:done", args=[lessons[0].slug]))
    assert continue_location(alice_client) == "/lessons/needs-and-boundaries-first/"

    alice_client.get(lessons[9].get_absolute_url())
    alice_client.post(reverse("lessons:done", args=[lessons[10].slug]))
    assert continue_location(alice_client) == "/lessons/needs-and-boundaries-first/"


def test_continue_after_every_lesson_says_so(alice_client, alice, lessons, mark_done):
    mark_done(alice, lessons)

    response = alice_client.get(reverse("lessons:continue"), follow=True)

    assert response.redirect_chain == [("/lessons/", 302)]
    assert "You've finished every lesson. Come back to any of them." in visible_text(
        response.content
    )


def test_continue_needs_login(client, curriculum):
    response = client.get(reverse("lessons:continue"))

    assert response["Location"] == "/accounts/login/?next=/lessons/continue/"


def test_continue_card_shows_the_next_lesson(rf, lessons):
    request = rf.get("/")

    html = render_to_string(
        "lessons/_continue_card.html", {"next_lesson": lessons[3]}, request=request
    )

    assert visible_text(html) == (
        "Up next The three stages of a relationship Stage one: romantic love"
        f" {lessons[3].summary} Continue"
    )
    assert '<a class="button" href="/lessons/romantic-love-stage/">Continue</a>' in html


def test_continue_card_when_every_lesson_is_done(rf, db):
    html = render_to_string(
        "lessons/_continue_card.html", {"next_lesson": None}, request=rf.get("/")
    )

    assert visible_text(html) == (
        "You've finished every lesson Well done for seeing it through."
        " Every lesson stays here to read again whenever you need it. See all lessons"
    )
