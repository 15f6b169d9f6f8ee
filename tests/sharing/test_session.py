"""Session preparation: a therapist's one page for one client and a range of days."""

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import Entry
from lessons.models import Progress
from sharing.models import AccessLog, Share
from tests.factories import (
    ApologyFactory,
    BidFactory,
    GratitudeFactory,
    LessonFactory,
)

from .conftest import NOW, TODAY, make_share, text_of

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def session_url(client, query: str = "") -> str:
    return reverse("sharing:session", args=[client.pk]) + query


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_session_counts_each_shared_kind_and_its_choices_in_the_range(bob_client, alice, bob):
    make_share(alice, bob)
    GratitudeFactory(user=alice, day=days_ago(1))
    GratitudeFactory(user=alice, day=days_ago(2))
    BidFactory(user=alice, day=days_ago(1), response="toward")
    BidFactory(user=alice, day=days_ago(3), response="away")
    BidFactory(user=alice, day=days_ago(3), response="against", made_by="me")
    ApologyFactory(user=alice, day=days_ago(2), status="given")
    ApologyFactory(user=alice, day=days_ago(4), status="followed_up")
    GratitudeFactory(user=alice, day=days_ago(1), is_private=True)  # never counted
    GratitudeFactory(user=alice, day=days_ago(20))  # outside the range

    page = text_of(
        bob_client.get(session_url(alice, "?start=2026-03-05&end=2026-03-11")).content.decode()
    )

    assert "Preparing a session with Alice" in page
    assert "5 Mar 2026 to 11 Mar 2026: 7 shared entries." in page
    assert "Gratitude 2 —" in page  # no choice field to split by
    assert (
        "Bid for connection 3 Who made the bid: their partner 2, they did 1 "
        "How it was answered: turned toward 1, turned away 1, turned against 1"
    ) in page
    assert "Apology 2 Status: given 1, followed up 1" in page
    assert (
        "Positive moments: 3. Negative moments: 2. That is 1.5 to 1; the target is 5 to 1." in page
    )


def test_session_without_negative_moments_says_the_target_as_a_sentence(bob_client, alice, bob):
    make_share(alice, bob)
    GratitudeFactory(user=alice, day=days_ago(1))

    page = text_of(bob_client.get(session_url(alice)).content.decode())

    assert "Positive moments: 1. Negative moments: 0. The target is 5 to 1." in page


def test_session_shows_only_the_kinds_the_share_opens(client, alice, bob):
    make_share(alice, bob, kinds=("bid",), progress=False)
    GratitudeFactory(user=alice, moments="A secret gratitude", day=days_ago(1))
    BidFactory(user=alice, what="Asked about my day", day=days_ago(1))
    client.force_login(bob)

    page = text_of(client.get(session_url(alice)).content.decode())

    assert "Asked about my day" in page
    assert "A secret gratitude" not in page
    assert "Gratitude" not in page.split("At a glance")[1].split("Positive moments")[0]
    assert "Lessons done" not in page  # progress is not shared


def test_session_lists_lessons_done_in_the_range_when_progress_is_shared(bob_client, alice, bob):
    make_share(alice, bob)
    done = LessonFactory(title="Noticing bids")
    earlier = LessonFactory(title="Before the range")
    Progress.objects.create(
        user=alice, lesson=done, started_at=timezone.now(), done_at=timezone.now()
    )
    long_ago = timezone.now() - timedelta(days=40)
    Progress.objects.create(user=alice, lesson=earlier, started_at=long_ago, done_at=long_ago)

    page = text_of(bob_client.get(session_url(alice)).content.decode())

    assert "Lessons done Noticing bids (11 Mar)" in page
    assert "Before the range" not in page


def test_session_lists_the_ranges_entries_oldest_first_with_one_log_row_each(
    bob_client, alice, bob
):
    share = make_share(alice, bob)
    first = GratitudeFactory(user=alice, moments="First of the week", day=days_ago(3))
    second = BidFactory(user=alice, what="Second of the week", day=days_ago(1))

    html = bob_client.get(session_url(alice, "?start=2026-03-05&end=2026-03-11")).content.decode()

    assert html.index("First of the week") < html.index("Second of the week")
    logs = list(AccessLog.objects.filter(share=share).order_by("id").values_list("what", flat=True))
    assert logs == [
        "Session preparation: counts and chart, 2026-03-05 to 2026-03-11",
        f"Entry: {first}",
        f"Entry: {second}",
    ]


def test_session_remembers_the_range_and_offers_since_the_last_session(bob_client, alice, bob):
    share = make_share(alice, bob)

    bob_client.get(session_url(alice, "?start=2026-02-20&end=2026-03-04"))
    page = text_of(bob_client.get(session_url(alice)).content.decode())

    share.refresh_from_db()
    assert (share.prep_start, share.prep_end) == (date(2026, 3, 4), TODAY)
    assert "4 Mar 2026 to 11 Mar 2026" in page  # since the last session, by default
    assert "Since your last session with Alice (4 Mar to today)" in page
    assert "The range you prepared last time (20 Feb to 4 Mar)" in page


def test_a_head_request_leaves_the_range_prepared_last_time(bob_client, alice, bob):
    make_share(alice, bob)
    bob_client.get(session_url(alice, "?start=2026-02-20&end=2026-03-04"))

    bob_client.head(session_url(alice))

    page = text_of(bob_client.get(session_url(alice)).content.decode())
    assert "4 Mar 2026 to 11 Mar 2026" in page  # since the last session, by default
    assert "The range you prepared last time (20 Feb to 4 Mar)" in page


def test_session_without_a_remembered_range_starts_at_the_shares_first_day(bob_client, alice, bob):
    make_share(alice, bob, shared_from=days_ago(100))
    GratitudeFactory(user=alice, day=days_ago(90))

    html = bob_client.get(session_url(alice)).content.decode()

    assert "1 Dec 2025 to 11 Mar 2026: 1 shared entry." in text_of(html)
    assert 'name="start" value="2025-12-01"' in html
    assert 'name="end" value="2026-03-11"' in html


def test_session_shortened_range_shows_the_days_actually_used(bob_client, alice, bob):
    make_share(alice, bob, shared_from=date(2026, 3, 1))

    html = bob_client.get(session_url(alice, "?start=2026-02-01&end=2026-04-30")).content.decode()

    assert "1 Mar 2026 to 11 Mar 2026:" in text_of(html)
    assert 'name="start" value="2026-03-01"' in html
    assert 'name="end" value="2026-03-11"' in html
    assert "2026-02-01" not in html and "2026-04-30" not in html


@pytest.mark.parametrize(
    ("query", "shown", "note"),
    [
        (
            "?start=2026-03-10&end=2026-03-01",
            "1 Mar 2026 to 10 Mar 2026",
            "The “From” day was after the “To” day, so the two were swapped.",
        ),
        (
            "?start=2020-01-01&end=2024-06-01",
            "1 Jan 2024 to 1 Jun 2024",
            "Alice shares entries from 1 Jan 2024, so the range now starts there.",
        ),
        (
            "?start=2026-03-01&end=2027-01-01",
            "1 Mar 2026 to 11 Mar 2026",
            "The range cannot go past today, so it now ends today.",
        ),
        (
            "?start=2024-01-01&end=2026-03-11",
            "11 Mar 2024 to 11 Mar 2026",
            "A range covers two years at most, so it now starts on 11 Mar 2024, "
            "two years before its last day.",
        ),
    ],
)
def test_session_clamps_a_bad_range_and_says_how(bob_client, alice, bob, query, shown, note):
    make_share(alice, bob, shared_from=date(2024, 1, 1))

    page = text_of(bob_client.get(session_url(alice, query)).content.decode())

    assert f"{shown}:" in page
    assert note in page


def test_session_with_unreadable_days_says_so_and_shows_the_default_range(bob_client, alice, bob):
    make_share(alice, bob)

    response = bob_client.get(session_url(alice, "?start=yesterday&end=%00"))

    page = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Those days could not be read" in page
    assert "9 Feb 2026 to 11 Mar 2026" in page  # from the share's first day


def test_session_is_printable(bob_client, alice, bob):
    make_share(alice, bob)

    html = bob_client.get(session_url(alice)).content.decode()

    assert (
        '<button type="button" class="button secondary" data-print hidden>Print this page' in html
    )
    css = (settings.BASE_DIR / "static/css/app.css").read_text()
    assert ".no-print, .client-nav, .session-controls" in css


def test_session_is_a_404_after_revoking(bob_client, alice, bob):
    share = make_share(alice, bob)
    share.status = Share.Status.REVOKED
    share.save()

    assert bob_client.get(session_url(alice)).status_code == 404
    assert not AccessLog.objects.exists()


def _entries(user, count: int) -> None:
    Entry.objects.bulk_create(
        Entry(user=user, kind="gratitude", day=days_ago(n % 10), moments=f"Moment {n}")
        for n in range(count)
    )


def _queries(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_session_query_count_is_the_same_for_10_or_1000_entries(bob_client, alice, bob, charlie):
    make_share(alice, bob)
    make_share(charlie, bob)
    _entries(alice, 10)
    _entries(charlie, 1000)

    few = _queries(bob_client, session_url(alice))
    many = _queries(bob_client, session_url(charlie))

    assert few == many
    assert many <= 16
    assert AccessLog.objects.filter(share__client=charlie).count() == 1 + 20  # one page shown
