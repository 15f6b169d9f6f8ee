"""Homework: a therapist suggests a lesson or a practice tool; the client sees it on Today
as the suggested next step, accepts it or sets it aside; the therapist sees whether it is
done, never more than the share's scopes open."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lessons.models import Progress
from sharing.models import AccessLog, Homework
from tests.factories import GratitudeFactory, LessonFactory, TherapistFactory

from .conftest import make_share, text_of


@pytest.fixture
def lesson(db):
    return LessonFactory(title="Noticing the pull away")


def suggest(bob_client, alice, **data):
    url = reverse("sharing:homework", args=[alice.pk])
    return bob_client.post(url, {"note": "", "due_on": "", **data}, follow=True)


def today(browser) -> str:
    return text_of(browser.get(reverse("home")).content.decode())


def test_a_suggested_lesson_is_todays_next_step_until_done(
    bob_client, alice_client, alice, bob_share, lesson
):
    response = suggest(
        bob_client, alice, what=f"lesson:{lesson.slug}", note="Read it before Thursday"
    )
    assert "Suggested. Alice sees it on their Today page." in text_of(response.content.decode())

    page = today(alice_client)
    assert "Suggested by Bob The lesson “Noticing the pull away” “Read it before Thursday”" in page
    assert lesson.get_absolute_url() in alice_client.get(reverse("home")).content.decode()

    Progress.objects.create(
        user=alice, lesson=lesson, started_at=timezone.now(), done_at=timezone.now()
    )
    assert "Noticing the pull away" not in today(alice_client)
    table = text_of(bob_client.get(reverse("sharing:homework", args=[alice.pk])).content.decode())
    assert "The lesson “Noticing the pull away” Read it before Thursday" in table
    assert "Suggested Done" in table


def test_accepting_keeps_it_and_setting_aside_removes_it(
    bob_client, alice_client, alice, bob_share
):
    suggest(bob_client, alice, what="kind:gratitude", due_on="2030-01-02")
    homework = Homework.objects.get()
    answer = reverse("sharing:homework_answer", args=[homework.pk])

    alice_client.post(answer, {"answer": "accept"})
    assert "Suggested by Bob, for 2 Jan Gratitude entry" in today(alice_client)
    inbox = text_of(alice_client.get(reverse("sharing:inbox")).content.decode())
    assert "Suggested by your therapist Gratitude entry , from Bob (accepted, for 2 Jan)" in inbox
    alice_client.post(answer, {"answer": "set_aside"})

    homework.refresh_from_db()
    assert homework.status == "set_aside"
    assert "Suggested by Bob" not in today(alice_client)


def test_a_practice_tool_is_done_once_a_shared_kind_entry_is_written(
    bob_client, alice_client, alice, bob_share
):
    suggest(bob_client, alice, what="kind:gratitude")
    GratitudeFactory(user=alice, is_private=True)  # a private entry tells nobody anything
    url = reverse("sharing:homework", args=[alice.pk])
    assert "Not yet" in text_of(bob_client.get(url).content.decode())

    GratitudeFactory(user=alice)

    assert "Suggested Done" in text_of(bob_client.get(url).content.decode())
    assert "Suggested by Bob" not in today(alice_client)


def test_done_for_an_unshared_kind_shows_only_done(bob_client, alice, bob):
    make_share(alice, bob, kinds=("bid",))
    suggest(bob_client, alice, what="kind:gratitude")
    GratitudeFactory(user=alice, moments="unshared-words")

    page = bob_client.get(reverse("sharing:homework", args=[alice.pk])).content.decode()

    assert "Suggested Done" in text_of(page)
    assert "unshared-words" not in page


def test_the_homework_page_is_in_the_clients_access_log(bob_client, alice, bob_share):
    bob_client.get(reverse("sharing:homework", args=[alice.pk]))

    assert AccessLog.objects.get().what == (
        "What your therapist suggested to you, and whether it is done (never its content)"
    )


def test_a_bad_suggestion_is_refused_with_a_message(bob_client, alice, bob_share):
    url = reverse("sharing:homework", args=[alice.pk])
    response = bob_client.post(url, {"what": "kind:nonsense", "note": "kept note"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in page and "kept note" in page
    assert not Homework.objects.exists()


def test_nothing_chosen_says_what_to_choose_and_keeps_the_note(bob_client, alice, bob_share):
    url = reverse("sharing:homework", args=[alice.pk])
    response = bob_client.post(url, {"what": "", "note": "kept note"})

    page = response.content.decode()
    assert "Choose a lesson or a practice tool to suggest." in page and "kept note" in page
    assert "This field is required." not in page
    assert not Homework.objects.exists()


def test_strangers_get_404_and_ended_shares_hide_the_homework(
    bob_client, alice_client, alice, bob_share, charlie
):
    suggest(bob_client, alice, what="kind:gratitude")
    homework = Homework.objects.get()
    stranger = Client()
    stranger.force_login(charlie)
    other = Client()
    other.force_login(TherapistFactory(email="tess@example.com"))

    assert stranger.get(reverse("sharing:homework", args=[alice.pk])).status_code == 404
    assert other.get(reverse("sharing:homework", args=[alice.pk])).status_code == 404
    answer = reverse("sharing:homework_answer", args=[homework.pk])
    assert stranger.post(answer, {"answer": "accept"}).status_code == 404
    bob_share.status = "revoked"
    bob_share.save()
    assert "Suggested by Bob" not in today(alice_client)
    assert alice_client.post(answer, {"answer": "accept"}).status_code == 404
