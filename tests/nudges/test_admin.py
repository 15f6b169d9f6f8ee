"""The admin shows each kind of delivery, read only: the outbox's rows are its record."""

from datetime import UTC, datetime

from django.contrib.admin.sites import site
from django.urls import reverse

from nudges.models import CheckInDelivery, NudgeDelivery, OneOffReminder
from nudges.services import one_off
from sharing.models import DigestDelivery
from tests.factories import BreakFactory

DUE = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


def test_the_admin_lists_a_break_reminder_without_what_the_break_said(admin_client, alice):
    entry = BreakFactory(user=alice, return_at=DUE, partner_message="words-for-my-partner")
    one_off.one_off_schedule(user=alice, purpose="break_end", key=str(entry.pk), due_at=DUE)

    page = admin_client.get(reverse("admin:nudges_oneoffreminder_changelist")).content.decode()

    assert ">Alice<" in page and "Waiting for its time" in page
    assert "words-for-my-partner" not in page


def test_no_delivery_can_be_added_changed_or_deleted_in_the_admin():
    for model in (NudgeDelivery, CheckInDelivery, OneOffReminder, DigestDelivery):
        model_admin = site._registry[model]
        permissions = (
            model_admin.has_add_permission(None),
            model_admin.has_change_permission(None),
            model_admin.has_delete_permission(None),
        )
        assert permissions == (False, False, False), model
