import pytest

from core.paging import page_of
from journal.models import Entry
from tests.factories import GratitudeFactory


@pytest.fixture
def entries(alice):
    GratitudeFactory.create_batch(5, user=alice)
    return Entry.objects.filter(user=alice).order_by("pk")


def test_first_page_knows_there_is_a_next_one(entries):
    page = page_of(entries, None, size=2)

    assert (len(page), page.number, page.has_previous, page.has_next) == (2, 1, False, True)
    assert list(page) == list(entries[:2])


def test_last_page_has_no_next(entries):
    page = page_of(entries, "3", size=2)

    assert (len(page), page.has_previous, page.has_next, page.previous_page_number) == (
        1,
        True,
        False,
        2,
    )


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "", "1e9x", "²", "٣", "9" * 5000])
def test_anything_but_a_positive_number_is_page_one(entries, raw):
    assert page_of(entries, raw, size=2).number == 1


def test_a_page_past_the_end_is_empty_not_an_error(entries):
    page = page_of(entries, "99", size=2)

    assert (list(page), page.has_next, page.has_previous) == ([], False, True)


def test_a_page_number_too_big_for_the_database_is_an_empty_page(entries):
    page = page_of(entries, "461168601842738792", size=20)

    assert (list(page), page.has_next, page.number) == ([], False, 1_000_000)
