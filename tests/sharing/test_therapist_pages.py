import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from journal import services as journal_services
from lessons.models import Progress
from sharing.models import AccessLog, Comment, Share
from tests.conftest import too_long
from tests.factories import (
    ApologyFactory,
    BidFactory,
    GratitudeFactory,
    LessonFactory,
    ModuleFactory,
)

from .conftest import NOW, TODAY, make_share, text_of


def journal_url(client_user, query: str = "") -> str:
    return reverse("sharing:client_journal", args=[client_user.pk]) + query


def entry_url(entry) -> str:
    return reverse("sharing:client_entry", args=[entry.user_id, entry.pk])


@pytest.fixture
def entries(alice):
    """One of each: shared, private, before the from-day, deleted, and each kind."""
    make_share(alice, None, status=Share.Status.REVOKED)  # noise: an old share of alice's
    deleted = GratitudeFactory(user=alice, moments="Deleted moment", day=TODAY)
    journal_services.entry_delete(entry=deleted)
    return {
        "gratitude": GratitudeFactory(user=alice, moments="Shared moment", day=TODAY),
        "bid": BidFactory(user=alice, what="Shared bid", day=TODAY - timedelta(days=2)),
        "apology": ApologyFactory(user=alice, day=TODAY - timedelta(days=5)),
        "private": GratitudeFactory(
            user=alice, moments="Private moment", is_private=True, day=TODAY
        ),
        "old": GratitudeFactory(user=alice, moments="Old moment", day=TODAY - timedelta(days=40)),
        "deleted": deleted,
    }


@time_machine.travel(NOW, tick=False)
def test_journal_shows_shared_entries_only(bob_client, alice, bob, entries):
    make_share(alice, bob, kinds=("gratitude", "bid"), shared_from=TODAY - timedelta(days=30))

    page = text_of(bob_client.get(journal_url(alice)).content.decode())

    assert "Shared moment" in page
    assert "Shared bid" in page
    for hidden in ("Private moment", "Old moment", "Deleted moment", "I'm sorry I went quiet"):
        assert hidden not in page
    assert (
        "Alice shares: Gratitude entries, bids for connection, lesson progress; "
        "entries from 9 Feb 2026 on."
    ) in page


@time_machine.travel(NOW, tick=False)
def test_unshared_private_old_and_deleted_entries_are_not_found(bob_client, alice, bob, entries):
    make_share(alice, bob, kinds=("gratitude", "bid"), shared_from=TODAY - timedelta(days=30))

    statuses = {name: bob_client.get(entry_url(e)).status_code for name, e in entries.items()}

    assert statuses == {
        "gratitude": 200,
        "bid": 200,
        "apology": 404,
        "private": 404,
        "old": 404,
        "deleted": 404,
    }


@time_machine.travel(NOW, tick=False)
def test_marking_a_shared_entry_private_hides_it_at_once(bob_client, alice, bob, entries):
    make_share(alice, bob)
    shared = entries["gratitude"]
    journal_services.entry_update(entry=shared, data={"is_private": True})

    assert bob_client.get(entry_url(shared)).status_code == 404
    assert "Shared moment" not in bob_client.get(journal_url(alice)).content.decode()


@time_machine.travel(NOW, tick=False)
def test_journal_filters_by_kind_and_dates(bob_client, alice, bob, entries):
    make_share(alice, bob)

    bids = text_of(bob_client.get(journal_url(alice, "?kind=bid")).content.decode())
    week = text_of(
        bob_client.get(journal_url(alice, "?start=2026-03-08&end=2026-03-10")).content.decode()
    )

    assert "Shared bid" in bids and "Shared moment" not in bids
    assert "Shared bid" in week and "Shared moment" not in week
    assert "went quiet" not in week  # the apology is from 6 March


@time_machine.travel(NOW, tick=False)
def test_journal_filter_offers_only_shared_kinds_and_ignores_others(
    bob_client, alice, bob, entries
):
    make_share(alice, bob, kinds=("bid",))

    response = bob_client.get(journal_url(alice, "?kind=gratitude"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. gratitude is not one of the available choices." in page
    assert '<option value="gratitude"' not in page
    assert "Shared moment" not in page


@time_machine.travel(NOW, tick=False)
def test_journal_filter_with_bad_dates_says_so_and_keeps_them(bob_client, alice, bob, entries):
    make_share(alice, bob)

    page = bob_client.get(journal_url(alice, "?start=2026-03-10&end=2026-03-01")).content.decode()
    nonsense = bob_client.get(journal_url(alice, "?start=soon")).content.decode()

    assert "Pick a day on or after the “From” day." in page
    assert 'value="2026-03-10"' in page
    assert "Enter a valid date." in nonsense


def test_entry_page_has_no_way_to_change_the_clients_entry(bob_client, alice, bob):
    make_share(alice, bob)
    entry = ApologyFactory(user=alice)

    page = bob_client.get(entry_url(entry)).content.decode()

    assert "I&#x27;m sorry I went quiet when you wanted to talk." in page
    assert "/journal/" not in page.split('id="main"')[1]
    forms = re.findall(r'<form[^>]*action="([^"]+)"', page)
    assert reverse("sharing:comment_create", args=[alice.pk, entry.pk]) in forms
    assert all(not action.startswith("/journal/") for action in forms)


def test_an_entry_leads_back_to_the_clients_journal_and_names_its_comments(bob_client, alice, bob):
    make_share(alice, bob)
    entry = BidFactory(user=alice)

    page = bob_client.get(entry_url(entry)).content.decode()

    back = re.search(r'<p class="link-line"><a href="([^"]+)">([^<]+)</a>', page)
    assert back.groups() == (journal_url(alice), "← Alice's journal")
    assert '<h2 id="comments-title">Comments on this entry</h2>' in page


def test_therapist_comments_edits_and_deletes_their_own_comment(bob_client, alice, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)

    bob_client.post(
        reverse("sharing:comment_create", args=[alice.pk, entry.pk]),
        {"body": "<script>alert(1)</script> Good noticing."},
    )
    comment = Comment.objects.get()
    page = bob_client.get(entry_url(entry)).content.decode()
    assert (comment.entry, comment.author) == (entry, bob)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Good noticing." in page
    assert "<script>alert(1)" not in page

    edit = reverse("sharing:comment_edit", args=[alice.pk, entry.pk, comment.pk])
    assert "Good noticing.</textarea>" in bob_client.get(edit).content.decode()
    bob_client.post(edit, {"body": "Very good noticing."})
    comment.refresh_from_db()
    assert comment.body == "Very good noticing."

    bob_client.post(reverse("sharing:comment_delete", args=[alice.pk, entry.pk, comment.pk]))
    assert not Comment.objects.exists()


def test_an_empty_or_long_comment_is_refused_with_the_text_kept(bob_client, alice, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    url = reverse("sharing:comment_create", args=[alice.pk, entry.pk])

    empty = bob_client.post(url, {"body": "   "}).content.decode()
    long = bob_client.post(url, {"body": "x" * 2001}).content.decode()

    assert "Write your comment first: the box is empty." in empty
    assert "2,000 characters at most." in empty
    assert too_long(2_000, 2_001) in long
    assert "x" * 2001 + "</textarea>" in long
    assert not Comment.objects.exists()


def test_a_therapist_sees_and_changes_only_their_own_comments(bob_client, alice, bob, therapist):
    make_share(alice, bob)
    make_share(alice, therapist)
    entry = GratitudeFactory(user=alice)
    theirs = Comment.objects.create(
        entry=entry, author=therapist, therapist=therapist, body="Tess's private view"
    )

    page = bob_client.get(entry_url(entry)).content.decode()
    edit = bob_client.get(reverse("sharing:comment_edit", args=[alice.pk, entry.pk, theirs.pk]))
    delete = bob_client.post(
        reverse("sharing:comment_delete", args=[alice.pk, entry.pk, theirs.pk])
    )

    assert "Tess&#x27;s private view" not in page
    assert (edit.status_code, delete.status_code) == (404, 404)
    assert Comment.objects.get().body == "Tess's private view"


def test_a_revoked_therapist_cannot_change_their_old_comments(client, alice, therapist):
    share = make_share(alice, therapist)
    entry = GratitudeFactory(user=alice)
    comment = Comment.objects.create(
        entry=entry, author=therapist, therapist=therapist, body="Before"
    )
    share.status = Share.Status.REVOKED
    share.save(update_fields=["status"])
    client.force_login(therapist)
    args = [alice.pk, entry.pk, comment.pk]

    edit = client.post(reverse("sharing:comment_edit", args=args), {"body": "After"})
    delete = client.post(reverse("sharing:comment_delete", args=args))

    assert (edit.status_code, delete.status_code) == (404, 404)
    comment.refresh_from_db()
    assert comment.body == "Before"


def test_each_read_writes_one_access_log_row(bob_client, alice, bob):
    share = make_share(alice, bob)
    entry = GratitudeFactory(user=alice)

    bob_client.get(journal_url(alice, "?kind=gratitude&start=2026-01-01"))
    bob_client.get(entry_url(entry))
    bob_client.post(reverse("sharing:comment_create", args=[alice.pk, entry.pk]), {"body": "Hello"})
    bob_client.get(reverse("sharing:client_insights", args=[alice.pk]))
    bob_client.get(reverse("sharing:client_progress", args=[alice.pk]))

    rows = list(AccessLog.objects.order_by("id").values_list("share", "who", "what", "path"))
    who = "Bob (bob@example.com)"
    assert rows == [
        (
            share.pk,
            who,
            "Journal (Gratitude from 2026-01-01)",
            journal_url(alice, "?kind=gratitude&start=2026-01-01"),
        ),
        (share.pk, who, f"Entry: {entry}", entry_url(entry)),
        (share.pk, who, "Insights", reverse("sharing:client_insights", args=[alice.pk])),
        (share.pk, who, "Lesson progress", reverse("sharing:client_progress", args=[alice.pk])),
    ]


def test_a_refused_read_writes_no_log_row(client, alice, charlie):
    client.force_login(charlie)
    client.get(journal_url(alice))
    assert not AccessLog.objects.exists()


def test_the_log_row_is_rolled_back_when_the_page_fails_to_render(
    bob_client, alice, bob, monkeypatch
):
    make_share(alice, bob)

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr("sharing.views.render", broken)
    with pytest.raises(RuntimeError):
        bob_client.get(journal_url(alice))

    assert not AccessLog.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_insights_are_drawn_from_shared_entries_only(bob_client, client, alice, bob, therapist):
    make_share(alice, bob, shared_from=date(2026, 3, 10))
    make_share(alice, therapist, kinds=("bid",))
    GratitudeFactory(user=alice, day=date(2026, 3, 11))
    GratitudeFactory(user=alice, day=date(2026, 3, 10), is_private=True)
    GratitudeFactory(user=alice, day=date(2026, 3, 9))  # before Bob's from-day
    BidFactory(user=alice, day=date(2026, 3, 9))

    bobs = text_of(
        bob_client.get(reverse("sharing:client_insights", args=[alice.pk])).content.decode()
    )
    client.force_login(therapist)
    tess = text_of(client.get(reverse("sharing:client_insights", args=[alice.pk])).content.decode())

    assert "Days practised this week: 1" in bobs
    assert "current run" not in bobs
    assert "at least one entry Alice shares with you" in bobs
    assert "Gratitude written on 1 day in the last 12 weeks." in bobs
    assert "Days practised this week: 1" in tess
    assert "Gratitude, last 12 weeks" not in tess
    assert "This week so far: 0 positive moments and no negative ones." not in tess
    assert "This week so far: 1 positive moment and no negative ones." in tess


def test_lesson_progress_shows_done_and_started_lessons(bob_client, alice, bob):
    make_share(alice, bob)
    module = ModuleFactory(slug="noticing", title="Noticing")
    first, _second, third = (
        LessonFactory(module=module, slug=f"lesson-{n}", title=f"Lesson {n}", position=n)
        for n in (1, 2, 3)
    )
    now = timezone.now()
    Progress.objects.create(user=alice, lesson=first, started_at=now, done_at=now)
    Progress.objects.create(user=alice, lesson=third, started_at=now)

    page = text_of(
        bob_client.get(reverse("sharing:client_progress", args=[alice.pk])).content.decode()
    )

    assert "1 of 3 lessons done" in page
    assert "Lesson 1 Done Lesson 2 Up next Lesson 3 Started" in page


def test_progress_is_not_found_when_not_shared(bob_client, alice, bob):
    make_share(alice, bob, progress=False)
    page = bob_client.get(journal_url(alice)).content.decode()

    assert bob_client.get(reverse("sharing:client_progress", args=[alice.pk])).status_code == 404
    assert reverse("sharing:client_progress", args=[alice.pk]) not in page


def test_therapist_ends_the_relationship(bob_client, alice_client, alice, bob):
    share = make_share(alice, bob)
    end = reverse("sharing:share_end", args=[alice.pk])
    assert "Stop reading Alice's journal?" in bob_client.get(end).content.decode()

    response = bob_client.post(end, follow=True)

    assert "You no longer see Alice&#x27;s journal." in response.content.decode()
    assert bob_client.get(journal_url(alice)).status_code == 404
    share.refresh_from_db()
    assert share.status == "ended"
    sharing = text_of(alice_client.get(reverse("sharing:index")).content.decode())
    assert "Sharing that has ended Bob:" in sharing
    assert "(ended by the therapist)" in sharing
