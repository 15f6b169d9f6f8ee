from datetime import date, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from journal import search, services
from journal.models import Entry
from tests.factories import EVERY_GRATITUDE_FIELD, BidFactory, GratitudeFactory
from tests.races import Race
from tests.services import require_postgres


def test_gratitude_create_stores_every_field(alice):
    entry = services.entry_create(
        user=alice, kind="gratitude", day=date(2026, 11, 20), **EVERY_GRATITUDE_FIELD
    )

    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.user, stored.kind, stored.day) == (alice, "gratitude", date(2026, 11, 20))
    fields = {name: getattr(stored, name) for name in EVERY_GRATITUDE_FIELD}
    assert fields == EVERY_GRATITUDE_FIELD


def test_entry_update_changes_only_fields_of_its_kind(alice):
    entry = BidFactory(user=alice, response="away")

    services.entry_update(entry=entry, data={"response": "toward", "moments": "sneaky"})

    entry.refresh_from_db()
    assert (entry.response, entry.moments) == ("toward", "")


def test_deleted_entry_is_hidden_and_can_be_restored_within_the_window(alice):
    entry = GratitudeFactory(user=alice)

    services.entry_delete(entry=entry)
    assert not Entry.objects.filter(pk=entry.pk).exists()

    assert services.entry_restore(user=alice, pk=entry.pk) is True
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_restore_is_refused_after_the_window_and_for_another_user(alice, charlie):
    entry = GratitudeFactory(user=alice)
    services.entry_delete(entry=entry)

    assert services.entry_restore(user=charlie, pk=entry.pk) is False
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.entry_restore(user=alice, pk=entry.pk) is False


def test_purge_really_removes_entries_past_the_undo_window(alice):
    old, recent = GratitudeFactory(user=alice), GratitudeFactory(user=alice)
    services.entry_delete(entry=old)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.entry_delete(entry=recent)

    removed = services.entries_purge_deleted(now=timezone.now() + timedelta(minutes=12))

    assert removed == 1
    assert list(Entry.with_deleted.values_list("pk", flat=True)) == [recent.pk]


def test_positive_and_negative_follow_the_ratio_definition(alice):
    gratitude = GratitudeFactory(user=alice)
    toward = BidFactory(user=alice, response="toward")
    away = BidFactory(user=alice, response="away")
    against = BidFactory(user=alice, response="against")

    assert set(Entry.objects.positive()) == {gratitude, toward}
    assert set(Entry.objects.negative()) == {away, against}


def test_purge_task_removes_expired_deleted_entries(alice):
    from journal.tasks import purge_deleted_entries

    entry = GratitudeFactory(user=alice)
    Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now() - timedelta(minutes=30))

    assert purge_deleted_entries() == 1
    assert not Entry.with_deleted.exists()


def test_entry_create_refuses_a_field_its_kind_does_not_declare(alice):
    with pytest.raises(TypeError, match="gratitude entries have no field response"):
        services.entry_create(user=alice, kind="gratitude", day=date(2026, 11, 20), response="x")


def _gratitude(user, submission):
    return services.entry_create(
        user=user,
        kind="gratitude",
        day=date(2026, 11, 20),
        moments="Made tea",
        submission=submission,
    )


def test_a_submission_made_twice_gives_back_the_first_entry(alice):
    token = uuid4()

    first = _gratitude(alice, token)
    second = _gratitude(alice, token)

    assert second == first
    assert list(Entry.objects.filter(user=alice)) == [first]


def test_a_submission_token_is_each_persons_own(alice, charlie):
    """Charlie sending Alice's token makes his own entry, and never hands him hers."""
    token = uuid4()

    hers = _gratitude(alice, token)
    his = _gratitude(charlie, token)

    assert (hers.user, his.user) == (alice, charlie)
    assert Entry.objects.count() == 2


def test_a_submission_made_twice_inside_a_callers_transaction_leaves_it_usable(alice):
    token = uuid4()

    with transaction.atomic():
        first = _gratitude(alice, token)
        second = _gratitude(alice, token)
        third = _gratitude(alice, None)

    assert second == first
    assert Entry.objects.filter(user=alice).count() == 2
    assert third.pk != first.pk


def test_two_saves_of_one_form_at_the_same_moment_make_one_entry(
    transactional_db, alice, monkeypatch
):
    """The first save is not committed yet when the second comes: the unique index makes
    the second wait, and it gives back the first's entry rather than an error page."""
    require_postgres()
    token = uuid4()
    race = Race()
    # The search index is written in the same transaction as the row, before it commits.
    monkeypatch.setattr(search, "entry_index", race.pause_before(search.entry_index, thread="1"))
    made = {}

    def save(name):
        made[name] = _gratitude(alice, token).pk

    race.start("1", lambda: save("1"))
    assert race.paused.wait(timeout=20)
    race.start("2", lambda: save("2"))

    assert race.finish() == {"1": "done", "2": "done"}
    entry = Entry.objects.get(user=alice)
    assert made == {"1": entry.pk, "2": entry.pk}
