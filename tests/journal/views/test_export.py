import csv
import io
import json
from datetime import UTC, date, datetime, time
from uuid import uuid4

import pytest
import time_machine
from django.db import models
from django.urls import reverse

from journal import services
from journal.models import Entry
from lessons import services as lesson_services
from nudges import services as nudge_services
from nudges.models import CheckInReminder
from partners import services as partner_services
from practice.questions import deck
from sharing.models import Comment, ShareMessage
from tests.factories import (
    EVERY_GRATITUDE_FIELD,
    ApologyFactory,
    BidFactory,
    CheckInFactory,
    FourAbilitiesFactory,
    GratitudeFactory,
    LessonFactory,
    LoveLanguagesFactory,
    RungFactory,
    UserFactory,
)
from tests.partners.conftest import make_link
from tests.sharing.conftest import make_share

# Every field the user could want back; the owner is the exporting user, entries waiting
# for undo are not part of the journal any more, and the token of the form an entry came from
# only tells a double tap from a second entry.
LEFT_OUT = {"user", "deleted_at", "submission"}
FIELDS = [f for f in Entry._meta.concrete_fields if f.name not in LEFT_OUT]
NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)


@pytest.fixture
def journal(alice, charlie):
    """One entry of each kind with every field filled in, plus rows that must not be exported."""
    with time_machine.travel(NOW, tick=False):
        entries = [
            GratitudeFactory(user=alice, day=date(2026, 3, 1), **EVERY_GRATITUDE_FIELD),
            BidFactory(
                user=alice,
                day=date(2026, 3, 2),
                made_by="me",
                at_time=time(7, 30),
                what="<script>alert(1)</script>",
                response="against",
                note="=SUM(A1) is text too",
            ),
            ApologyFactory(
                user=alice,
                day=date(2026, 3, 3),
                why_it_happened="I was tired",
                next_time="Say I need ten minutes",
                their_needs="What would help?",
                status="followed_up",
                follow_up="We talked it through",
            ),
            CheckInFactory(
                user=alice,
                day=date(2026, 3, 4),
                last_plan="Cinema",
                plan_happened="partly",
                plan_note="Too tired",
                felt_distant="Tuesday, I went quiet",
                need="An evening alone",
                appreciation="How they listen",
            ),
            FourAbilitiesFactory(
                user=alice,
                day=date(2026, 3, 5),
                ratings=[1, 2, 3, 4, 5] * 4,
                scores={
                    "seeking_care": 1.5,
                    "giving_care": 3.25,
                    "autonomy": 4.0,
                    "negotiating": 5.0,
                },
            ),
            LoveLanguagesFactory(user=alice, day=date(2026, 3, 6)),
            RungFactory(
                user=alice,
                day=date(2026, 3, 7),
                position=1,
                done_on=date(2026, 3, 8),
                how_it_went="Better than I feared",
                feeling_before=8,
                feeling_after=3,
            ),
        ]
        services.entry_delete(entry=GratitudeFactory(user=alice, moments="Deleted, undo pending"))
        GratitudeFactory(user=charlie, moments="Charlie's own")
    return entries


def _download(client, name: str):
    response = client.get(reverse(name))
    return response, b"".join(response.streaming_content).decode("utf-8")


def _from_json(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return datetime.fromisoformat(value)
    if isinstance(field, models.DateField):
        return date.fromisoformat(value)
    if isinstance(field, models.TimeField):
        return time.fromisoformat(value)
    return value


def _from_csv(field: models.Field, value: str):
    if isinstance(field, models.BooleanField):
        return {"true": True, "false": False}[value]
    if isinstance(field, models.JSONField) and field.default is dict:  # self-check scores
        pairs = (pair.split("=") for pair in value.split(";") if pair)
        return {key: float(score) for key, score in pairs}
    if isinstance(field, models.JSONField):
        items = value.split(";") if value else []
        return [int(item) if item.isdigit() else item for item in items]
    if isinstance(field, models.PositiveSmallIntegerField):
        return int(value) if value else None
    if isinstance(field, models.BigAutoField):
        return int(value)
    if isinstance(field, models.TimeField | models.DateField) and not value:
        return None
    return _from_json(field, value)


def _assert_round_trip(rows: list[dict], entries: list[Entry], convert) -> None:
    assert len(rows) == len(entries)
    for row, entry in zip(rows, entries, strict=True):
        assert sorted(row) == sorted(f.name for f in FIELDS)
        for field in FIELDS:
            assert convert(field, row[field.name]) == getattr(entry, field.name), field.name


def test_json_export_has_every_entry_and_every_field(alice_client, alice, journal):
    with time_machine.travel(NOW, tick=False):
        response, body = _download(alice_client, "journal:export_json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="closer-journal-2026-03-11.json"'
    )
    data = json.loads(body)
    assert {k: data[k] for k in ("format", "version", "exported_at", "user")} == {
        "format": "closer-journal",
        "version": 1,
        "exported_at": "2026-03-11T12:00:00+00:00",
        "user": {
            "email": "alice@example.com",
            "display_name": "Alice",
            "time_zone": "Europe/London",
        },
    }
    _assert_round_trip(data["entries"], journal, _from_json)


def test_csv_export_has_every_entry_and_every_field(alice_client, alice, journal):
    with time_machine.travel(NOW, tick=False):
        response, body = _download(alice_client, "journal:export_csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="closer-journal-2026-03-11.csv"'
    assert body.startswith("\ufeffid,kind,day,")  # the BOM tells spreadsheets it is UTF-8
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    _assert_round_trip(rows, journal, _from_csv)


def _export_json(client) -> dict:
    with time_machine.travel(NOW, tick=False):
        _, body = _download(client, "journal:export_json")
    return json.loads(body)


def test_json_export_has_her_lesson_progress_and_reflections(alice_client, alice, charlie):
    notice, pause = LessonFactory(slug="notice", title="Notice"), LessonFactory(slug="pause")
    with time_machine.travel(NOW, tick=False):
        for user in (alice, charlie):
            lesson_services.progress_start(user=user, lesson=notice)
        lesson_services.progress_mark_done(user=alice, lesson=notice)
        lesson_services.reflection_save(user=alice, lesson=notice, answer="I pull away when tired")
        lesson_services.reflection_save(user=charlie, lesson=pause, answer="Charlie's reflection")

    data = _export_json(alice_client)

    assert data["lesson_progress"] == [
        {
            "lesson": "notice",
            "lesson_title": "Notice",
            "started_at": "2026-03-11T12:00:00+00:00",
            "done_at": "2026-03-11T12:00:00+00:00",
        }
    ]
    assert data["reflections"] == [
        {
            "lesson": "notice",
            "lesson_title": "Notice",
            "answer": "I pull away when tired",
            "updated_at": "2026-03-11T12:00:00+00:00",
        }
    ]


def test_json_export_has_her_conversations_with_her_therapist(alice_client, alice, bob, charlie):
    with time_machine.travel(NOW, tick=False):
        entry = GratitudeFactory(user=alice, moments="Shared with Bob")
        make_share(alice, bob)
        Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Lovely to read")
        Comment.objects.create(entry=entry, author=alice, therapist=bob, body="It helped")
        theirs = GratitudeFactory(user=charlie)
        Comment.objects.create(entry=theirs, author=bob, therapist=bob, body="For Charlie")
        ShareMessage.objects.create(client=alice, therapist=bob, by_therapist=True, body="Hello")
        ShareMessage.objects.create(client=alice, therapist=bob, by_therapist=False, body="Hi")
        ShareMessage.objects.create(client=charlie, therapist=bob, by_therapist=True, body="Hey")

    data = _export_json(alice_client)

    bob_is = "Bob (bob@example.com)"
    at = "2026-03-11T12:00:00+00:00"
    assert data["comments"] == [
        {"entry_id": entry.pk, "therapist": bob_is, "by_you": False, "body": "Lovely to read",
         "created_at": at, "updated_at": at},
        {"entry_id": entry.pk, "therapist": bob_is, "by_you": True, "body": "It helped",
         "created_at": at, "updated_at": at},
    ]  # fmt: skip
    assert data["messages"] == [
        {"therapist": bob_is, "by_you": False, "body": "Hello", "created_at": at},
        {"therapist": bob_is, "by_you": True, "body": "Hi", "created_at": at},
    ]


def test_json_export_has_what_she_wrote_through_the_partner_link(alice_client, alice):
    dan = UserFactory(email="dan@example.com")
    with time_machine.travel(NOW, tick=False):
        link = make_link(alice, dan, appreciation_on=True, plan_on=True)
        question = partner_services.question_for_link(link=link, day=date(2026, 3, 11))
        partner_services.pair_answer(question=question, user=alice, text="Your laugh")
        partner_services.pair_answer(question=question, user=dan, text="Dan's answer")
        entry = GratitudeFactory(user=alice, moments="You made tea", why="I was tired")
        partner_services.appreciation_send(link=link, entry=entry)
        partner_services.appreciation_send(link=link, entry=GratitudeFactory(user=dan))
        partner_services.plan_save(link=link, by=dan, text="Walk on Sunday")

    data = _export_json(alice_client)

    at = "2026-03-11T12:00:00+00:00"
    assert data["partner_answers"] == [
        {"day": "2026-03-11", "question": deck()[question.question_id].text,
         "answer": "Your laugh", "skipped": False, "created_at": at},
    ]  # fmt: skip
    assert data["appreciations_sent"] == [
        {"entry_id": entry.pk, "words": "You made tea\n\nI was tired", "created_at": at,
         "reaction": ""},
    ]  # fmt: skip
    assert data["partner_plans"] == [
        {"text": "Walk on Sunday", "agreed_on": "2026-03-11", "written_by_you": False}
    ]
    assert "Dan's answer" not in json.dumps(data)


def test_json_export_has_her_reminder_settings(alice_client, alice, charlie):
    nudge_services.schedule_create_default(user=alice)
    CheckInReminder.objects.create(user=alice, weekday=6, local_time=time(19, 0))
    nudge_services.schedule_create_default(user=charlie)

    data = _export_json(alice_client)

    assert data["reminders"] == [
        {"reminder": "daily", "enabled": True, "at": "20:00:00", "days": "every day",
         "paused_until": None, "skip_if_written": False, "channel": "email"},
        {"reminder": "weekly check-in", "enabled": True, "at": "19:00:00", "days": "on Sundays"},
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["journal:export_json", "journal:export_csv"])
def test_export_leaves_out_the_token_of_the_form_an_entry_came_from(alice_client, alice, name):
    token = uuid4()
    services.entry_create(
        user=alice, kind="gratitude", day=date(2026, 3, 1), moments="Tea", submission=token
    )

    _, body = _download(alice_client, name)

    assert "Tea" in body
    assert "submission" not in body
    assert str(token) not in body


def test_export_times_are_in_the_users_time_zone(alice_client, alice):
    alice.time_zone = "Pacific/Auckland"
    alice.save(update_fields=["time_zone"])
    with time_machine.travel(NOW, tick=False):
        GratitudeFactory(user=alice)
        _, body = _download(alice_client, "journal:export_json")

    data = json.loads(body)
    assert data["exported_at"] == "2026-03-12T01:00:00+13:00"
    assert data["entries"][0]["created_at"] == "2026-03-12T01:00:00+13:00"


@pytest.mark.parametrize("name", ["journal:export_json", "journal:export_csv"])
def test_export_never_includes_another_users_entries(client, charlie, journal, name):
    client.force_login(charlie)

    _, body = _download(client, name)

    assert "Charlie's own" in body
    for entry in journal:
        assert str(entry.headline) not in body
    assert "Sang" not in body and "tired" not in body


@pytest.mark.parametrize("name", ["journal:export_json", "journal:export_csv"])
def test_export_is_never_cached(alice_client, alice, name):
    response = alice_client.get(reverse(name))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["journal:export_json", "journal:export_csv"])
def test_export_needs_login(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_download_links_say_what_each_file_holds(alice_client):
    insights = alice_client.get(reverse("journal:insights")).content.decode()
    delete = alice_client.get(reverse("accounts:delete")).content.decode()

    assert "Download everything as JSON</a>" in insights
    assert "Download your entries as CSV</a> (opens in a spreadsheet)" in insights
    assert "download everything you wrote and chose here as JSON</a>" in delete
    assert "or only your entries as CSV</a>" in delete
