from datetime import UTC, datetime, time

import time_machine
from django.urls import reverse

from nudges.models import ReminderSchedule
from nudges.services import schedule_create_default
from tests.lessons.pages import visible_text

FIRST_RUN = reverse("home:first_run")


def _schedule(user) -> tuple:
    schedule = ReminderSchedule.objects.get(user=user)
    return schedule.enabled, schedule.local_time, schedule.next_due_at


def test_first_run_asks_where_the_reader_is_and_when_to_remind_them(alice_client, alice):
    page = visible_text(alice_client.get(FIRST_RUN).content)

    assert (
        "Before you start Two quick questions, so the lessons and your reminder fit you. Both are"
        " optional, and you can change them at any time on your profile."
        " Right now I am… In a relationship Dating Single Between relationships Rather not say"
        " The lessons' practices, the order of the path and the journal's questions follow"
        " your answer. Send me a daily reminder At what time?"
        " Times are in your time zone, Europe/London. Reminders come by email to"
        " alice@example.com, with a link to turn them off. Save and start Skip for now"
    ) in page


def test_first_run_offers_the_reminder_as_sign_up_left_it(alice_client, alice):
    schedule_create_default(user=alice)

    html = alice_client.get(FIRST_RUN).content.decode()

    assert '<input type="checkbox" name="reminder" id="id_reminder" checked>' in html
    assert 'name="local_time" value="20:00"' in html


def test_first_run_saves_the_situation_and_moves_the_reminder(alice_client, alice):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        response = alice_client.post(
            FIRST_RUN, {"situation": "single", "reminder": "on", "local_time": "07:30"}, follow=True
        )

    alice.refresh_from_db()
    assert alice.situation == "single"
    assert _schedule(alice) == (True, time(7, 30), datetime(2026, 3, 3, 7, 30, tzinfo=UTC))
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Saved. You can change both at any time on your profile." in visible_text(
        response.content
    )


def test_first_run_can_turn_the_reminder_off(alice_client, alice):
    alice_client.post(FIRST_RUN, {"situation": "together", "local_time": "20:00"})

    alice.refresh_from_db()
    assert alice.situation == "together"
    assert _schedule(alice) == (False, time(20, 0), None)


def test_first_run_with_a_bad_time_explains_and_keeps_the_choice(alice_client, alice):
    response = alice_client.post(
        FIRST_RUN, {"situation": "dating", "reminder": "on", "local_time": "25:99"}
    )

    html = response.content.decode()
    assert "Enter a time between 00:00 and 23:59, like 20:00." in visible_text(html)
    assert 'value="dating" id="id_situation_1" checked' in html
    alice.refresh_from_db()
    assert alice.situation == ""
    assert not ReminderSchedule.objects.filter(user=alice, local_time=time(1, 0)).exists()


def test_first_run_refuses_an_unknown_situation(alice_client, alice):
    response = alice_client.post(FIRST_RUN, {"situation": "married", "local_time": "20:00"})

    assert "Select a valid choice. married is not one of the available choices." in (
        visible_text(response.content)
    )
    alice.refresh_from_db()
    assert alice.situation == ""


def test_skipping_the_first_run_leaves_the_situation_unasked(alice_client, alice):
    html = alice_client.get(FIRST_RUN).content.decode()

    assert f'<a class="button secondary" href="{reverse("home")}">Skip for now</a>' in html
    alice.refresh_from_db()
    assert alice.situation == ""


def test_first_run_needs_login(client, db):
    response = client.get(FIRST_RUN)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
