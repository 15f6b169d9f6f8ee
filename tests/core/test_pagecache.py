"""Cached pages show every write that changes them, and work as freshly rendered ones do."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.services import account_delete
from core import pagecache
from lessons.models import Lesson
from sharing import services
from sharing.models import AccessLog, ClientInvitation
from tests.factories import GratitudeFactory, LessonFactory, UserFactory
from tests.sharing.conftest import make_share
from tests.sharing.test_dashboard import rows_of


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def bob_client(bob) -> Client:
    browser = Client()
    browser.force_login(bob)
    return browser


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _quick_gratitude(browser: Client, moments: str, token: str | None = None):
    data = {"moment_kinds": "caring", "moments": moments, "day": ""}
    if token:
        data["csrfmiddlewaretoken"] = token
    page = browser.get(reverse("home")).content.decode()
    data["day"] = re.search(r'name="day" value="([\d-]+)"', page).group(1)
    return browser.post(reverse("journal:gratitude_new"), data, follow=True)


def test_today_shows_a_gratitude_saved_after_it_was_cached(alice_client):
    assert "Nothing yet today." in _text(alice_client.get(reverse("home")))

    saved = _quick_gratitude(alice_client, "Fixed my bike")

    assert "Saved your gratitude entry." in _text(saved)
    assert "Fixed my bike" in _text(alice_client.get(reverse("home")))
    assert "Fixed my bike" in _text(alice_client.get(reverse("journal:timeline")))


def test_a_cached_page_carries_a_csrf_token_that_works_in_another_session(alice):
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    phone.force_login(alice)
    laptop.force_login(alice)
    phone.get(reverse("home"))  # rendered and cached with the phone's token

    page = laptop.get(reverse("home")).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', page))
    saved = _quick_gratitude(laptop, "Called me at lunch", token=tokens.pop())

    assert (saved.redirect_chain[-1][1], "Called me at lunch" in _text(saved)) == (302, True)


def test_entries_written_elsewhere_show_once_the_page_expires_or_a_write_bumps_it(
    alice, alice_client
):
    alice_client.get(reverse("journal:timeline"))
    GratitudeFactory(user=alice, moments="Written in a shell")

    assert "Written in a shell" not in _text(alice_client.get(reverse("journal:timeline")))
    pagecache._set_versions([pagecache._version_key(alice.pk)])
    assert "Written in a shell" in _text(alice_client.get(reverse("journal:timeline")))


def test_bobs_comment_shows_on_alices_cached_today(
    alice, alice_client, bob, bob_client, django_capture_on_commit_callbacks
):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    assert "new comment" not in _text(alice_client.get(reverse("home")))

    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(
            reverse("sharing:comment_create", args=[alice.pk, entry.pk]), {"body": "Lovely."}
        )

    assert "1 new comment from your therapist" in _text(alice_client.get(reverse("home")))


def test_reloaded_lessons_show_on_cached_lesson_pages(
    alice_client, django_capture_on_commit_callbacks
):
    lesson = LessonFactory(title="Noticing")
    path = reverse("lessons:detail", args=[lesson.slug])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(path)  # the first visit marks it started, and bumps Today
    alice_client.get(path)
    Lesson.objects.filter(pk=lesson.pk).update(title="Noticing closeness")
    assert "Noticing closeness" not in _text(alice_client.get(path))

    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump_everyone()  # as load_lessons does

    assert "Noticing closeness" in _text(alice_client.get(path))


def test_the_dashboard_logs_every_visit_and_counts_a_clients_new_entry(
    alice, alice_client, bob, bob_client
):
    make_share(alice, bob)
    bob_client.get(reverse("sharing:clients"))

    _quick_gratitude(alice_client, "Held my hand")
    rows = rows_of(bob_client.get(reverse("sharing:clients")).content.decode())

    assert rows[0][3:] == ["1", "1", "1"]  # this week: entries, days; new since last visit
    assert AccessLog.objects.get(share__client=alice, therapist=bob).count == 2


def test_the_cached_dashboard_still_logs_every_visit(alice, bob, bob_client):
    make_share(alice, bob)
    first = bob_client.get(reverse("sharing:clients")).content.decode()

    again = bob_client.get(reverse("sharing:clients")).content.decode()

    assert rows_of(again) == rows_of(first)
    assert AccessLog.objects.get(share__client=alice, therapist=bob).count == 2


def test_a_declined_invitation_shows_on_the_therapists_cached_dashboard(
    bob, bob_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("sharing:client_invite"), {"email": "gina@example.com"})
    bob_client.get(reverse("sharing:clients"))  # says the invitation was sent: not cached
    assert "gina@example.com, " in _text(bob_client.get(reverse("sharing:clients")))
    invitation = ClientInvitation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.client_invitation_decline(invitation=invitation)

    assert ": declined" in _text(bob_client.get(reverse("sharing:clients")))


def test_a_deleted_accounts_cached_pages_are_never_served_again(
    alice, alice_client, django_capture_on_commit_callbacks, monkeypatch
):
    stored, store = [], cache.set_many

    def recording(data, *args, **kwargs):
        stored.extend(key for key in data if key.startswith("pagecache:page:"))
        return store(data, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", recording)
    GratitudeFactory(user=alice, moments="Only mine to read")
    assert "Only mine to read" in _text(alice_client.get(reverse("journal:timeline")))
    assert "Only mine to read" in _text(alice_client.get(reverse("home")))
    alice_id, zone = alice.pk, alice.time_zone

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=alice)

    assert len(stored) == 2
    assert cache.get_many(stored) == {}

    # Whoever is read as that id later (a restored backup, an id SQLite hands out again)
    # gets their own page, not the one the deleted account left behind.
    later = UserFactory(pk=alice_id, email="later@example.com", time_zone=zone)
    browser = Client()
    browser.force_login(later)
    assert "Only mine to read" not in _text(browser.get(reverse("journal:timeline")))
