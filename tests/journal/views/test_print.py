import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import ApologyFactory, BidFactory, GratitudeFactory

NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
URL = reverse("journal:print")


def _errors(page: str) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*>\s*<li>(.*?)</li>', page)


def _printed_days(page: str) -> list[str]:
    return re.findall(
        r'<article class="print-entry[^"]*">\s*<h3[^>]*>.*?<time datetime="([\d-]+)"', page, re.S
    )


@pytest.fixture
def entries(alice):
    return [
        GratitudeFactory(user=alice, day=date(2026, 2, 27), moments="Before the range"),
        GratitudeFactory(user=alice, day=date(2026, 3, 1), moments="Made pancakes"),
        BidFactory(user=alice, day=date(2026, 3, 2), what="Asked about my day", note="Look up"),
        ApologyFactory(user=alice, day=date(2026, 3, 3), is_private=True),
        GratitudeFactory(user=alice, day=date(2026, 3, 11), moments="Today, after the range"),
    ]


def test_print_shows_every_entry_in_the_range_oldest_first_with_all_it_says(
    alice_client, alice, entries
):
    with time_machine.travel(NOW, tick=False):
        page = alice_client.get(URL, {"start": "2026-03-01", "end": "2026-03-03"}).content.decode()

    assert _printed_days(page) == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert "Closer journal of Alice:\n      1 March 2026 to 3 March 2026" in page
    assert "3 entries. Printed from Closer" in page
    for text in ("Made pancakes", "Asked about my day", "Look up", "You matter to me."):
        assert text in page
    assert "Before the range" not in page and "Today, after the range" not in page


def test_print_can_leave_out_private_entries(alice_client, alice, entries):
    with time_machine.travel(NOW, tick=False):
        page = alice_client.get(
            URL, {"start": "2026-03-01", "end": "2026-03-03", "hide_private": "on"}
        ).content.decode()

    assert _printed_days(page) == ["2026-03-01", "2026-03-02"]
    assert "2 entries, private entries left out." in page


def test_print_starts_with_the_last_four_weeks_and_without_private_entries(
    alice_client, alice, entries
):
    with time_machine.travel(NOW, tick=False):
        page = alice_client.get(URL).content.decode()

    assert 'name="start" value="2026-02-12"' in page
    assert 'name="end" value="2026-03-11"' in page
    assert 'name="hide_private" id="id_hide_private" checked' in page
    assert _printed_days(page) == ["2026-02-27", "2026-03-01", "2026-03-02", "2026-03-11"]
    assert "4 entries, private entries left out." in page


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        ("2026-03-05", "2026-03-01", ["The last day is before the first. Pick a later day."]),
        (
            "2026-03-01",
            "2026-03-12",
            ["That day hasn&#x27;t happened yet. Pick today or an earlier day."],
        ),
        (
            "2026-03-12",
            "2026-03-13",
            ["That day hasn&#x27;t happened yet. Pick today or an earlier day."] * 2,
        ),
        ("2025-03-01", "2026-03-11", ["Pick a range of a year or less."]),
        ("", "2026-03-11", ["Pick the first day to print."]),
        ("yesterday", "2026-03-11", ["Enter a date."]),
    ],
)
def test_print_with_a_bad_range_explains_and_keeps_what_was_typed(
    alice_client, alice, entries, start, end, errors
):
    with time_machine.travel(NOW, tick=False):
        response = alice_client.get(URL, {"start": start, "end": end})

    page = response.content.decode()
    assert response.status_code == 200
    assert _errors(page) == errors
    if start:
        assert f'name="start" value="{start}"' in page
    assert f'name="end" value="{end}"' in page
    assert _printed_days(page) == []


def test_print_never_shows_another_users_entries(client, charlie, entries):
    client.force_login(charlie)
    GratitudeFactory(user=charlie, day=date(2026, 3, 2), moments="Charlie's only")

    with time_machine.travel(NOW, tick=False):
        page = client.get(URL, {"start": "2026-02-01", "end": "2026-03-11"}).content.decode()

    assert _printed_days(page) == ["2026-03-02"]
    assert "Made pancakes" not in page


def test_print_needs_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
