from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from journal import services as journal_services
from journal.models import Entry
from lessons import services as lesson_services
from lessons.models import Lesson
from nudges import services as nudge_services
from nudges.models import NudgeDelivery
from practice import services as practice_services
from sharing import selectors as sharing_selectors
from sharing import services as sharing_services
from sharing.models import AccessLog, Comment, Share
from tests.factories import (
    PASSWORD,
    ApologyFactory,
    BidFactory,
    GratitudeFactory,
    LessonFactory,
    UserFactory,
)
from tests.lessons.pages import visible_text

URL = reverse("accounts:delete")


def _rows_pointing_to(user_id: int) -> dict[str, int]:
    """Rows in every table of every app whose ForeignKey or OneToOne names this user."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            if field.related_model._meta.label != settings.AUTH_USER_MODEL:
                continue
            # The base manager sees every row, e.g. entries waiting for undo too.
            count = model._base_manager.filter(**{field.attname: user_id}).count()
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


def _sessions_of(user_id: int) -> int:
    return sum(s.get_decoded().get(SESSION_KEY) == str(user_id) for s in Session.objects.all())


@pytest.fixture
def lesson(db) -> Lesson:
    return LessonFactory(slug="notice", title="Notice")


@pytest.fixture
def alices_life(alice, bob, lesson):
    """Alice has written in every part of the app; Bob has his own things."""
    GratitudeFactory(user=alice)
    BidFactory(user=alice, is_private=True)
    ApologyFactory(user=alice)
    journal_services.entry_delete(entry=GratitudeFactory(user=alice))  # waiting for undo
    lesson_services.progress_start(user=alice, lesson=lesson)
    lesson_services.reflection_save(user=alice, lesson=lesson, answer="I pull away when tired")
    LogEntry.objects.create(
        user=alice,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(alice.pk),
        object_repr="Alice",
        action_flag=ADDITION,
    )
    shared = GratitudeFactory(user=alice, moments="Shared with Bob")
    share = Share.objects.create(
        client=alice,
        therapist=bob,
        invited_email=bob.email,
        share_gratitude=True,
        shared_from=shared.day,
        status=Share.Status.ACTIVE,
    )
    AccessLog.objects.create(share=share, therapist=bob, who="Bob", what="journal", path="/")
    Comment.objects.create(entry=shared, author=bob, therapist=bob, body="Lovely to read")
    nudge_services.schedule_create_default(user=alice)
    now = timezone.now()
    NudgeDelivery.objects.create(
        user=alice, local_date=now.date(), due_at=now, claimed_at=now, queued_at=now
    )
    practice_services.check_in_draft_keep(
        user=alice, screen=2, answers={"went_well": ["A check-in left midway"]}
    )
    GratitudeFactory(user=bob, moments="Bob's own entry")
    return alice


def test_deleting_the_account_leaves_no_row_of_the_user_in_any_table(client, alices_life, bob):
    alice = alices_life
    client.force_login(alice)
    Client().force_login(alice)  # signed in on a second device too
    Client().force_login(bob)
    before = _rows_pointing_to(alice.pk)
    assert before == {
        "journal.Entry.user": 5,
        "accounts.DataKey.user": 1,  # her key, which opens all she wrote
        "lessons.Progress.user": 1,
        "lessons.Reflection.user": 1,
        "account.EmailAddress.user": 1,
        "admin.LogEntry.user": 1,
        "sharing.Share.client": 1,
        "nudges.ReminderSchedule.user": 1,
        "nudges.NudgeDelivery.user": 1,
        "practice.CheckInDraft.user": 1,  # a check-in she left midway
    }
    assert _sessions_of(alice.pk) == 2

    response = client.post(URL, {"password": PASSWORD}, follow=True)

    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(pk=alice.pk).exists()
    assert _rows_pointing_to(alice.pk) == {}
    assert _sessions_of(alice.pk) == 0
    assert not EmailAddress.objects.filter(email="alice@example.com").exists()
    # The share, its access log and Bob's comment on her entry went with her.
    assert (Share.objects.count(), AccessLog.objects.count(), Comment.objects.count()) == (0, 0, 0)
    # Bob keeps his account, his entry and his session.
    assert list(Entry.objects.values_list("moments", flat=True)) == ["Bob's own entry"]
    assert _sessions_of(bob.pk) == 1


def test_a_therapist_deleting_their_account_leaves_no_row_pointing_to_them(
    client, alices_life, bob
):
    client.force_login(bob)
    assert _rows_pointing_to(bob.pk) == {
        "journal.Entry.user": 1,
        "accounts.DataKey.user": 1,
        "account.EmailAddress.user": 1,
        "mfa.Authenticator.user": 1,  # his authenticator app
        "sharing.Share.therapist": 1,
        "sharing.AccessLog.therapist": 1,
        "sharing.Comment.author": 1,
        "sharing.Comment.therapist": 1,
    }

    client.post(URL, {"password": PASSWORD})

    assert _rows_pointing_to(bob.pk) == {}
    # Alice's share and her record of his reads stay hers; his comment is gone.
    share = Share.objects.get(client=alices_life)
    assert (share.therapist, AccessLog.objects.get().therapist) == (None, None)
    assert not Comment.objects.exists()
    assert Entry.with_deleted.filter(user=alices_life).count() == 5


def test_the_database_deletes_the_access_log_with_the_account_in_the_same_transaction(
    alices_life, bob
):
    """Django issues no query over the log's rows: the database's ON DELETE CASCADE removes
    them with the share, which goes with the account, before the transaction commits."""
    share = Share.objects.get(client=alices_life)
    sharing_services.access_logs_count_visit(
        shares=sharing_selectors.shares_received(therapist=bob),
        therapist=bob,
        what="Your name in their list",
        path="/",
    )
    assert AccessLog.objects.filter(share=share).count() == 2

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        account_services.account_delete(user=alices_life)
        left_inside = AccessLog.objects.count()

    assert left_inside == 0
    assert [q["sql"] for q in queries if "sharing_accesslog" in q["sql"]] == [
        'SELECT COUNT(*) AS "__count" FROM "sharing_accesslog"'
    ]


def test_the_admin_history_forgets_the_person_who_deleted_their_account(client, alices_life, bob):
    """An operator changed Alice's account, her email address and one of her entries in the
    admin, and Bob's account too. Once Alice deletes hers, the admin's recent actions (which
    keep each row's name as it was) no longer name her; Bob's row stays."""
    alice = alices_life
    operator = UserFactory(email="operator@example.com", is_staff=True, is_superuser=True)
    for rows in (
        User.objects.filter(pk=alice.pk),
        EmailAddress.objects.filter(user=alice),
        Entry.objects.filter(user=alice)[:1],
        User.objects.filter(pk=bob.pk),
    ):
        LogEntry.objects.log_actions(operator.pk, list(rows), CHANGE, single_object=True)
    alice_browser = Client()
    alice_browser.force_login(alice)

    alice_browser.post(URL, {"password": PASSWORD})

    assert not User.objects.filter(pk=alice.pk).exists()
    client.force_login(operator)
    page = visible_text(client.get(reverse("admin:index")).content)
    assert "Alice" not in page and "alice@example.com" not in page
    assert "Bob" in page
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["Bob"]


def test_an_odd_admin_history_never_stops_a_deletion(client, alices_life, bob):
    """Rows whose model's content type was removed, or whose id is not a number, are the
    admin's to keep; the person's own rows still go, and their deletion goes through."""
    alice = alices_life
    operator = UserFactory(email="operator@example.com", is_staff=True, is_superuser=True)
    LogEntry.objects.log_actions(operator.pk, [alice, bob], CHANGE)
    odd = LogEntry.objects.filter(object_id=str(bob.pk)).get()
    LogEntry.objects.create(
        user=operator,
        content_type=odd.content_type,
        object_id="not-a-number",
        object_repr="Someone",
        action_flag=CHANGE,
    )
    LogEntry.objects.create(
        user=operator, content_type=None, object_id="1", object_repr="Gone", action_flag=CHANGE
    )

    account_services.account_delete(user=alice)

    assert not User.objects.filter(pk=alice.pk).exists()
    kept = sorted(LogEntry.objects.values_list("object_repr", flat=True))
    assert kept == ["Bob", "Gone", "Someone"]


def test_a_read_logged_after_the_client_deleted_their_account_is_refused(alices_life, bob):
    """The database checks the log's share: a row for a share that is gone cannot exist."""
    share_id = Share.objects.get(client=alices_life).pk
    account_services.account_delete(user=alices_life)

    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(share_id=share_id, therapist=bob, who="Bob", what="x", path="/")
        connection.check_constraints()  # as the commit would


def test_after_deleting_the_browser_is_signed_out(client, alices_life):
    client.force_login(alices_life)

    client.post(URL, {"password": PASSWORD})
    response = client.get(reverse("journal:timeline"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_goodbye_page_clears_drafts_on_the_device_and_offers_help(client, db):
    page = client.get(reverse("accounts:deleted")).content.decode()

    assert "<div data-clear-drafts>" in page
    assert f'href="{reverse("get_help")}"' in page


def test_wrong_password_deletes_nothing_and_says_so(alice_client, alices_life):
    before = _rows_pointing_to(alices_life.pk)

    response = alice_client.post(URL, {"password": "not-my-password"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "That is not your password. Nothing has been deleted; try again." in page
    assert _rows_pointing_to(alices_life.pk) == before
    assert alice_client.get(reverse("journal:timeline")).status_code == 200


def test_empty_password_asks_for_it(alice_client, alices_life):
    page = alice_client.post(URL, {"password": ""}).content.decode()

    assert "Enter your password to delete your account." in page
    assert User.objects.filter(pk=alices_life.pk).exists()


def test_delete_page_explains_what_goes_and_is_linked_from_the_profile(alice_client, alice):
    profile = alice_client.get(reverse("home:profile")).content.decode()
    page = alice_client.get(URL).content.decode()

    assert f'<a href="{URL}">Delete your account</a>' in profile
    words = " ".join(page.split())
    for part in (
        "Every journal entry: gratitude, bids and apologies, and what you wrote in the practice",
        "Your progress through the lessons and your reflections.",
        "Your reminder schedule",
        "Any sharing with a therapist: the shares, their comments and the log of what they read.",
        "A partner link: it ends, and your answers, appreciations and plans go with it.",
        "Your partner is told only that the link has ended.",
    ):
        assert part in words
    assert "removed from our database at once, and from our backups as they are replaced" in words
    assert 'autocomplete="current-password"' in page


def test_delete_needs_login_and_a_post(client, alice):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    client.force_login(alice)
    assert client.put(URL).status_code == 405
    assert User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_password_to_delete_is_limited(alice_client, alice):

    for _ in range(10):
        alice_client.post(reverse("accounts:delete"), {"password": "guess"})

    response = alice_client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert "Too many tries. Wait a minute, then enter your password again." in (
        response.content.decode()
    )
    assert type(alice).objects.filter(pk=alice.pk).exists()


def test_deleting_forgets_the_session_copies_the_cache_holds(
    client, alices_life, settings, django_capture_on_commit_callbacks
):
    """With Redis, sessions are read from the cache first (cached_db): the copy of a second
    device's session must go too, not only the database's row."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    phone = Client()
    phone.force_login(alices_life)
    client.force_login(alices_life)
    phone_key = phone.session.session_key
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store(phone_key).load()[SESSION_KEY] == str(alices_life.pk)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"password": PASSWORD})

    assert store(phone_key).load() == {}
    assert phone.get(reverse("journal:timeline")).status_code == 302
