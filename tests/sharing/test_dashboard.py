import re
from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import services as journal_services
from sharing.models import AccessLog, Comment, Share, ShareMessage
from tests.factories import BidFactory, GratitudeFactory, UserFactory

from .conftest import make_share

NOW = "2026-03-11 12:00:00+00:00"  # a Wednesday; the week began on Monday 9 March
MONDAY = date(2026, 3, 9)


def rows_of(html: str) -> list[list[str]]:
    """Each client on the dashboard as the words on their card: name, then each figure."""
    rows = []
    for card in re.findall(r'<li class="card client-card">(.*?)</li>', html, re.S):
        name = re.search(r"<h2[^>]*>(.*?)</h2>", card, re.S).group(1)
        figures = re.findall(r"<dd>(.*?)</dd>", card, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", name).split()), *figures])
    return rows


@time_machine.travel(NOW, tick=False)
def test_dashboard_counts_only_what_each_client_shares(bob_client, alice, bob, charlie):
    make_share(alice, bob, kinds=("gratitude", "bid"), shared_from=date(2026, 3, 1))
    make_share(charlie, bob, kinds=("bid",), shared_from=date(2026, 3, 1))
    # Alice: three shared entries on two days this week, and everything that must not count.
    GratitudeFactory(user=alice, day=MONDAY)
    BidFactory(user=alice, day=MONDAY)
    GratitudeFactory(user=alice, day=date(2026, 3, 10))
    GratitudeFactory(user=alice, day=date(2026, 3, 11), is_private=True)
    journal_services.entry_delete(entry=GratitudeFactory(user=alice, day=date(2026, 3, 11)))
    GratitudeFactory(user=alice, day=date(2026, 2, 27))  # before the from-day
    GratitudeFactory(user=alice, day=date(2026, 3, 8))  # last week
    # Charlie shares bids only; his gratitude entries must not count.
    BidFactory(user=charlie, day=date(2026, 3, 5))
    GratitudeFactory(user=charlie, day=date(2026, 3, 11))

    page = bob_client.get(reverse("sharing:clients")).content.decode()

    assert rows_of(page) == [
        ["Alice", "11 Mar 2026", "10 Mar 2026", "3", "2", "4", "0"],
        ["Charlie", "11 Mar 2026", "5 Mar 2026", "0", "0", "1", "0"],
    ]


@time_machine.travel(NOW, tick=False)
def test_unread_counts_entries_written_since_the_last_visit(bob_client, alice, bob):
    make_share(alice, bob)
    with time_machine.travel("2026-03-11 09:00:00+00:00", tick=False):
        GratitudeFactory(user=alice)
    with time_machine.travel("2026-03-11 10:00:00+00:00", tick=False):
        bob_client.get(reverse("sharing:client_journal", args=[alice.pk]))
    GratitudeFactory(user=alice)  # written at noon, after the visit

    page = bob_client.get(reverse("sharing:clients")).content.decode()

    assert rows_of(page)[0][-2] == "1"  # new entries; the last figure is unread messages
    assert Share.objects.get().therapist_last_visit_at == datetime(2026, 3, 11, 10, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_unread_replies_and_messages_leave_the_other_figures_as_they_are(
    bob_client, alice, bob, charlie
):
    make_share(alice, bob, kinds=("gratitude",), shared_from=date(2026, 3, 1))
    entry = GratitudeFactory(user=alice, day=MONDAY)
    GratitudeFactory(user=alice, day=MONDAY)
    Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Lovely.")
    for body in ("Thank you.", "It was hard."):
        Comment.objects.create(entry=entry, author=alice, therapist=bob, body=body)
    Comment.objects.create(entry=entry, author=alice, therapist=charlie, body="Not for Bob.")
    ShareMessage.objects.create(client=alice, therapist=bob, by_therapist=False, body="Hello.")

    page = bob_client.get(reverse("sharing:clients")).content.decode()

    # Last entry, entries this week, days practised, new since the visit, unread messages.
    assert rows_of(page)[0][2:] == ["9 Mar 2026", "2", "1", "2", "3"]


@time_machine.travel(NOW, tick=False)
def test_unread_messages_leave_out_replies_bob_read_or_can_no_longer_open(
    bob_client, alice, bob, charlie
):
    make_share(alice, bob, kinds=("gratitude",), shared_from=date(2026, 3, 1))
    make_share(charlie, bob, kinds=("gratitude",), shared_from=date(2026, 3, 1))
    read, made_private = GratitudeFactory(user=alice, day=MONDAY), GratitudeFactory(user=alice)
    Comment.objects.create(
        entry=read, author=alice, therapist=bob, body="Read.", read_by_therapist_at=timezone.now()
    )
    Comment.objects.create(entry=made_private, author=alice, therapist=bob, body="Then private.")
    journal_services.entry_update(entry=made_private, data={"is_private": True})
    not_shared = BidFactory(user=alice, day=MONDAY)
    Comment.objects.create(entry=not_shared, author=alice, therapist=bob, body="A bid.")
    # Charlie has written nothing yet, and has sent one message about the share.
    ShareMessage.objects.create(client=charlie, therapist=bob, by_therapist=False, body="Hello.")

    page = bob_client.get(reverse("sharing:clients")).content.decode()

    assert rows_of(page) == [
        ["Alice", "11 Mar 2026", "9 Mar 2026", "1", "1", "1", "0"],
        ["Charlie", "11 Mar 2026", "None shared", "0", "0", "0", "1"],
    ]


@time_machine.travel(NOW, tick=False)
def test_a_head_request_leaves_new_entries_new(bob_client, alice, bob):
    make_share(alice, bob)
    GratitudeFactory(user=alice)

    bob_client.head(reverse("sharing:client_journal", args=[alice.pk]))

    page = bob_client.get(reverse("sharing:clients")).content.decode()
    assert rows_of(page)[0][-2] == "1"  # new entries; the last figure is unread messages
    assert AccessLog.objects.filter(what="Journal").count() == 1  # every read is logged


def test_dashboard_lists_only_active_shares_to_this_therapist(bob_client, alice, bob, charlie):
    make_share(alice, bob, status=Share.Status.REVOKED)
    make_share(charlie, bob, status=Share.Status.INVITED)
    make_share(alice, UserFactory(display_name="Someone else"))

    page = bob_client.get(reverse("sharing:clients")).content.decode()

    assert "Nobody shares a journal with you at the moment." in page
    assert "Alice" not in page and "Charlie" not in page


def test_dashboard_logs_one_read_per_client_shown(bob_client, alice, bob, charlie):
    make_share(alice, bob)
    make_share(charlie, bob)

    bob_client.get(reverse("sharing:clients"))

    assert sorted(AccessLog.objects.values_list("share__client__display_name", flat=True)) == [
        "Alice",
        "Charlie",
    ]


def _clients_with_entries(bob, count: int) -> None:
    for _ in range(count):
        client = UserFactory()
        make_share(client, bob)
        GratitudeFactory(user=client)
        BidFactory(user=client, is_private=True)


def _queries_for_dashboard(browser) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("sharing:clients"))
    assert response.status_code == 200
    return len(queries)


def test_dashboard_makes_the_same_number_of_queries_for_1_or_200_clients(
    bob_client, bob, django_assert_max_num_queries
):
    _clients_with_entries(bob, 1)
    one = _queries_for_dashboard(bob_client)
    _clients_with_entries(bob, 199)
    with django_assert_max_num_queries(one):
        page = bob_client.get(reverse("sharing:clients")).content.decode()
    many = _queries_for_dashboard(bob_client)

    print(f"\ndashboard queries: {one} for 1 client, {many} for 200 clients")
    assert len(rows_of(page)) == 25
    assert one == many
    # With the access log's savepoint, its insert and its count, and the clients'
    # invitations waiting for the therapist's answer.
    assert one <= 11


def test_dashboard_pages_through_every_client_once(bob_client, bob):
    _clients_with_entries(bob, 30)
    first = bob_client.get(reverse("sharing:clients")).content.decode()
    second = bob_client.get(reverse("sharing:clients") + "?page=2").content.decode()

    names = [row[0] for row in rows_of(first) + rows_of(second)]
    assert len(names) == len(set(names)) == 30
    assert "More clients" in first and "Previous clients" in second
    assert AccessLog.objects.count() == 30
