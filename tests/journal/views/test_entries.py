import pytest
from django.urls import reverse

from journal import services
from journal.models import Entry
from tests.factories import BidFactory, GratitudeFactory

OWNER_URLS = ["journal:entry_detail", "journal:entry_edit", "journal:entry_delete"]
POST_URLS = ["journal:entry_edit", "journal:entry_delete", "journal:apology_status"]


@pytest.mark.parametrize("name", OWNER_URLS)
def test_charlie_gets_404_when_opening_alices_entry(client, charlie, alice, name):
    entry = GratitudeFactory(user=alice)
    client.force_login(charlie)

    response = client.get(reverse(name, args=[entry.pk]))

    assert response.status_code == 404
    assert entry.moments not in response.content.decode()


@pytest.mark.parametrize("name", POST_URLS)
def test_charlie_gets_404_when_changing_alices_entry(client, charlie, alice, name):
    entry = GratitudeFactory(user=alice)
    client.force_login(charlie)

    response = client.post(
        reverse(name, args=[entry.pk]), {"day": "2026-01-01", "moments": "hijacked"}
    )

    assert response.status_code == 404
    assert Entry.objects.get(pk=entry.pk).moments == entry.moments


def test_charlie_cannot_restore_alices_deleted_entry(client, charlie, alice):
    entry = GratitudeFactory(user=alice)
    services.entry_delete(entry=entry)
    client.force_login(charlie)

    client.post(reverse("journal:entry_restore", args=[entry.pk]))
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_edit_keeps_text_on_error_and_saves_when_valid(alice_client, alice):
    entry = BidFactory(user=alice, what="Asked for a hug")
    url = reverse("journal:entry_edit", args=[entry.pk])
    data = {
        "day": entry.day.isoformat(),
        "made_by": "partner",
        "what": "Asked for a long hug",
        "response": "nope",
    }

    page = alice_client.post(url, data).content.decode()
    assert "Asked for a long hug</textarea>" in page
    entry.refresh_from_db()
    assert entry.what == "Asked for a hug"

    alice_client.post(url, {**data, "response": "toward"})
    entry.refresh_from_db()
    assert (entry.what, entry.response) == ("Asked for a long hug", "toward")


@pytest.mark.parametrize("raw", ["²", "9" * 5000])
def test_an_undo_number_in_other_digits_or_too_long_offers_no_undo(alice_client, raw):
    response = alice_client.get(reverse("journal:timeline") + f"?deleted={raw}")

    assert response.status_code == 200
    assert "Entry deleted." not in response.content.decode()


def test_delete_asks_first_then_offers_undo(alice_client, alice):
    entry = GratitudeFactory(user=alice, moments="Fixed my bike")
    url = reverse("journal:entry_delete", args=[entry.pk])

    confirm = alice_client.get(url).content.decode()
    assert "Delete this gratitude?" in confirm
    assert Entry.objects.filter(pk=entry.pk).exists()

    timeline = alice_client.post(url, follow=True).content.decode()
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert "Entry deleted." in timeline
    assert reverse("journal:entry_restore", args=[entry.pk]) in timeline

    back = alice_client.post(reverse("journal:entry_restore", args=[entry.pk]), follow=True)
    assert "Your entry is back." in back.content.decode()
    assert Entry.objects.get(pk=entry.pk).moments == "Fixed my bike"
