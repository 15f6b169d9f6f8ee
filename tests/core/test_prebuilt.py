"""Queries built once per process answer as the ORM's own would."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core.prebuilt import Prebuilt
from journal.models import Entry
from tests.factories import GratitudeFactory


def _fields(user: User) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_signed_in_user_is_read_as_the_orm_reads_them(alice):
    User.objects.filter(pk=alice.pk).update(last_login=timezone.now())
    expected = User.objects.filter(pk=alice.pk).get()

    with CaptureQueriesContext(connection) as queries:
        found = User.objects.get(pk=str(alice.pk))  # the session keeps the id as text

    assert (_fields(found), found._state.adding, len(queries)) == (_fields(expected), False, 1)
    assert model_to_dict(found) == model_to_dict(expected)


@pytest.mark.parametrize("pk", [0, 10**30, -(10**30), None])
def test_a_user_that_cannot_exist_is_not_found(db, pk):
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=pk)


def test_an_id_that_is_no_number_is_refused_as_the_orm_refuses_it(db):
    with pytest.raises(ValueError, match="expected a number"):
        User.objects.get(pk="seven")


def test_other_lookups_still_go_through_the_orm(alice):
    assert User.objects.get(email=alice.email) == alice
    assert User.objects.filter(display_name="Nobody").count() == 0
    with pytest.raises(User.DoesNotExist):
        User.objects.exclude(pk=alice.pk).get(pk=alice.pk)


def test_rows_come_in_the_querysets_order_with_its_converters(alice, bob):
    days = [GratitudeFactory(user=alice).day for _ in range(3)]
    GratitudeFactory(user=bob)
    newest_first = Prebuilt(
        lambda owner: (
            Entry.objects.filter(user_id=owner)
            .order_by("-created_at")
            .values_list("pk", "created_at", "day")
        ),
        "owner",
        suffix=" LIMIT %s",
    )

    rows = newest_first.rows(owner=alice.pk, extra=[2])

    expected = Entry.objects.filter(user=alice).order_by("-created_at")
    assert rows == list(expected.values_list("pk", "created_at", "day")[:2])
    assert sorted(day for _, _, day in newest_first.rows(owner=alice.pk, extra=[5])) == sorted(days)


def test_a_value_missing_from_the_query_is_refused_when_it_is_built(db):
    unused = Prebuilt(lambda owner, kind: Entry.objects.filter(user_id=owner), "owner", "kind")

    with pytest.raises(ValueError, match="must appear once"):
        unused.rows(owner=1, kind=2)
