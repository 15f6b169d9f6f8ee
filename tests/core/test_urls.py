"""Ids in addresses: every one is read by core's `id` converter, which 404s out of range."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from core.converters import IdConverter
from sharing.models import Comment
from tests.factories import GratitudeFactory

from ..sharing.conftest import make_share

TOO_BIG = 2**63  # one past SQLite's and PostgreSQL's largest integer


def _converters(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _converters(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            for name, converter in pattern.pattern.converters.items():
                yield route, name, converter


def test_no_address_reads_a_number_with_djangos_unchecked_int():
    unchecked = [
        f"{route} <{name}>"
        for route, name, converter in _converters(get_resolver().url_patterns)
        if type(converter) is IntConverter
    ]
    assert unchecked == []


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", 1), ("007", 7), ("9" * 18, 10**18 - 1), ("9" * 19, None)]
)
def test_the_id_converter_reads_ids_and_refuses_the_rest(raw, expected):
    converter = IdConverter()
    if expected is None:
        with pytest.raises(ValueError):
            converter.to_python(raw)
    else:
        assert converter.to_python(raw) == expected
        assert converter.to_url(expected) == str(expected)


@pytest.mark.parametrize(
    "path",
    [
        "/sharing/clients/{big}/",
        "/sharing/clients/{big}/insights/",
        "/sharing/clients/{big}/session/",
        "/sharing/clients/{client}/entries/{big}/",
        "/sharing/{big}/",
        "/sharing/replies/{big}/edit/",
        "/journal/entries/{big}/",
    ],
)
def test_an_id_past_the_largest_integer_is_not_found(client, alice, bob, path):
    make_share(alice, bob)
    client.force_login(bob)

    response = client.get(path.format(big=TOO_BIG, client=alice.pk))

    assert response.status_code == 404


def test_a_reply_to_a_therapist_id_past_the_largest_integer_is_not_found(alice_client, alice):
    entry = GratitudeFactory(user=alice)
    path = f"/sharing/entries/{entry.pk}/with/{TOO_BIG}/reply/"

    response = alice_client.post(path, {"body": "Thanks"})

    assert response.status_code == 404
    assert Comment.objects.count() == 0
