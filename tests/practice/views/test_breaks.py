import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.models import Entry
from nudges.models import OneOffReminder
from nudges.services.one_off import one_off_send_due
from practice import services
from tests.conftest import assert_refused, form_token
from tests.core.test_local_times import visible_text
from tests.factories import BreakFactory, UserFactory
from tests.lessons.pages import visible_text as page_words
from tests.races import Race, just_before
from tests.services import require_postgres

NOW = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)  # 18:05 in London, alice's zone
# Once they said they came back, the answer is folded away under the question of how it went.
FOLDED = "Change whether you went back Did you go back? Yes, I went back Later than I said Not yet"


def _start(client, **data):
    with time_machine.travel(NOW, tick=False):
        return client.post(reverse("practice:break_new"), data)


def test_starting_a_break_writes_the_message_and_sets_one_reminder(alice_client, alice):
    response = _start(alice_client, choice="this_evening")

    entry = Entry.objects.get(user=alice, kind="break")
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    assert entry.return_at == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    assert entry.partner_message == (
        "I need a break to calm down, so I don't say something unfair. I'm not leaving. "
        "I'll come back to this at 19:00."
    )
    reminder = OneOffReminder.objects.get(user=alice)
    assert (reminder.purpose, reminder.key, reminder.due_at, reminder.status) == (
        "break_end",
        str(entry.pk),
        entry.return_at,
        "waiting",
    )


def test_a_return_more_than_a_day_away_is_refused_and_the_choice_kept(alice_client, alice):
    response = _start(alice_client, choice="choose", chosen="2026-12-02T20:00")

    page = response.content.decode()
    assert response.status_code == 400
    assert "A break is a pause with a return in it, not a way out" in page
    assert 'value="2026-12-02T20:00"' in page
    assert not Entry.objects.filter(user=alice).exists()


def test_the_reminder_goes_at_the_return_time_once_and_carries_no_journal_text(alice_client, alice):
    _start(alice_client, choice="in_20_minutes")
    entry = Entry.objects.get(user=alice)
    entry.partner_message = "secret-words-for-my-partner"
    entry.save(update_fields=["partner_message"])

    assert one_off_send_due(now=NOW + timedelta(minutes=19)) == 0
    assert one_off_send_due(now=NOW + timedelta(minutes=20)) == 1
    assert one_off_send_due(now=NOW + timedelta(minutes=21)) == 0

    [message] = mail.outbox
    assert message.subject == "Time to go back"
    assert "You said you would be back at 18:25." in message.body
    assert f"/journal/entries/{entry.pk}/" in message.body
    assert "secret-words-for-my-partner" not in message.body + message.alternatives[0][0]


def test_a_cancelled_break_sends_nothing(alice_client, alice):
    _start(alice_client, choice="in_20_minutes")
    entry = Entry.objects.get(user=alice)

    response = alice_client.post(reverse("practice:break_cancel", args=[entry.pk]), follow=True)

    assert "Break called off. No reminder will be sent for it." in response.content.decode()
    assert one_off_send_due(now=NOW + timedelta(hours=1)) == 0
    assert mail.outbox == []
    alice_client.post(reverse("practice:break_back_early", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.went_back == ""  # a break called off is not one they came back from


def test_a_break_whose_reminder_went_out_is_neither_called_off_nor_ended_early(alice_client, alice):
    _start(alice_client, choice="in_20_minutes")
    entry = Entry.objects.get(user=alice)
    one_off_send_due(now=NOW + timedelta(minutes=20))

    cancel = alice_client.post(reverse("practice:break_cancel", args=[entry.pk]), follow=True)
    early = alice_client.post(reverse("practice:break_back_early", args=[entry.pk]), follow=True)

    assert "The reminder for this break has already gone out." in cancel.content.decode()
    assert "This break is over already: say below how it went." in page_words(early.content)
    entry.refresh_from_db()
    assert (entry.went_back, entry.called_off_at) == ("", None)
    assert len(mail.outbox) == 1


def test_coming_back_early_ends_the_break_counts_it_and_sends_no_reminder(alice_client, alice):
    _start(alice_client, choice="in_20_minutes")
    entry = Entry.objects.get(user=alice)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        page = page_words(
            alice_client.get(reverse("journal:entry_detail", args=[entry.pk])).content
        )
    assert "I'm back Call the break off Back early counts as coming back." in page

    back_at = NOW + timedelta(minutes=8)
    with time_machine.travel(back_at, tick=False):
        response = alice_client.post(
            reverse("practice:break_back_early", args=[entry.pk]), follow=True
        )
        today = page_words(alice_client.get(reverse("home")).content)
        insights = page_words(alice_client.get(reverse("journal:insights")).content)

    after = page_words(response.content)
    assert "Welcome back. You came back before the time you gave." in after
    assert "You said you would come backTuesday 1 December 2026, 18:25" in after  # dt, dd
    assert "Did you go back?Yes, you went back" in after  # dt, dd
    assert f"After your break How did it go? (optional) {FOLDED} Save" in after  # not asked
    given = entry.return_at
    entry.refresh_from_db()
    assert (entry.went_back, entry.return_at, entry.called_off_at) == ("yes", given, None)
    assert "You are on a break" not in today
    assert "1 break taken; you went back after 1." in insights
    assert one_off_send_due(now=NOW + timedelta(hours=1)) == 0
    assert mail.outbox == []


def test_saying_you_went_back_is_kept_with_a_note(alice_client, alice):
    entry = BreakFactory(user=alice, return_at=timezone.now() - timedelta(minutes=5))

    alice_client.post(
        reverse("practice:break_back", args=[entry.pk]), {"went_back": "yes", "note": "We talked."}
    )

    entry.refresh_from_db()
    assert (entry.went_back, entry.note) == ("yes", "We talked.")


def test_after_coming_back_early_only_how_it_went_is_asked_and_kept(alice_client, alice):
    _start(alice_client, choice="in_20_minutes")
    entry = Entry.objects.get(user=alice)
    alice_client.post(reverse("practice:break_back_early", args=[entry.pk]))

    response = alice_client.post(
        reverse("practice:break_back", args=[entry.pk]), {"note": "We talked."}, follow=True
    )

    entry.refresh_from_db()
    assert (entry.went_back, entry.note) == ("yes", "We talked.")
    page = page_words(response.content)
    assert "Saved. Whatever happened, noting it is the practice." in page
    assert f"After your break How did it go? (optional) We talked. {FOLDED} Save" in page


def test_a_mis_tapped_answer_is_changed_from_the_breaks_page_and_the_note_kept(alice_client, alice):
    entry = BreakFactory(user=alice, return_at=timezone.now() - timedelta(minutes=5))
    back = reverse("practice:break_back", args=[entry.pk])
    alice_client.post(back, {"went_back": "yes", "note": "We talked."})

    response = alice_client.post(back, {"went_back": "later", "note": "We talked."}, follow=True)

    entry.refresh_from_db()
    assert (entry.went_back, entry.note) == ("later", "We talked.")
    page = page_words(response.content)
    assert "Did you go back?Later than you said" in page  # dt, dd
    assert f"How did it go? (optional) We talked. {FOLDED} Save" in page
    later = response.content.decode().split('name="went_back" value="later"')[1].split("\n")[0]
    assert later.endswith(" checked>")  # the answer as it is now, ready to change again


def test_a_break_not_yet_gone_back_to_still_asks_with_the_note_kept(alice_client, alice):
    entry = BreakFactory(user=alice, return_at=timezone.now() - timedelta(minutes=5))
    alice_client.post(
        reverse("practice:break_back", args=[entry.pk]), {"went_back": "no", "note": "Not ready."}
    )

    page = alice_client.get(reverse("journal:entry_detail", args=[entry.pk])).content.decode()

    not_yet = page.split('name="went_back" value="no"')[1].split("\n")[0]
    assert not_yet.endswith(" checked>")  # the question again, their answer ticked
    assert "\nNot ready.</textarea>" in page


def test_saying_nothing_about_going_back_asks_again_and_keeps_the_note(alice_client, alice):
    entry = BreakFactory(user=alice, return_at=timezone.now() - timedelta(minutes=5))

    response = alice_client.post(
        reverse("practice:break_back", args=[entry.pk]), {"note": "Still thinking."}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Pick one: there is no wrong answer." in page
    assert "Still thinking.</textarea>" in page


def test_charlie_cannot_touch_alices_break(client, charlie, alice):
    entry = BreakFactory(user=alice)
    client.force_login(charlie)

    names = ("break_cancel", "break_message", "break_back", "break_back_early")
    for name in (f"practice:{name}" for name in names):
        assert client.post(reverse(name, args=[entry.pk])).status_code == 404


def test_a_break_started_from_its_lesson_marks_the_lesson_done(alice_client, alice):
    from lessons.content import CONTENT_ROOT
    from lessons.models import Lesson, Progress
    from lessons.selectors import practice_url
    from lessons.services import lessons_load

    lessons_load(root=CONTENT_ROOT)
    lesson = Lesson.objects.get(slug="timeout-not-exit")
    practice = lesson.practice_for(alone=False)
    assert practice_url(lesson, practice) == "/journal/breaks/new/?lesson=timeout-not-exit"

    _start(alice_client, choice="in_1_hour", lesson_slug="timeout-not-exit")

    assert Progress.objects.get(user=alice, lesson=lesson).done_at is not None


def _berlin_client(client):
    berta = UserFactory(email="berta@example.com", time_zone="Europe/Berlin")
    client.force_login(berta)
    return client, berta


def test_a_breaks_page_says_the_return_time_in_the_readers_zone(client, db):
    client, berta = _berlin_client(client)
    _start(client, choice="in_1_hour")  # 19:05 UTC, 20:05 in Berlin
    entry = Entry.objects.get(user=berta)

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("journal:entry_detail", args=[entry.pk])).content.decode()

    assert "<dt>You said you would come back</dt><dd>Tuesday 1 December 2026, 20:05</dd>" in page
    assert "+00:00" not in page


def test_calling_a_break_off_is_kept_on_the_entry_its_card_and_the_export(alice_client, alice):
    _start(alice_client, choice="in_1_hour")
    entry = Entry.objects.get(user=alice)

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        alice_client.post(reverse("practice:break_cancel", args=[entry.pk]))
    entry.refresh_from_db()

    assert entry.called_off_at == NOW + timedelta(minutes=10)
    timeline = alice_client.get(reverse("journal:timeline")).content.decode()
    assert "Called off" in timeline
    page = alice_client.get(reverse("journal:entry_detail", args=[entry.pk])).content.decode()
    assert "<dt>You called it off</dt><dd>Tuesday 1 December 2026, 18:15</dd>" in page
    exported = b"".join(alice_client.get(reverse("journal:export_json")).streaming_content)
    assert b'"called_off_at": "2026-12-01T18:15:00+00:00"' in exported


TWELVE_HOUR_CLOCK = re.compile(r"\b\d{1,2}(?:[.:]\d\d)?\s?[ap]\.?m\b", re.I)


def test_a_break_shows_one_time_format_wherever_its_time_shows(client, db):
    """Today, the break's page, the journal, the printout and the reminder all say 20:05."""
    client, berta = _berlin_client(client)
    _start(client, choice="in_1_hour")  # 19:05 UTC, 20:05 in Berlin
    entry = Entry.objects.get(user=berta)
    pages = {
        "today": reverse("home"),
        "break": reverse("journal:entry_detail", args=[entry.pk]),
        "journal": reverse("journal:timeline"),
        "print": reverse("journal:print") + "?start=2026-12-01&end=2026-12-01",
    }

    with time_machine.travel(NOW, tick=False):
        texts = {
            name: visible_text(client.get(path).content.decode()) for name, path in pages.items()
        }
    one_off_send_due(now=NOW + timedelta(hours=1))
    texts["reminder"] = mail.outbox[0].body

    for name, text in texts.items():
        assert "20:05" in text, name
        assert TWELVE_HOUR_CLOCK.findall(text) == [], name
    assert "You said you would be back at 20:05 on Tuesday 1 December" not in texts["today"]
    assert "You said you would be back at 20:05. Closer will remind you then." in texts["today"]
    assert "I'll come back to this at 20:05." in texts["break"]


def test_a_return_in_the_hour_that_repeats_is_taken_the_first_time_and_says_so(alice_client, alice):
    # London's clocks go back at 02:00 on 25 October 2026: 01:00-01:59 happens twice.
    with time_machine.travel(datetime(2026, 10, 25, 0, 0, tzinfo=UTC), tick=False):
        response = alice_client.post(
            reverse("practice:break_new"),
            {"choice": "choose", "chosen": "2026-10-25T01:30"},
            follow=True,
        )

    entry = Entry.objects.get(user=alice, kind="break")
    assert entry.return_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 the first time
    assert OneOffReminder.objects.get(user=alice).due_at == entry.return_at
    assert [str(m) for m in response.context["messages"]] == [
        "Your break runs until 01:30. Closer will remind you then.",
        "The clocks go back that night, so 01:30 comes twice: the reminder comes the first time.",
    ]


def test_a_return_in_the_hour_the_clocks_skip_gets_our_message(alice_client, alice):
    # London's clocks go forward at 01:00 on 29 March 2026: 01:00-01:59 never happens.
    with time_machine.travel(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), tick=False):
        response = alice_client.post(
            reverse("practice:break_new"), {"choice": "choose", "chosen": "2026-03-29T01:30"}
        )

    assert response.status_code == 400
    assert_refused(
        response,
        "That time does not exist where you are: the clocks go forward then.",
        'value="2026-03-29T01:30"',
    )
    assert "may be ambiguous" not in response.content.decode()
    assert not Entry.objects.filter(user=alice).exists()


ONE_AT_A_TIME = "To start a new one, come back early or call this one off below."


def test_opening_a_new_break_during_one_leads_to_the_break_in_progress(alice_client, alice):
    _start(alice_client, choice="this_evening")
    entry = Entry.objects.get(user=alice)

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        response = alice_client.get(reverse("practice:break_new"), follow=True)

    assert response.redirect_chain == [(reverse("journal:entry_detail", args=[entry.pk]), 302)]
    assert f"You are on a break until 19:00. {ONE_AT_A_TIME}" in page_words(response.content)
    assert "Start the break" not in response.content.decode()


def test_a_second_break_is_refused_and_the_first_keeps_its_one_reminder(alice_client, alice):
    _start(alice_client, choice="this_evening")
    entry = Entry.objects.get(user=alice)

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        response = alice_client.post(
            reverse("practice:break_new"), {"choice": "in_20_minutes"}, follow=True
        )

    assert response.redirect_chain == [(reverse("journal:entry_detail", args=[entry.pk]), 302)]
    assert (
        f"You are already on a break until 19:00, so no second one was started. {ONE_AT_A_TIME}"
    ) in page_words(response.content)
    assert list(Entry.objects.filter(user=alice)) == [entry]
    reminder = OneOffReminder.objects.get(user=alice)
    assert (reminder.key, reminder.due_at, reminder.status) == (
        str(entry.pk),
        datetime(2026, 12, 1, 19, 0, tzinfo=UTC),
        "waiting",
    )


def test_a_new_break_starts_once_the_last_is_called_off(alice_client, alice):
    _start(alice_client, choice="this_evening")
    first = Entry.objects.get(user=alice)
    alice_client.post(reverse("practice:break_cancel", args=[first.pk]))

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        page = alice_client.get(reverse("practice:break_new"))
    _start(alice_client, choice="in_20_minutes")

    assert "Start the break" in page.content.decode()
    assert Entry.objects.filter(user=alice, kind="break").count() == 2
    assert OneOffReminder.objects.filter(user=alice, status="waiting").count() == 1


def test_a_new_break_starts_once_the_last_has_ended(alice_client, alice):
    _start(alice_client, choice="in_20_minutes")

    with time_machine.travel(NOW + timedelta(minutes=21), tick=False):
        response = alice_client.post(reverse("practice:break_new"), {"choice": "this_evening"})

    second = Entry.objects.filter(user=alice).order_by("-created_at").first()
    assert response["Location"] == reverse("journal:entry_detail", args=[second.pk])
    assert Entry.objects.filter(user=alice, kind="break").count() == 2


def _second_tab(alice, data: dict):
    """Another tab of alice's, which sends `data` to the new-break page."""
    tab = Client()
    tab.force_login(alice)
    return lambda: tab.post(reverse("practice:break_new"), data)


def test_two_tabs_starting_a_break_at_once_start_one(alice_client, alice, monkeypatch):
    """Each tab found no break when it loaded; the second to save is led to the first's."""
    just_before(monkeypatch, services, "break_start", _second_tab(alice, {"choice": "in_1_hour"}))

    response = _start(alice_client, choice="this_evening")

    entry = Entry.objects.get(user=alice)
    assert entry.return_at == datetime(2026, 12, 1, 19, 5, tzinfo=UTC)  # the other tab's
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    with time_machine.travel(NOW, tick=False):
        page = page_words(alice_client.get(response["Location"]).content)
    assert (
        f"You are already on a break until 19:05, so no second one was started. {ONE_AT_A_TIME}"
    ) in page
    assert OneOffReminder.objects.filter(user=alice).count() == 1


def test_the_same_break_form_sent_from_two_tabs_at_once_starts_one(
    alice_client, alice, monkeypatch
):
    with time_machine.travel(NOW, tick=False):
        token = form_token(alice_client.get(reverse("practice:break_new")))
    data = {"choice": "this_evening", "submission": token}
    just_before(monkeypatch, services, "break_start", _second_tab(alice, data))

    response = _start(alice_client, **data)

    entry = Entry.objects.get(user=alice)
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your break runs until 19:00. Closer will remind you then."
    ]


def test_two_breaks_started_at_the_same_moment_make_one(transactional_db, alice, monkeypatch):
    """On real PostgreSQL: the first start is not committed yet when the second checks for a
    running break; the lock on alice's row makes the second wait, then lead to the first."""
    require_postgres()
    race, answers = Race(), {}
    monkeypatch.setattr(
        services, "one_off_schedule", race.pause_before(services.one_off_schedule, thread="1")
    )

    tabs = {name: Client() for name in ("1", "2")}
    for tab in tabs.values():  # before the race: signing in writes alice's row
        tab.force_login(alice)

    def start(name: str, choice: str) -> None:
        with time_machine.travel(NOW, tick=False):
            answers[name] = tabs[name].post(reverse("practice:break_new"), {"choice": choice})

    race.start("1", lambda: start("1", "this_evening"))
    assert race.paused.wait(timeout=20)
    race.start("2", lambda: start("2", "in_1_hour"))

    assert race.finish() == {"1": "done", "2": "done"}
    entry = Entry.objects.get(user=alice)
    assert entry.return_at == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    url = reverse("journal:entry_detail", args=[entry.pk])
    assert (answers["1"]["Location"], answers["2"]["Location"]) == (url, url)
    assert OneOffReminder.objects.filter(user=alice).count() == 1
