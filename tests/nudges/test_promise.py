"""What the reminder page promises as the next reminder is what the dispatcher does.

Each case changes the settings or the time zone on the pages, reads "Next reminder: …" on
the reminder page, then runs the dispatcher every quarter of an hour (as beat does every
minute; every reminder time here falls on a quarter) and checks that the first nudge goes
out at the promised instant, for the promised local date, and no earlier.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from nudges.models import NudgeDelivery
from tests.factories import UserFactory

STEP = timedelta(minutes=15)
EVERY_DAY = [str(day) for day in range(7)]


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _settings(at="20:00", days=EVERY_DAY, paused_until="", enabled="on") -> tuple:
    form = {"enabled": enabled, "local_time": at, "weekdays": days, "paused_until": paused_until}
    return ("settings", form)


def _zone(name: str) -> tuple:
    return ("zone", {"display_name": "Dana", "time_zone": name})


DISPATCH = ("dispatch", None)

CASES = {
    "zone changed to one where today's time is still ahead": (
        "Europe/London",
        [(_utc(2026, 3, 4, 9), _settings()), (_utc(2026, 3, 4, 9), _zone("Asia/Kolkata"))],
        "Wednesday 4 March at 20:00",
    ),
    "zone changed after today's nudge went out": (
        "Asia/Kolkata",
        [
            (_utc(2026, 3, 4, 9), _settings()),
            (_utc(2026, 3, 4, 14, 30), DISPATCH),
            (_utc(2026, 3, 4, 15), _zone("Europe/London")),
        ],
        "Thursday 5 March at 20:00",
    ),
    "time moved later after today's nudge went out": (
        "Europe/London",
        [
            (_utc(2026, 3, 4, 9), _settings()),
            (_utc(2026, 3, 4, 20), DISPATCH),
            (_utc(2026, 3, 4, 20, 5), _settings(at="21:00")),
        ],
        "Thursday 5 March at 21:00",
    ),
    "turned off and on again after today's nudge": (
        "Europe/London",
        [
            (_utc(2026, 3, 4, 9), _settings()),
            (_utc(2026, 3, 4, 20), DISPATCH),
            (_utc(2026, 3, 4, 20, 10), _settings(enabled="")),
            (_utc(2026, 3, 4, 20, 20), _settings(at="22:00")),
        ],
        "Thursday 5 March at 22:00",
    ),
    "a time skipped by the spring-forward jump": (
        "America/New_York",
        [(_utc(2026, 3, 7, 12), _settings(at="02:30"))],
        "Sunday 8 March at 03:00",
    ),
    "a time repeated by the fall-back jump": (
        "America/New_York",
        [(_utc(2026, 10, 31, 12), _settings(at="01:30"))],
        "Sunday 1 November at 01:30",
    ),
    "zone changed across a DST change": (
        "Europe/London",
        [
            (_utc(2026, 3, 7, 12), _settings(at="02:30")),
            (_utc(2026, 3, 7, 12), _zone("America/New_York")),
        ],
        "Sunday 8 March at 03:00",
    ),
    "a pause": (
        "Europe/London",
        [(_utc(2026, 3, 4, 9), _settings(paused_until="2026-03-05"))],
        "Friday 6 March at 20:00",
    ),
    "days off, then a zone change": (
        "Pacific/Auckland",
        [
            (_utc(2026, 3, 4, 9), _settings(days=["1", "5"])),  # Tuesday and Saturday
            (_utc(2026, 3, 4, 9), _zone("Asia/Kolkata")),
        ],
        "Saturday 7 March at 20:00",
    ),
}


def _promised(page: str, zone: ZoneInfo) -> datetime:
    [text] = re.findall(r"Next reminder: \w+ (\d+ \w+) at (\d\d:\d\d)\.", page)
    local = datetime.strptime(f"{text[0]} 2026 {text[1]}", "%d %B %Y %H:%M")
    return local.replace(tzinfo=zone).astimezone(UTC)  # fold=0: a repeated time's first


@pytest.mark.django_db
@pytest.mark.parametrize(("zone", "steps", "promise"), CASES.values(), ids=CASES.keys())
def test_the_next_reminder_shown_is_the_one_the_dispatcher_sends(
    client, dispatch, zone, steps, promise
):
    dana = UserFactory(email="dana@example.com", display_name="Dana", time_zone=zone)
    client.force_login(dana)
    for instant, (action, form) in steps:
        with time_machine.travel(instant, tick=False):
            if action == "dispatch":
                dispatch(instant)
            else:
                url = reverse("home:profile" if action == "zone" else "nudges:settings")
                client.post(url, form)
    mail.outbox.clear()
    with time_machine.travel(instant, tick=False):
        page = client.get(reverse("nudges:settings")).content.decode()
    dana.refresh_from_db()
    promised = _promised(page, dana.zone)

    sent_at = instant.replace(minute=0) + STEP * (instant.minute // 15 + 1)  # the next quarter
    while not mail.outbox and sent_at <= promised + timedelta(days=1):
        with time_machine.travel(sent_at, tick=False):
            dispatch(sent_at)
        sent_at += STEP

    assert f"Next reminder: {promise}." in page
    assert sent_at - STEP == promised
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]
    delivery = NudgeDelivery.objects.get(status="sent", due_at=promised)
    assert delivery.local_date == promised.astimezone(dana.zone).date()
