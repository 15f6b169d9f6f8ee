import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from lessons.models import Progress, Reflection
from lessons.services import progress_mark_done, reflection_save
from tests.conftest import too_long
from tests.lessons.pages import visible_text

HTMX = {"HTTP_HX_REQUEST": "true"}
SAVED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


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


def reflections(user) -> list[tuple[str, str]]:
    return list(Reflection.objects.filter(user=user).values_list("lesson__slug", "answer"))


def done_with(client, answer: str, slug: str = "relationships-take-work", query="", **headers):
    url = reverse("lessons:done", args=[slug]) + query
    return client.post(url, {"answer": answer}, **headers)


def test_mark_as_done_sends_the_reflection_form(alice_client, lessons):
    page = alice_client.get(lessons[0].get_absolute_url()).content.decode()

    assert '<form method="post" action="/lessons/relationships-take-work/reflection/"' in page
    assert (
        '<button type="submit" form="reflection-form"'
        ' formaction="/lessons/relationships-take-work/done/"'
    ) in page


def test_mark_as_done_saves_the_reflection_typed_so_far(alice_client, alice, lessons):
    response = done_with(alice_client, "That it was just hard.")

    assert response["Location"] == "/lessons/needs-and-boundaries-first/"
    page = visible_text(alice_client.get(response["Location"]).content)
    assert "“Relationships take work, and you can do it” is done. Your reflection is saved." in page
    assert reflections(alice) == [("relationships-take-work", "That it was just hard.")]
    assert done_lessons(alice) == ["relationships-take-work"]


def test_mark_as_done_with_htmx_saves_the_reflection_and_says_so(alice_client, alice, lessons):
    response = done_with(alice_client, "That it was just hard.", **HTMX)

    done, reflection_form = response.content.decode().split('<div id="reflection-region"')
    assert visible_text(done) == (
        "“Relationships take work, and you can do it” is done. Your reflection is saved."
    )
    assert visible_text(reflection_form).endswith(
        "Save my answer Next lesson: Know your needs before you lean in Mark as not done"
    )
    assert reflections(alice) == [("relationships-take-work", "That it was just hard.")]


def test_mark_as_done_with_an_empty_box_keeps_the_saved_reflection(alice_client, alice, lessons):
    reflection_save(user=alice, lesson=lessons[0], answer="Saved before.")

    response = done_with(alice_client, "  ", **HTMX)

    assert visible_text(response.content).startswith(
        "“Relationships take work, and you can do it” is done. Next lesson:"
    )
    assert reflections(alice) == [("relationships-take-work", "Saved before.")]


def test_mark_as_done_leaves_an_unchanged_reflection_as_it_was(alice_client, alice, lessons):
    with time_machine.travel(SAVED_AT, tick=False):
        reflection_save(user=alice, lesson=lessons[0], answer="Saved before.")

    response = done_with(alice_client, "Saved before.", **HTMX)

    assert "Your reflection is saved." not in visible_text(response.content)
    assert Reflection.objects.get(user=alice).updated_at == SAVED_AT
    assert done_lessons(alice) == ["relationships-take-work"]


def test_an_over_long_reflection_keeps_the_lesson_open_and_the_text(alice_client, alice, lessons):
    answer = "x" * 5001

    response = done_with(alice_client, answer)

    assert response.status_code == 200
    page = response.content.decode()
    assert too_long(5_000, 5_001) in visible_text(page)
    assert f">\n{answer}</textarea>" in page
    assert "Mark as done</button>" in page
    assert reflections(alice) == []
    assert done_lessons(alice) == []


def test_an_over_long_reflection_with_htmx_shows_the_error_at_the_box(alice_client, alice, lessons):
    answer = "x" * 5001

    response = done_with(alice_client, answer, **HTMX)

    assert response["HX-Retarget"] == "#reflection-region"
    assert visible_text(response.content) == (
        "When a relationship has needed effort, what did you tell yourself it meant, and what"
        " might it have meant instead? 5,000 characters at most. You can change it whenever you"
        " come back. Keep it to 5,000 characters: this has 5,001. Nothing is lost: shorten it"
        f" and save again. {answer}"
        " Save my answer"
    )
    assert f">\n{answer}</textarea>" in response.content.decode()
    assert done_lessons(alice) == []


def test_mark_as_done_saves_the_reflection_of_the_practice_shown(alice_client, alice, lessons):
    """Why the power struggle feels like an exit sign asks a question only without a partner."""
    leave = "why-avoidants-leave"

    done_with(alice_client, "Their patience.", slug=leave, query="?practice=alone")
    done_with(alice_client, "Not asked for.", slug=leave, query="?practice=partner")

    assert reflections(alice) == [(leave, "Their patience.")]


def test_mark_as_not_done_keeps_the_practice_shown(alice_client, alice, lessons):
    progress_mark_done(user=alice, lesson=lessons[0])
    url = reverse("lessons:not_done", args=["why-avoidants-leave"]) + "?practice=alone"

    swapped = alice_client.post(url, **HTMX).content.decode()
    plain = alice_client.post(url)

    assert (
        'form="reflection-form" formaction="/lessons/why-avoidants-leave/done/?practice=alone"'
        in (swapped)
    )
    assert plain["Location"] == "/lessons/why-avoidants-leave/?practice=alone"


def _shown(client) -> str:
    """The fingerprint of the answer the lesson page shows now, as its form carries it."""
    page = client.get(reverse("lessons:detail", args=["relationships-take-work"]))
    return re.search(r'name="shown" value="(\w+)"', page.content.decode()).group(1)


@pytest.fixture
def old_tab(alice_client, alice, lessons) -> str:
    """A tab left open on Alice's first answer (the fingerprint its form carries), which she
    then changed on her phone."""
    reflection_save(user=alice, lesson=lessons[0], answer="First thoughts.")
    shown = _shown(alice_client)
    reflection_save(user=alice, lesson=lessons[0], answer="Newer thoughts, from the phone.")
    return shown


def done_from(client, answer: str, shown: str):
    url = reverse("lessons:done", args=["relationships-take-work"])
    return client.post(url, {"answer": answer, "shown": shown}, **HTMX)


def test_an_old_tab_marking_done_leaves_a_newer_answer_alone(alice_client, alice, old_tab):
    response = done_from(alice_client, "First thoughts.", old_tab)

    assert "Your reflection is saved." not in visible_text(response.content)
    assert reflections(alice) == [("relationships-take-work", "Newer thoughts, from the phone.")]
    assert done_lessons(alice) == ["relationships-take-work"]


def test_words_typed_on_an_old_tab_are_kept_but_do_not_replace_a_newer_answer(
    alice_client, alice, old_tab
):
    response = done_from(alice_client, "Typed on the laptop.", old_tab)

    page = response.content.decode()
    assert "changed in another tab or on another device since this page opened" in page
    assert ">\nTyped on the laptop.</textarea>" in page
    assert "autofocus" in page
    assert reflections(alice) == [("relationships-take-work", "Newer thoughts, from the phone.")]
    assert done_lessons(alice) == []


def test_words_typed_over_the_answer_the_page_showed_are_saved_with_done(
    alice_client, alice, lessons
):
    reflection_save(user=alice, lesson=lessons[0], answer="First thoughts.")

    done_from(alice_client, "Second thoughts.", _shown(alice_client))

    assert reflections(alice) == [("relationships-take-work", "Second thoughts.")]
    assert done_lessons(alice) == ["relationships-take-work"]


def test_the_reflection_form_marked_done_with_shows_the_answer_it_saved(alice_client, lessons):
    """Swapped in out of band with the done region: what a later "Mark as done" sends from
    the same page is taken for words typed over that answer, not over an older one."""
    response = done_from(alice_client, "That it was just hard.", _shown(alice_client))

    page = response.content.decode()
    assert '<div id="reflection-region" data-hx-swap-oob="true">' in page
    assert ">\nThat it was just hard.</textarea>" in page
    shown = re.search(r'name="shown" value="(\w+)"', page).group(1)
    assert shown == _shown(alice_client)


def test_done_again_from_the_same_page_saves_the_words_typed_since(alice_client, alice, lessons):
    first = done_from(alice_client, "That it was just hard.", _shown(alice_client))
    alice_client.post(reverse("lessons:not_done", args=["relationships-take-work"]), **HTMX)
    shown = re.search(r'name="shown" value="(\w+)"', first.content.decode()).group(1)

    done_from(alice_client, "That it was just hard. And worth it.", shown)

    assert reflections(alice) == [
        ("relationships-take-work", "That it was just hard. And worth it.")
    ]
    assert done_lessons(alice) == ["relationships-take-work"]
