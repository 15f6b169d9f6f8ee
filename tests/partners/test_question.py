from datetime import timedelta

from django.urls import reverse
from django.utils.html import escape

from partners import services
from partners.models import PairAnswer, PairQuestion
from practice import questions

from .conftest import page_text

WAITING = "Your answer is saved. You'll see theirs when they've answered."


def _answer(client, text):
    return client.post(reverse("partners:question"), {"text": text}, follow=True)


def test_both_get_the_same_both_question_and_see_answers_only_once_both_answered(
    client, alice, dan, linked
):
    client.force_login(alice)
    first = page_text(client.get(reverse("partners:question")))
    daily = PairQuestion.objects.get()
    question = questions.deck()[daily.question_id]
    assert question.ask == "both"
    assert escape(question.text) in first  # many have an apostrophe
    page = page_text(_answer(client, "Alice's own words"))
    assert WAITING in page
    assert "Alice&#x27;s own words" in page

    client.force_login(dan)
    page = page_text(client.get(reverse("partners:question")))
    assert escape(question.text) in page
    assert "Alice&#x27;s own words" not in page
    assert WAITING not in page
    page = page_text(_answer(client, "Dan answers"))
    assert "Alice&#x27;s own words" in page and "Dan answers" in page
    assert "You have both answered today's question." in page_text(client.get("/"))

    client.force_login(alice)
    assert "Dan answers" in page_text(client.get(reverse("partners:question")))


def test_a_skipped_day_shows_nothing_of_either_answer(client, alice, dan, linked):
    client.force_login(alice)
    _answer(client, "Alice's words")
    client.force_login(dan)
    response = client.post(reverse("partners:question_skip"), follow=True)
    assert "Skipped. That&#x27;s fine: nothing is shown for today." in page_text(response)
    page = page_text(client.get(reverse("partners:question")))
    assert "You skipped today's question." in page
    assert "Alice&#x27;s words" not in page
    client.force_login(alice)
    page = page_text(client.get(reverse("partners:question")))
    assert WAITING in page  # nothing says Dan skipped, nor that he looked


def test_an_empty_answer_is_refused_with_a_message(client, alice, linked):
    client.force_login(alice)
    response = client.post(reverse("partners:question"), {"text": "  "})
    assert response.status_code == 400
    assert "Write a few words, or skip it." in page_text(response)
    assert not PairAnswer.objects.exists()


def test_the_question_is_404_without_a_link_or_when_turned_off(client, alice, charlie, linked):
    client.force_login(charlie)
    assert client.get(reverse("partners:question")).status_code == 404
    linked.question_on = False
    linked.save()
    client.force_login(alice)
    assert client.get(reverse("partners:question")).status_code == 404


def test_questions_do_not_repeat_until_the_pool_is_used(linked):
    day = linked.reader.local_today()
    picked = [
        services.question_for_link(link=linked, day=day + timedelta(days=n)) for n in range(8)
    ]
    assert len({q.question_id for q in picked}) == 8


def test_the_depth_follows_the_link_and_tells_nothing_of_either_ones_lessons(linked):
    """Light questions first, whatever either has read; a deeper one only once the link has
    had every lighter one."""
    both = [q for q in questions.deck().values() if q.ask == "both" and not q.content_note]
    light = sum(q.depth == "light" for q in both)
    day = linked.reader.local_today()
    depths = [
        questions.deck()[
            services.question_for_link(link=linked, day=day + timedelta(days=n)).question_id
        ].depth
        for n in range(light + 1)
    ]
    assert depths == ["light"] * light + ["warmer"]
