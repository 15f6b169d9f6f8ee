"""Fields a page carries hidden (the day, the lesson it came from) that come back tampered
with: the page says what went wrong where the user sees it, keeps what they typed, and
saving again works."""

from datetime import timedelta

from django.urls import reverse

from journal.models import Entry
from tests.conftest import assert_refused

LESSON_LOST = (
    "The link to the lesson this came from was damaged, so it is not tied to a lesson. "
    "What you typed is still here: save again to keep it."
)
DAY_LOST = (
    "The day this page carried could not be used (it was not a date, or one still to come). "
    "What you typed is still here: save again to keep it for today."
)


def test_a_rung_for_a_day_still_to_come_says_so_and_keeps_the_rung(alice_client, alice):
    future = (alice.local_today() + timedelta(days=3)).isoformat()
    data = {"day": future, "rung_text": "Say I missed her", "who": "partner"}

    response = alice_client.post(reverse("practice:rung_new"), data)

    assert_refused(response, DAY_LOST, "Say I missed her")
    assert not Entry.objects.filter(user=alice).exists()
    assert f'value="{alice.local_today().isoformat()}"' in response.content.decode()

    alice_client.post(reverse("practice:rung_new"), {**data, "day": alice.local_today()})
    assert Entry.objects.get(user=alice, kind="rung").rung_text == "Say I missed her"


def test_a_check_in_with_a_bad_day_says_so_at_the_end_and_keeps_the_answers(alice_client, alice):
    data = {"screen": "5", "go": "next", "day": "not-a-day", "went_well": "A long walk"}

    response = alice_client.post(reverse("practice:check_in_new"), data)

    assert_refused(response, DAY_LOST, 'value="A long walk"')
    assert not Entry.objects.filter(user=alice).exists()

    today = alice.local_today().isoformat()
    saved = alice_client.post(reverse("practice:check_in_new"), {**data, "day": today})
    assert saved.status_code == 302
    assert Entry.objects.get(user=alice, kind="check_in").went_well == "A long walk"


def test_a_bad_lesson_slug_says_so_and_saving_again_keeps_the_entry(alice_client, alice):
    data = {"day": alice.local_today().isoformat(), "moments": "She made tea", "why": "Kind"}

    response = alice_client.post(
        reverse("journal:gratitude_new"), {**data, "lesson_slug": "no such lesson!"}
    )

    assert_refused(response, LESSON_LOST, "She made tea")
    assert 'name="lesson_slug" value="no such lesson!"' not in response.content.decode()
    assert not Entry.objects.filter(user=alice).exists()

    alice_client.post(reverse("journal:gratitude_new"), {**data, "lesson_slug": ""})
    assert Entry.objects.get(user=alice).moments == "She made tea"


def test_a_bad_lesson_slug_on_a_practice_tool_says_so(alice_client, alice):
    data = {"answer": "More walks", "lesson_slug": "x" * 200}

    response = alice_client.post(reverse("practice:answer_new"), data)

    assert_refused(response, LESSON_LOST, "More walks")
    assert not Entry.objects.filter(user=alice).exists()
