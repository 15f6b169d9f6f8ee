"""`field__any` finds what `field__in` finds, whatever the field."""

from datetime import timedelta

import pytest

from accounts.models import User
from journal.models import Entry
from tests.factories import GratitudeFactory


@pytest.fixture
def entries(alice, bob):
    today = alice.local_today()
    return [
        GratitudeFactory(user=alice, day=today),
        GratitudeFactory(user=alice, day=today - timedelta(days=1)),
        GratitudeFactory(user=bob, day=today - timedelta(days=2)),
    ]


def _ids(rows) -> list[int]:
    return sorted(rows.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "field, values",
    [
        ("pk", lambda e: [e[0].pk, e[2].pk, 10**9]),
        ("user_id", lambda e: [e[0].user_id]),
        ("user", lambda e: [e[2].user_id]),
        ("day", lambda e: [e[1].day, e[2].day]),
        ("kind", lambda e: ["gratitude", "bid"]),
        ("pk", lambda e: []),
    ],
)
def test_any_finds_what_in_finds(entries, field, values):
    wanted = values(entries)

    found = _ids(Entry.objects.filter(**{f"{field}__any": wanted}))

    assert found == _ids(Entry.objects.filter(**{f"{field}__in": wanted}))


def test_ids_given_as_text_are_read_as_numbers(alice):
    assert list(User.objects.filter(pk__any=[str(alice.pk)])) == [alice]


def test_an_empty_list_matches_nothing_and_excludes_nothing(entries):
    assert _ids(Entry.objects.filter(pk__any=[])) == []
    assert _ids(Entry.objects.exclude(pk__any=[])) == _ids(Entry.objects.all())
