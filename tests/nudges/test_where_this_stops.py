"""Every reminder urges a step toward someone (a lesson's practice, gratitude, turning toward,
the weekly check-in, going back after a break), so each says in one line where that stops,
with the help link, in both its parts."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core import mail

from nudges import weekly
from nudges.emails import NudgeEmails, check_in_reminder_email
from nudges.models import OneOffReminder
from nudges.selectors import Suggestion
from nudges.services.one_off import one_off_schedule, one_off_send_due
from tests.factories import BreakFactory
from tests.lessons.pages import visible_text

from .conftest import reminder

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
HELP = "http://127.0.0.1:8000/help/"
LINE = (
    "Closer is self-help, not therapy. What it suggests is for people who treat you well: "
    "if someone close hurts, controls or frightens you, you owe them none of it. Get help now"
)


def _nudge(user):
    suggestion = Suggestion(text="Answer one bid", path="/lessons/turn-toward/")
    return NudgeEmails().build(user=user, schedule=reminder(user), suggestion=suggestion)


def _check_in_reminder(user):
    every_sunday = weekly.reminder_update(user=user, enabled=True, weekday=6, local_time=time(19))
    return check_in_reminder_email(user=user, reminder=every_sunday)


def _break_end(user):
    entry = BreakFactory(user=user, return_at=NOW)
    purpose = OneOffReminder.Purpose.BREAK_END
    one_off_schedule(user=user, purpose=purpose, key=str(entry.pk), due_at=NOW, entry=entry)
    one_off_send_due(now=NOW)
    [message] = mail.outbox
    return message


@pytest.mark.parametrize("build", [_nudge, _check_in_reminder, _break_end])
def test_every_reminder_says_where_it_stops_with_the_help_link(alice, build):
    with time_machine.travel(NOW, tick=False):
        message = build(alice)

    html = message.alternatives[0][0]
    assert f"{LINE}: {HELP}\n" in message.body
    assert f"{LINE}." in visible_text(html)
    assert f'<a href="{HELP}"' in html
