from django.urls import reverse

from lessons.models import Progress
from lessons.services import progress_mark_done
from tests.lessons.pages import visible_text

HTMX = {"HTTP_HX_REQUEST": "true"}


def done_lessons(user) -> list[str]:
    return list(
        Progress.objects.filter(user=user, done_at__isnull=False).values_list(
            "lesson__slug", flat=True
        )
    )


def test_mark_as_done_with_htmx_swaps_in_the_next_step(alice_client, alice, lessons):
    response = alice_client.post(reverse("lessons:done", args=[lessons[0].slug]), **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert visible_text(response.content) == (
        "“Relationships take work, and you can do it” is done."
        " Next lesson: Know your needs before you lean in Mark as not done"
    )
    assert (
        '<a class="button" href="/lessons/needs-and-boundaries-first/"'
        ' aria-describedby="done-message" autofocus>'
        "Next lesson: Know your needs before you lean in</a>"
    ) in response.content.decode()
    assert done_lessons(alice) == ["relationships-take-work"]


def test_mark_as_done_without_javascript_goes_to_the_next_lesson(alice_client, alice, lessons):
    response = alice_client.post(reverse("lessons:done", args=[lessons[0].slug]))

    assert response.status_code == 302
    assert response["Location"] == "/lessons/needs-and-boundaries-first/"
    page = visible_text(alice_client.get(response["Location"]).content)
    assert (
        "“Relationships take work, and you can do it” is done. Start here · Lesson 2 of 3" in page
    )
    assert done_lessons(alice) == ["relationships-take-work"]


def test_finishing_the_last_lesson_of_a_module_offers_the_next_module(alice_client, lessons):
    response = alice_client.post(reverse("lessons:done", args=["discomfort-and-choice"]), **HTMX)

    assert visible_text(response.content) == (
        "You've finished the last lesson of “Start here”."
        " Next module: “The three stages of a relationship”."
        " Start the next module Mark as not done"
    )
    assert (
        '<a class="button" href="/lessons/romantic-love-stage/"'
        ' aria-describedby="done-message" autofocus>Start the next module</a>'
    ) in response.content.decode()


def test_finishing_the_last_lesson_of_a_module_without_javascript(alice_client, lessons):
    response = alice_client.post(reverse("lessons:done", args=["discomfort-and-choice"]))

    assert response["Location"] == "/lessons/romantic-love-stage/"
    page = visible_text(alice_client.get(response["Location"]).content)
    assert (
        "You've finished the last lesson of “Start here”."
        " Next module: “The three stages of a relationship”."
        " The three stages of a relationship · Lesson 1 of 4"
    ) in page


def test_finishing_the_very_last_lesson(alice_client, lessons):
    last = lessons[-1]

    swapped = alice_client.post(reverse("lessons:done", args=[last.slug]), **HTMX)
    plain = alice_client.post(reverse("lessons:done", args=[last.slug]))

    assert visible_text(swapped.content) == (
        "You've finished the last lesson of “Ask for help”, the final module."
        " See all lessons Mark as not done"
    )
    assert plain["Location"] == "/lessons/"


def test_a_done_lesson_shows_it_is_done_when_opened_again(alice_client, alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])

    page = visible_text(alice_client.get(lessons[0].get_absolute_url()).content)

    assert (
        "Save my answer You've marked this lesson as done."
        " Next lesson: Know your needs before you lean in Mark as not done"
    ) in page


def test_mark_as_not_done_with_htmx(alice_client, alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])

    response = alice_client.post(reverse("lessons:not_done", args=[lessons[0].slug]), **HTMX)

    assert visible_text(response.content) == "Mark as done"
    assert done_lessons(alice) == []
    assert Progress.objects.filter(user=alice, lesson=lessons[0]).count() == 1


def test_mark_as_not_done_without_javascript(alice_client, alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])

    response = alice_client.post(reverse("lessons:not_done", args=[lessons[0].slug]))

    assert response["Location"] == "/lessons/relationships-take-work/"
    assert done_lessons(alice) == []


def test_mark_as_done_is_only_a_post(alice_client, lessons):
    response = alice_client.get(reverse("lessons:done", args=[lessons[0].slug]))

    assert response.status_code == 405


def test_mark_as_done_on_an_unknown_lesson_is_a_404(alice_client, curriculum):
    response = alice_client.post(reverse("lessons:done", args=["no-such-lesson"]))

    assert response.status_code == 404
    assert Progress.objects.count() == 0


def test_marking_done_is_only_for_the_user_who_did_it(alice_client, alice, bob, lessons):
    alice_client.post(reverse("lessons:done", args=[lessons[0].slug]))

    assert (done_lessons(alice), done_lessons(bob)) == (["relationships-take-work"], [])
