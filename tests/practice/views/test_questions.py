from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse
from django.utils.html import escape

from journal.forms import DAY_LOST
from journal.models import DailyQuestion, Entry
from practice import questions
from tests.conftest import assert_refused

MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _question_on(client, when: datetime) -> str:
    with time_machine.travel(when, tick=False):
        client.get(reverse("practice:answer_new"))
    return DailyQuestion.objects.order_by("-day").first().question_id


def test_the_question_stays_the_same_all_day_and_changes_the_next(alice_client):
    first = _question_on(alice_client, MORNING)
    again = _question_on(alice_client, MORNING + timedelta(hours=10))
    tomorrow = _question_on(alice_client, MORNING + timedelta(days=1))

    assert first == again
    assert tomorrow != first
    assert questions.deck()[first].depth == "light"  # no lessons done yet


def test_no_question_comes_back_until_every_open_one_has_been_asked(alice):
    light = [q for q in questions.deck().values() if q.depth == "light"]
    seen = {q.id for q in light[:-1]}

    question, starts_over = questions.pick(seen=seen, lessons_done=0, has_partner=True, seed="x")
    assert (question.id, starts_over) == (light[-1].id, False)
    _, starts_over = questions.pick(
        seen=seen | {light[-1].id}, lessons_done=0, has_partner=True, seed="x"
    )
    assert starts_over is True


def test_questions_get_deeper_with_lessons_done_and_skip_partner_only_ones_for_singles():
    deep, _ = questions.pick(seen=set(), lessons_done=25, has_partner=False, seed="y")
    assert (deep.depth, deep.partner_only) == ("deep", False)


def test_answering_saves_a_journal_entry_with_the_question(alice_client, alice):
    with time_machine.travel(MORNING, tick=False):
        alice_client.get(reverse("practice:answer_new"))
        response = alice_client.post(
            reverse("practice:answer_new"), {"answer": "Walking by the sea."}
        )

    daily = DailyQuestion.objects.get(user=alice)
    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.question, entry.answer) == (
        "answer",
        questions.deck()[daily.question_id].for_journal,
        "Walking by the sea.",
    )
    assert daily.answer == entry
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])


def test_an_empty_answer_says_skipping_is_fine_and_saves_nothing(alice_client, alice):
    response = alice_client.post(reverse("practice:answer_new"), {"answer": "  "})

    assert response.status_code == 400
    assert (
        "Write a few words to save an answer, or skip the question: skipping is fine."
        in response.content.decode()
    )
    assert not Entry.objects.exists()


def test_skipping_is_fine_and_today_moves_on(alice_client, alice):
    response = alice_client.post(reverse("practice:question_skip"), follow=True)

    assert "Skipped. A new question comes tomorrow." in response.content.decode()
    assert DailyQuestion.objects.get(user=alice).skipped_at is not None


BEFORE_MIDNIGHT = datetime(2026, 12, 1, 23, 50, tzinfo=UTC)  # alice's London is on UTC
AFTER_MIDNIGHT = BEFORE_MIDNIGHT + timedelta(minutes=20)


def _shown_at(client, when: datetime) -> str:
    """The question of the page opened at `when`, after checking the page carries its day."""
    with time_machine.travel(when, tick=False):
        page = client.get(reverse("practice:answer_new")).content.decode()
    daily = DailyQuestion.objects.get(day=when.date())
    assert f'name="day" value="{daily.day.isoformat()}"' in page
    return questions.deck()[daily.question_id].for_journal


def test_an_answer_begun_before_midnight_keeps_the_question_it_answers(alice_client, alice):
    shown = _shown_at(alice_client, BEFORE_MIDNIGHT)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        alice_client.post(
            reverse("practice:answer_new"), {"answer": "Her laugh.", "day": "2026-12-01"}
        )

    entry = Entry.objects.get(user=alice)
    assert (entry.question, entry.answer, str(entry.day)) == (shown, "Her laugh.", "2026-12-01")
    assert DailyQuestion.objects.get(day="2026-12-01").answer == entry
    assert not DailyQuestion.objects.filter(day="2026-12-02").exists()


def test_a_skip_sent_after_midnight_skips_the_question_shown(alice_client, alice):
    _shown_at(alice_client, BEFORE_MIDNIGHT)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        alice_client.post(reverse("practice:question_skip"), {"day": "2026-12-01"})

    assert DailyQuestion.objects.get(day="2026-12-01").skipped_at == AFTER_MIDNIGHT
    assert not DailyQuestion.objects.filter(day="2026-12-02").exists()


def test_a_carried_day_still_to_come_says_so_and_keeps_the_answer(alice_client, alice):
    with time_machine.travel(MORNING, tick=False):
        data = {"answer": "Tea together.", "day": "2026-12-05"}
        response = alice_client.post(reverse("practice:answer_new"), data)
        again = alice_client.post(reverse("practice:answer_new"), {**data, "day": "2026-12-01"})

    assert_refused(response, DAY_LOST, "Tea together.", 'name="day" value="2026-12-01"')
    entry = Entry.objects.get(user=alice)
    assert (str(entry.day), entry.answer) == ("2026-12-01", "Tea together.")
    assert again["Location"] == reverse("journal:entry_detail", args=[entry.pk])


def _page_for(client, user, question_id: str) -> str:
    DailyQuestion.objects.create(user=user, day=user.local_today(), question_id=question_id)
    return client.get(reverse("practice:answer_new")).content.decode()


def test_a_question_for_both_asks_them_in_its_words_and_says_they_need_not_answer(
    alice_client, alice
):
    page = _page_for(alice_client, alice, "q019")  # "Which of my habits…"

    question = questions.deck()["q019"]
    assert f'<p class="question-of-the-day">{escape(question.yourself)}</p>' in page
    sent = escape(f"{question.text} No need to answer if you'd rather not.")
    assert f'data-share-text="{sent}"' in page
    assert "<h2>Answer it yourself</h2>" in page


def test_a_question_only_for_yourself_has_no_ask_them(alice_client, alice):
    only_yours = next(q for q in questions.deck().values() if q.ask == "yourself")

    page = _page_for(alice_client, alice, only_yours.id)

    assert "data-share-text" not in page
    assert "<h2>Answer it yourself</h2>" in page


def test_a_question_only_for_them_asks_what_they_said_instead_of_an_answer(alice_client, alice):
    only_theirs = next(q for q in questions.deck().values() if q.ask == "them")

    page = _page_for(alice_client, alice, only_theirs.id)

    assert "<h2>Note what you heard</h2>" in page
    assert "What did they say, and what stayed with you?" in page


def test_a_question_about_past_hurt_opens_with_a_note_and_a_skip(alice_client, alice):
    page = _page_for(alice_client, alice, "q090")

    note = page.index("This one may bring back an old hurt.")
    assert note < page.index("Skip today's question") < page.index('class="question-of-the-day"')
    assert page.count(f'action="{reverse("practice:question_skip")}"') == 1  # one, up front


def test_a_question_without_a_note_offers_one_skip_under_the_form(alice_client, alice):
    plain = next(q for q in questions.deck().values() if not q.content_note)

    page = _page_for(alice_client, alice, plain.id)

    skip = f'action="{reverse("practice:question_skip")}"'
    assert page.count(skip) == 1
    assert page.index("</textarea>") < page.index(skip)
    assert '<button type="submit" class="link-button">Skip today\'s question</button>' in page


def test_a_days_question_merged_away_since_is_replaced(alice_client, alice):
    page = _page_for(alice_client, alice, "q064")  # merged into q047

    daily = DailyQuestion.objects.get(user=alice)
    assert daily.question_id in questions.deck()
    assert escape(questions.deck()[daily.question_id].for_journal) in page
