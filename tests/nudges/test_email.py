"""What the nudge says: one suggestion from the lessons, one link to the gratitude form."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from lessons.models import Lesson, Progress
from nudges.prompts import lean_in_prompt
from nudges.tokens import unsubscribe_token
from tests.factories import LessonFactory, ModuleFactory

from .conftest import reminder

EVENING = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def lessons(db) -> list[Lesson]:
    module = ModuleFactory(slug="lean-in", title="Lean in")
    return [
        LessonFactory(
            module=module,
            position=position,
            slug=slug,
            title=title,
            practice_kind="gratitude",
            practice_title=practice,
        )
        for position, slug, title, practice in (
            (1, "notice-the-good", "Notice the good", "Note one kind thing"),
            (2, "turn-toward", "Turn toward", "Answer one bid"),
        )
    ]


@pytest.fixture
def nudge(dispatch, alice):
    """Alice's nudge for Wednesday 4 March 2026, as sent."""

    def send():
        with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
            reminder(alice)
        with time_machine.travel(EVENING, tick=False):
            dispatch(EVENING)
        [message] = mail.outbox
        return message

    return send


@pytest.mark.django_db
def test_nudge_suggests_the_practice_of_the_next_lesson(nudge, lessons, alice):
    Progress.objects.create(
        user=alice, lesson=lessons[0], started_at=timezone.now(), done_at=timezone.now()
    )

    message = nudge()

    assert message.subject == "A small step for today"
    assert message.to == ["alice@example.com"]
    assert "One thing for today:\nAnswer one bid (from the lesson “Turn toward”)\n" in message.body
    assert f"{SITE}/lessons/turn-toward/\n" in message.body
    assert f"Write it down in a few seconds:\n{SITE}/journal/gratitude/new/\n" in message.body
    assert (
        alice.nudge_deliveries.get().suggestion == "Answer one bid (from the lesson “Turn toward”)"
    )


@pytest.mark.django_db
def test_nudge_after_every_lesson_offers_a_lean_in_prompt(nudge, lessons, alice):
    for lesson in lessons:
        Progress.objects.create(
            user=alice, lesson=lesson, started_at=timezone.now(), done_at=timezone.now()
        )

    message = nudge()

    prompt = lean_in_prompt(EVENING.date())
    assert f"One thing for today:\n{prompt}\n{SITE}/journal/gratitude/new/\n" in message.body
    assert alice.nudge_deliveries.get().suggestion == prompt


@pytest.mark.django_db
def test_nudge_has_html_part_and_one_click_unsubscribe_headers(nudge, lessons, alice):
    message = nudge()

    with time_machine.travel(EVENING, tick=False):
        link = f"{SITE}/reminders/stop/{unsubscribe_token(user=alice)}/"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{SITE}/journal/gratitude/new/"' in html
    assert f'<a href="{link}"' in html
    assert f"Turn them off (no login needed): {link}\n" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "You get this reminder at 20:00 every day." in message.body


@pytest.mark.django_db
def test_name_with_markup_is_text_in_both_parts(nudge, lessons, alice):
    alice.display_name = "<b>Al</b> & co"
    alice.save(update_fields=["display_name"])

    message = nudge()

    assert message.body.startswith("Hello <b>Al</b> & co,\n")
    assert "Hello &lt;b&gt;Al&lt;/b&gt; &amp; co," in message.alternatives[0][0]


@pytest.mark.django_db
def test_nudge_to_a_reader_in_a_relationship_asks_about_their_partner(nudge, lessons, alice):
    alice.situation = "together"
    alice.save(update_fields=["situation"])

    message = nudge()

    assert (
        "Notice one thing your partner did today that you liked, and tell them."
        f" Write it down in a few seconds:\n{SITE}/journal/gratitude/new/\n"
    ) in message.body
    assert (
        "<p>Notice one thing your partner did today that you liked, and tell them.</p>"
        in message.alternatives[0][0]
    )


@pytest.mark.django_db
def test_nudge_to_a_single_reader_asks_about_someone_close(nudge, lessons, alice):
    alice.situation = "single"
    alice.save(update_fields=["situation"])
    lessons[0].alone_title = "Note one kind thing a friend did"
    lessons[0].save()

    message = nudge()

    assert (
        "One thing for today:\nNote one kind thing a friend did (from the lesson “Notice the"
        " good”)\n"
    ) in message.body
    assert (
        "Notice one thing someone close to you did today, and let them know."
        " Write it down in a few seconds:\n"
    ) in message.body
    assert "partner" not in message.body


@pytest.mark.django_db
def test_nudge_after_every_lesson_asks_a_single_reader_about_someone_close_once(
    nudge, lessons, alice
):
    alice.situation = "single"
    alice.save(update_fields=["situation"])
    for lesson in lessons:
        Progress.objects.create(
            user=alice, lesson=lesson, started_at=timezone.now(), done_at=timezone.now()
        )

    message = nudge()

    line = "Notice one thing someone close to you did today, and let them know."
    assert f"One thing for today:\n{line}\n{SITE}/journal/gratitude/new/\n" in message.body
    assert message.body.count(line) == 1
    assert f"\nWrite it down in a few seconds:\n{SITE}/journal/gratitude/new/\n" in message.body
    assert alice.nudge_deliveries.get().suggestion == line
