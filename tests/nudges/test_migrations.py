"""Data migrations of nudges' rows, run on rows as they stood before."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from journal.models import Entry
from nudges.models import OneOffReminder
from tests.factories import BreakFactory

called_off = import_module("nudges.migrations.0009_breaks_called_off_before_it_was_recorded")


def _break_with_reminder(user, status: str) -> Entry:
    entry = BreakFactory(user=user, return_at=timezone.now() - timedelta(hours=1))
    OneOffReminder.objects.create(
        user=user, purpose="break_end", key=str(entry.pk), due_at=entry.return_at, status=status
    )
    return entry


def test_breaks_called_off_before_the_entry_said_so_count_as_called_off(
    alice_client, alice, charlie
):
    """Before called_off_at, calling a break off only cancelled its reminder."""
    old = _break_with_reminder(alice, "cancelled")
    taken = _break_with_reminder(alice, "sent")
    taken.went_back = "yes"
    taken.save(update_fields=["went_back"])
    OneOffReminder.objects.create(  # a key naming alice's break, on someone else's reminder
        user=charlie,
        purpose="break_end",
        key=str(taken.pk),
        due_at=taken.return_at,
        status="cancelled",
    )

    called_off.record_called_off_breaks(apps, None)

    old.refresh_from_db()
    taken.refresh_from_db()
    assert old.called_off_at == old.created_at  # when is unknown; its start, the earliest
    assert taken.called_off_at is None
    insights = alice_client.get(reverse("journal:insights")).content.decode()
    assert "1 break taken; you went back after 1." in insights
    page = alice_client.get(reverse("journal:entry_detail", args=[old.pk])).content.decode()
    assert "You called this break off, so no reminder goes out for it." in page
    assert "Did you go back?" not in alice_client.get(reverse("home")).content.decode()
