from django.urls import reverse

from journal.models import Entry
from tests.conftest import assert_refused

BID = {
    "day": "2026-01-05",
    "made_by": "partner",
    "what": "Showed me a song",
    "response": "away",
    "note": "Listen with them",
    "at_time": "08:15",
}


def test_logging_a_bid_saves_it_and_opens_it(alice_client, alice):
    response = alice_client.post(reverse("journal:bid_new"), BID, follow=True)

    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.made_by, entry.what, entry.response, entry.note) == (
        "bid",
        "partner",
        "Showed me a song",
        "away",
        "Listen with them",
    )
    page = response.content.decode()
    assert "Saved your bid for connection." in page
    assert "Turned away" in page


def test_tampered_response_is_refused_and_text_kept(alice_client):
    response = alice_client.post(reverse("journal:bid_new"), {**BID, "response": "ignored"})

    assert_refused(
        response,
        "Select a valid choice. ignored is not one of the available choices.",
        "Showed me a song</textarea>",
    )
    assert not Entry.objects.exists()


def test_missing_who_made_it_is_explained(alice_client):
    response = alice_client.post(reverse("journal:bid_new"), {**BID, "made_by": ""})

    assert "Pick who made the bid." in response.content.decode()
    assert not Entry.objects.exists()


def test_a_single_reader_logs_a_bid_from_someone_close(alice_client, alice):
    alice.situation = "single"
    alice.save(update_fields=["situation"])

    page = alice_client.get(reverse("journal:bid_new")).content.decode()
    response = alice_client.post(reverse("journal:bid_new"), {**BID, "made_by": "someone"})

    assert 'value="someone"' in page and "Someone close" in page
    assert 'value="partner"' not in page
    entry = Entry.objects.get(user=alice)
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    assert entry.made_by == "someone"


def test_a_reader_with_a_partner_may_log_a_bid_from_either_or_someone_close(alice_client):
    page = alice_client.get(reverse("journal:bid_new")).content.decode()

    for value in ("partner", "me", "someone"):
        assert f'value="{value}"' in page
