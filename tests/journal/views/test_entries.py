import pytest
from django.urls import reverse

from journal import services
from journal.models import Entry
from tests.conftest import form_token
from tests.factories import BidFactory, GratitudeFactory
from tests.races import edit_while_deleted, just_before
from tests.services import require_postgres

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


BID_EDIT = {"day": "2026-03-01", "made_by": "partner", "what": "A long hug", "response": "toward"}


@pytest.mark.parametrize("when", ["before", "while"])
def test_an_entry_deleted_in_another_tab_is_not_changed_and_the_words_come_back(
    monkeypatch, alice_client, alice, when
):
    """Deleted `when`: "before" the edit is sent, or "while" it is saved (an instant before
    journal.services.entry_update runs)."""
    entry = BidFactory(user=alice, what="Asked for a hug")
    url = reverse("journal:entry_edit", args=[entry.pk])
    alice_client.get(url)
    delete = reverse("journal:entry_delete", args=[entry.pk])
    if when == "before":
        alice_client.post(delete)
    else:
        just_before(monkeypatch, services, "entry_update", lambda: alice_client.post(delete))

    response = alice_client.post(url, BID_EDIT)

    page = response.content.decode()
    assert response.status_code == 404
    assert "That entry was deleted, so your changes were not saved." in page
    assert "A long hug</textarea>" in page
    assert Entry.with_deleted.get(pk=entry.pk).what == "Asked for a hug"


def test_an_entry_edited_and_deleted_at_the_same_moment_keeps_what_it_said(
    monkeypatch, transactional_db, alice
):
    """On PostgreSQL, each in a request of its own: the edit has loaded the entry when the
    delete commits, then saves. The deleted entry, which Undo brings back, stays as it was,
    and the edit says it was not saved rather than "saved" and then a missing page."""
    require_postgres()
    entry = BidFactory(user=alice, what="Asked for a hug")
    edit, delete = (
        reverse(f"journal:entry_{name}", args=[entry.pk]) for name in ("edit", "delete")
    )

    outcomes, answers = edit_while_deleted(
        monkeypatch, services, "entry_update", user=alice, edit=edit, delete=delete, data=BID_EDIT
    )

    assert outcomes == {"edit": "done", "delete": "done"}
    assert (answers["edit"].status_code, answers["delete"].status_code) == (404, 302)
    assert "your changes were not saved" in answers["edit"].content.decode()
    assert Entry.with_deleted.get(pk=entry.pk).what == "Asked for a hug"


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


BID = {"made_by": "partner", "what": "Showed me a photo", "response": "toward"}


def test_a_form_sent_twice_makes_one_entry_and_both_answers_lead_to_it(alice_client, alice):
    token = form_token(alice_client.get(reverse("journal:bid_new")))
    data = {**BID, "day": alice.local_today().isoformat(), "submission": token}

    first = alice_client.post(reverse("journal:bid_new"), data)
    second = alice_client.post(reverse("journal:bid_new"), data)

    entry = Entry.objects.get(user=alice)
    assert entry.what == "Showed me a photo"
    url = reverse("journal:entry_detail", args=[entry.pk])
    assert (first["Location"], second["Location"]) == (url, url)


def test_a_form_without_its_token_saves_each_time_it_is_sent(alice_client, alice):
    """An old tab, or a client that leaves the hidden field out, saves as before."""
    data = {**BID, "day": alice.local_today().isoformat()}

    alice_client.post(reverse("journal:bid_new"), data)
    alice_client.post(reverse("journal:bid_new"), data)

    assert Entry.objects.filter(user=alice).count() == 2


def test_a_damaged_token_saves_as_if_the_form_had_none(alice_client, alice):
    data = {**BID, "day": alice.local_today().isoformat(), "submission": "not-a-token"}

    response = alice_client.post(reverse("journal:bid_new"), data)

    entry = Entry.objects.get(user=alice)
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])


def test_each_showing_of_a_form_carries_a_token_of_its_own(alice_client):
    first = form_token(alice_client.get(reverse("journal:bid_new")))
    second = form_token(alice_client.get(reverse("journal:bid_new")))

    assert first != second


def test_editing_an_entry_carries_no_token(alice_client, alice):
    entry = BidFactory(user=alice)

    page = alice_client.get(reverse("journal:entry_edit", args=[entry.pk])).content.decode()

    assert 'name="submission"' not in page
