from django.urls import reverse

from journal.models import Entry
from tests.conftest import form_token

APOLOGY = {
    "day": "2026-01-05",
    "acknowledgement": "I'm sorry I left the room when you were upset.",
    "empathy": "I know that when I walk away you feel abandoned.",
    "reassurance": "I want to be someone you can lean on.",
    "next_time": "Next time I will say I need ten minutes and come back.",
    "their_needs": "What would help right now?",
    "status": "draft",
}


def test_preview_shows_the_assembled_apology_without_saving(alice_client):
    response = alice_client.post(reverse("journal:apology_new"), {**APOLOGY, "preview": "1"})

    page = response.content.decode()
    assert "Your apology" in page
    assert "<p>I&#x27;m sorry I left the room when you were upset.</p>" in page
    assert 'name="save"' in page
    assert not Entry.objects.exists()


def test_saving_after_preview_stores_all_parts_as_a_draft(alice_client, alice):
    response = alice_client.post(
        reverse("journal:apology_new"), {**APOLOGY, "save": "1"}, follow=True
    )

    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.status, entry.empathy) == (
        "apology",
        "draft",
        "I know that when I walk away you feel abandoned.",
    )
    assert entry.assembled_apology == "\n\n".join(
        [
            APOLOGY["acknowledgement"],
            APOLOGY["empathy"],
            APOLOGY["reassurance"],
            APOLOGY["next_time"],
            APOLOGY["their_needs"],
        ]
    )
    assert "Saved your apology." in response.content.decode()


def test_status_moves_from_draft_to_given_to_followed_up(alice_client, alice):
    alice_client.post(reverse("journal:apology_new"), {**APOLOGY, "save": "1"})
    entry = Entry.objects.get(user=alice)
    url = reverse("journal:apology_status", args=[entry.pk])

    alice_client.post(url, {"status": "given"})
    entry.refresh_from_db()
    assert entry.status == "given"

    response = alice_client.post(
        url, {"status": "followed_up", "follow_up": "We talked again"}, follow=True
    )
    entry.refresh_from_db()
    assert (entry.status, entry.follow_up) == ("followed_up", "We talked again")
    assert "Marked as followed up." in response.content.decode()


def test_tampered_status_changes_nothing(alice_client, alice):
    alice_client.post(reverse("journal:apology_new"), {**APOLOGY, "save": "1"})
    entry = Entry.objects.get(user=alice)

    response = alice_client.post(
        reverse("journal:apology_status", args=[entry.pk]), {"status": "forgotten"}, follow=True
    )

    entry.refresh_from_db()
    assert entry.status == "draft"
    assert "That status could not be saved. Pick one of the choices." in response.content.decode()


def test_save_tapped_twice_after_the_preview_keeps_one_apology(alice_client, alice):
    url = reverse("journal:apology_new")
    token = form_token(alice_client.get(url))
    preview = alice_client.post(url, {**APOLOGY, "submission": token, "preview": "1"})
    assert form_token(preview) == token  # the preview hands the form's token on to Save

    first = alice_client.post(url, {**APOLOGY, "submission": token, "save": "1"})
    second = alice_client.post(url, {**APOLOGY, "submission": token, "save": "1"})

    entry = Entry.objects.get(user=alice)
    entry_url = reverse("journal:entry_detail", args=[entry.pk])
    assert (first["Location"], second["Location"]) == (entry_url, entry_url)
