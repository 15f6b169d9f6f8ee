"""The weekly check-in: one step a screen, skippable, last week's plan, past check-ins."""

from datetime import date, timedelta

from django.urls import reverse

from journal.models import Entry
from lessons.models import Progress
from tests.factories import CheckInFactory, LessonFactory

URL = reverse("practice:check_in_new")


def _step(client, screen: int | str, data: dict, go: str = "next"):
    return client.post(URL, {"screen": str(screen), "go": go, **data})


def _form_values(alice) -> dict:
    return {"day": alice.local_today().isoformat()}


def test_start_screen_shows_the_intro_and_no_plan_question_without_a_past_check_in(
    alice_client,
):
    page = alice_client.get(URL).content.decode()

    assert "Ten minutes, once a week." in page
    assert "Did it happen?" not in page
    assert 'value="next" class="button">Begin</button>' in page


def test_last_weeks_plan_opens_the_next_check_in(alice_client, alice):
    CheckInFactory(
        user=alice, day=alice.local_today() - timedelta(days=7), next_week="Cinema on Friday"
    )

    page = alice_client.get(URL).content.decode()

    assert "Last week you planned: <strong>Cinema on Friday</strong>. Did it happen?" in page


def test_each_screen_asks_one_step_and_carries_the_others(alice_client, alice):
    response = _step(alice_client, 1, {**_form_values(alice), "went_well": "A long walk"})

    page = response.content.decode()
    assert "<h1>When you felt distant</h1>" in page
    assert "Step 2 of 5" in page
    assert '<input type="hidden" name="went_well" value="A long walk"' in page
    assert Entry.objects.count() == 0


def test_a_skipped_step_is_saved_empty(alice_client, alice):
    _step(
        alice_client,
        4,
        {**_form_values(alice), "went_well": "A long walk", "appreciation": "x"},
        go="skip",
    )

    response = _step(alice_client, 5, {**_form_values(alice), "went_well": "A long walk"})

    assert response.status_code == 302
    assert response["Location"] == reverse("practice:check_in_past")
    saved = Entry.objects.values_list("kind", "went_well", "appreciation", "next_week")
    assert saved.get(user=alice) == ("check_in", "A long walk", "", "")


def test_saving_keeps_last_weeks_plan_and_whether_it_happened(alice_client, alice):
    CheckInFactory(user=alice, day=alice.local_today() - timedelta(days=7), next_week="Cinema")
    data = {
        **_form_values(alice),
        "plan_happened": "partly",
        "plan_note": "We went, but late",
        "next_week": "Cook together",
    }

    _step(alice_client, 5, data)

    saved = Entry.objects.values_list("last_plan", "plan_happened", "plan_note", "next_week")
    assert saved.filter(user=alice).latest("pk") == (
        "Cinema",
        "partly",
        "We went, but late",
        "Cook together",
    )


def test_a_ten_thousand_character_answer_gets_a_message_and_is_kept(alice_client, alice):
    long = "x" * 10_000
    response = _step(alice_client, 5, {**_form_values(alice), "felt_distant": long})

    page = response.content.decode()
    assert "<h1>When you felt distant</h1>" in page  # back on the step with the problem
    assert "Ensure this value has at most 3000 characters (it has 10000)." in page
    assert long in page
    assert Entry.objects.count() == 0


def test_back_goes_to_the_previous_step_without_messages(alice_client, alice):
    response = _step(
        alice_client, 2, {**_form_values(alice), "felt_distant": "x" * 4000}, go="back"
    )

    page = response.content.decode()
    assert "<h1>What went well</h1>" in page
    assert "at most 3000" not in page


def test_a_screen_number_in_other_digits_counts_as_the_start(alice_client, alice):
    page = _step(alice_client, "²", _form_values(alice)).content.decode()

    assert "Step 1 of 5" in page


def test_someone_without_a_partner_is_asked_the_alone_wording(alice_client, alice):
    alice.situation = "single"
    alice.save(update_fields=["situation"])

    page = _step(alice_client, 0, _form_values(alice)).content.decode()

    assert "What went well with the people close to you this week? One moment is enough." in page


def test_from_a_lesson_the_check_in_marks_it_done(alice_client, alice):
    lesson = LessonFactory(slug="needs-and-check-ins", practice_kind="check_in")

    _step(alice_client, 5, {**_form_values(alice), "lesson_slug": lesson.slug, "need": "Rest"})

    assert Progress.objects.get(user=alice, lesson=lesson).done_at is not None
    assert Entry.objects.get(user=alice).lesson_slug == "needs-and-check-ins"


def test_past_check_ins_read_newest_first(alice_client, alice):
    CheckInFactory(user=alice, day=date(2026, 1, 4), went_well="The first week")
    CheckInFactory(user=alice, day=date(2026, 1, 11), went_well="The second week")

    page = alice_client.get(reverse("practice:check_in_past")).content.decode()

    assert page.index("The second week") < page.index("The first week")
    assert "Week of 11 January 2026" in page


def test_together_page_is_plain_text_with_the_five_questions(alice_client):
    page = alice_client.get(reverse("practice:check_in_together")).content.decode()

    assert "1. What went well between you this week? One moment is enough." in page
    assert "5. What&#x27;s one thing you&#x27;ll do together next week?" in page
    assert 'data-share-from="together-text"' in page


def test_charlie_never_sees_alices_plan(client, alice, charlie):
    CheckInFactory(user=alice, day=alice.local_today() - timedelta(days=7), next_week="Secret plan")
    client.force_login(charlie)

    assert "Secret plan" not in client.get(URL).content.decode()
    assert "Secret plan" not in client.get(reverse("practice:check_in_past")).content.decode()
