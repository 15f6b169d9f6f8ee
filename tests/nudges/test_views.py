"""The reminder settings page and the signed link that turns reminders off."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from nudges.models import NudgeDelivery, ReminderSchedule
from nudges.services import schedule_create_default
from nudges.tokens import unsubscribe_token

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # Wednesday morning in London
SETTINGS = reverse("nudges:settings")
VALID = {
    "enabled": "on",
    "local_time": "07:45",
    "weekdays": ["0", "2", "4"],
    "paused_until": "",
    "skip_if_written": "on",
}


@pytest.fixture(autouse=True)
def _wednesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


def _delivery(user, day: int, **fields) -> NudgeDelivery:
    instant = datetime(2026, 3, day, 20, 0, tzinfo=UTC)
    defaults = {"due_at": instant, "claimed_at": instant, "queued_at": instant}
    return NudgeDelivery.objects.create(
        user=user, local_date=date(2026, 3, day), **(defaults | fields)
    )


def test_settings_page_creates_the_default_schedule_for_older_users(alice_client, alice):
    page = alice_client.get(SETTINGS).content.decode()

    assert ReminderSchedule.objects.get(user=alice).next_due_at == datetime(
        2026, 3, 4, 20, 0, tzinfo=UTC
    )
    assert "Next reminder: Wednesday 4 March at 20:00." in page
    assert 'name="local_time" value="20:00"' in page
    assert "Times are in your time zone, Europe/London." in page
    assert "No nudges yet." in page


def test_saving_settings_changes_the_next_reminder(alice_client, alice):
    response = alice_client.post(SETTINGS, VALID, follow=True)

    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.local_time, schedule.weekday_list, schedule.skip_if_written) == (
        time(7, 45),
        [0, 2, 4],
        True,
    )
    assert schedule.next_due_at == datetime(2026, 3, 6, 7, 45, tzinfo=UTC)  # Friday
    page = response.content.decode()
    assert "Your reminder settings are saved." in page
    assert "Next reminder: Friday 6 March at 07:45." in page


def test_turning_reminders_off_clears_the_next_one(alice_client, alice):
    alice_client.post(SETTINGS, {**VALID, "enabled": ""})

    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.enabled, schedule.next_due_at) == (False, None)
    assert "Reminders are off." in alice_client.get(SETTINGS).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"local_time": "24:00"}, "Enter a time between 00:00 and 23:59, like 20:00."),
        ({"local_time": "7pm"}, "Enter a time between 00:00 and 23:59, like 20:00."),
        ({"local_time": ""}, "Enter a time between 00:00 and 23:59, like 20:00."),
        ({"weekdays": []}, "Choose at least one day, or turn the reminder off."),
        (
            {"paused_until": "2026-03-03"},
            "That day has passed. Pick today or a later day, or leave it empty.",
        ),
    ],
)
def test_bad_settings_explain_keep_input_and_change_nothing(alice_client, alice, change, message):
    schedule_create_default(user=alice)
    before = list(ReminderSchedule.objects.values())

    response = alice_client.post(SETTINGS, {**VALID, "paused_until": "2026-03-20", **change})

    page = response.content.decode()
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in page
    assert list(ReminderSchedule.objects.values()) == before
    if "paused_until" not in change:
        assert 'name="paused_until" value="2026-03-20"' in page
    if "weekdays" not in change:
        assert 'value="2" id="id_weekdays_2" checked>' in page


def test_recent_nudges_show_when_what_and_outcome(alice_client, alice):
    _delivery(
        alice,
        2,
        status="sent",
        sent_at=datetime(2026, 3, 2, 20, 0, 3, tzinfo=UTC),
        suggestion="Answer one bid (from the lesson “Turn toward”)",
    )
    _delivery(alice, 3, status="skipped", skip_reason="written")

    page = alice_client.get(SETTINGS).content.decode()

    assert "Tue 3 Mar</span>" in page
    assert "You had already written that day." in page
    assert "Mon 2 Mar, 20:00</span>" in page
    assert "Answer one bid (from the lesson “Turn toward”)" in page
    assert page.index("Tue 3 Mar") < page.index("Mon 2 Mar")


def test_settings_page_shows_the_last_five_nudges_and_why_one_failed(alice_client, alice):
    _delivery(alice, 1, status="sent", suggestion="Practice 1")
    _delivery(alice, 2, status="sent", suggestion="Practice 2")
    _delivery(alice, 3, status="failed", error="Too late to send. SMTPServerDisconnected: gone")
    for day in (4, 5, 6):
        _delivery(alice, day, status="sent", suggestion=f"Practice {day}")

    page = alice_client.get(SETTINGS).content.decode()

    assert page.count('<li class="nudge-item') == 5
    assert "Practice 2" in page
    assert "Practice 1" not in page
    assert (
        '<span class="badge nudge-status">Not sent</span>\n          <span class="nudge-what">'
        "It could not go out within two hours of its time, so we let it go.</span>"
    ) in page


def test_charlie_does_not_see_alices_nudges(client, alice, charlie):
    _delivery(alice, 2, status="sent", suggestion="Alice's private practice")
    client.force_login(charlie)

    page = client.get(SETTINGS).content.decode()

    assert "Alice" not in page
    assert "No nudges yet." in page


def test_settings_page_stays_within_its_query_budget(
    alice_client, alice, django_assert_max_num_queries
):
    for day in range(1, 21):
        _delivery(alice, day, status="sent", suggestion=f"Practice {day}")
    alice_client.get(SETTINGS)

    with django_assert_max_num_queries(6):
        page = alice_client.get(SETTINGS).content.decode()

    assert page.count('class="nudge-item') == 5


def test_settings_need_login(client, db):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_page_links_to_the_reminder(alice_client):
    page = alice_client.get(reverse("home:profile")).content.decode()

    assert f'<a href="{SETTINGS}">Your daily reminder</a>' in page
    weekly = reverse("practice:check_in_reminder")
    assert f'<a href="{weekly}">Your weekly check-in reminder</a>' in page


def test_daily_reminder_page_leads_to_the_weekly_check_in_reminder(alice_client):
    page = alice_client.get(SETTINGS).content.decode()

    weekly = reverse("practice:check_in_reminder")
    assert (
        "Your weekly check-in has a reminder of its own, set apart from this one: "
        f'<a href="{weekly}">Weekly check-in reminder</a>.'
    ) in page


def test_profile_refuses_a_time_zone_that_does_not_exist(alice_client, alice):
    response = alice_client.post(
        reverse("home:profile"), {"display_name": "Alice", "time_zone": "Mars/Olympus"}
    )

    alice.refresh_from_db()
    assert "Select a valid choice." in response.content.decode()
    assert alice.time_zone == "Europe/London"


# The signed link in every nudge ---------------------------------------------------------


def _link(user) -> str:
    return reverse("nudges:unsubscribe", args=[unsubscribe_token(user=user)])


def test_unsubscribe_link_asks_before_changing_anything(client, alice):
    schedule_create_default(user=alice)

    page = client.get(_link(alice)).content.decode()

    assert "Turn off daily reminders?" in page
    assert '<button type="submit" name="action" value="off"' in page
    assert ReminderSchedule.objects.get(user=alice).enabled is True


def test_unsubscribe_link_turns_reminders_off_without_login(client, alice):
    schedule_create_default(user=alice)

    response = client.post(_link(alice), {"action": "off"})

    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.enabled, schedule.next_due_at) == (False, None)
    assert "Daily reminders are off" in response.content.decode()


def test_one_click_post_from_the_mail_app_turns_reminders_off(client, alice):
    schedule_create_default(user=alice)
    client.handler.enforce_csrf_checks = True  # mail providers send no CSRF token

    response = client.post(
        _link(alice),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert ReminderSchedule.objects.get(user=alice).enabled is False


def test_unsubscribe_link_can_pause_for_a_week_instead(client, alice):
    schedule_create_default(user=alice)

    response = client.post(_link(alice), {"action": "pause"})

    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.enabled, schedule.paused_until) == (True, date(2026, 3, 10))
    assert schedule.next_due_at == datetime(2026, 3, 11, 20, 0, tzinfo=UTC)
    assert "No reminders up to and including Tuesday 10 March." in response.content.decode()


def test_tampered_unsubscribe_link_changes_nothing(client, alice, charlie):
    schedule_create_default(user=alice)
    token = unsubscribe_token(user=charlie).replace(str(charlie.pk), str(alice.pk), 1)

    response = client.post(reverse("nudges:unsubscribe", args=[token]), {"action": "off"})

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert "Nothing was changed." in response.content.decode()
    assert ReminderSchedule.objects.get(user=alice).enabled is True


def test_expired_unsubscribe_link_changes_nothing(client, alice):
    schedule_create_default(user=alice)
    with time_machine.travel(NOW - timedelta(days=31), tick=False):
        link = _link(alice)

    response = client.post(link, {"action": "off"})

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert ReminderSchedule.objects.get(user=alice).enabled is True
