"""A therapist's private session notes, and the client's "talk about this" flag."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from sharing import services as sharing_services
from sharing.models import AccessLog, SessionNote, Share, TalkAbout
from tests.factories import GratitudeFactory, TherapistFactory

from .conftest import make_share, page_text, text_of

MARKER = "zebrafinch-note-only-bob-sees"


def notes_url(client) -> str:
    return reverse("sharing:session_notes", args=[client.pk])


@pytest.fixture
def note(alice, bob, bob_share) -> SessionNote:
    return SessionNote.objects.create(
        therapist=bob, client=alice, session_date=alice.local_today(), body=MARKER
    )


def test_the_therapist_writes_a_note_and_reads_it_back(bob_client, alice, bob_share):
    response = bob_client.post(
        notes_url(alice),
        {"session_date": "2026-03-10", "body": f"Talked about {MARKER}."},
        follow=True,
    )

    page = text_of(response.content.decode())
    assert "Note saved. Only you see it." in page
    assert f"Session of 10 Mar 2026 Talked about {MARKER}." in page
    assert AccessLog.objects.filter(share=bob_share).first().what == (
        "Your therapist's own session notes page (their words; none of your entries)"
    )


def test_the_notes_page_says_they_close_with_the_sharing_and_offers_the_download(
    bob_client, alice, bob_share
):
    page = text_of(bob_client.get(notes_url(alice)).content.decode())

    assert (
        "You can open them only while Alice shares with you: if they stop, the notes are out "
        "of your reach until they share again. Download them for your own records."
    ) in page
    assert "Download all your session notes (CSV)" in page


def test_the_notes_page_writes_its_limit_with_a_thousands_comma(bob_client, alice, bob_share):
    page = text_of(bob_client.get(notes_url(alice)).content.decode())

    assert "Yours alone: your client never sees it. 10,000 characters at most." in page


def test_one_note_per_session_date_saving_again_replaces_it(bob_client, alice, bob_share):
    for body in ("First words", "Second words"):
        bob_client.post(notes_url(alice), {"session_date": "2026-03-10", "body": body})

    assert list(SessionNote.objects.values_list("body", flat=True)) == ["Second words"]
    edit = bob_client.get(notes_url(alice) + "?day=2026-03-10").content.decode()
    assert ">\nSecond words</textarea>" in edit or ">Second words</textarea>" in edit


def test_a_note_without_words_or_date_is_refused_and_kept(bob_client, alice, bob_share):
    response = bob_client.post(notes_url(alice), {"session_date": "someday", "body": "kept words"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in page and "kept words" in page
    assert not SessionNote.objects.exists()


def test_a_note_is_never_on_any_page_or_export_of_the_client(alice_client, alice, note):
    entry = GratitudeFactory(user=alice)
    pages = [
        reverse("home"),
        reverse("sharing:index"),
        reverse("sharing:share_detail", args=[Share.objects.get().pk]),
        reverse("sharing:access_log"),
        reverse("sharing:comments"),
        reverse("journal:timeline"),
        reverse("journal:entry_detail", args=[entry.pk]),
        reverse("journal:insights"),
        reverse("journal:print"),
        reverse("journal:export_csv"),
        reverse("journal:export_json"),
        reverse("home:profile"),
    ]
    for path in pages:
        response = alice_client.get(path)
        assert response.status_code == 200, path
        assert MARKER not in page_text(response), path
    assert alice_client.get(notes_url(alice)).status_code == 404
    assert alice_client.get(reverse("sharing:session_notes_export")).status_code == 200
    assert MARKER not in page_text(alice_client.get(reverse("sharing:session_notes_export")))


def test_the_client_is_told_their_therapist_may_keep_notes(alice_client, bob_share):
    page = text_of(alice_client.get(reverse("sharing:index")).content.decode())

    assert "Your therapist may also keep their own notes about your sessions here." in page


def test_the_export_holds_the_therapists_own_notes_only(bob_client, client, alice, note):
    other = TherapistFactory(email="tess@example.com")
    make_share(alice, other)
    client.force_login(other)

    mine = page_text(bob_client.get(reverse("sharing:session_notes_export")))
    theirs = page_text(client.get(reverse("sharing:session_notes_export")))

    assert mine.splitlines()[0] == "Client,Client's email,Session date,Note,Last changed"
    assert f"Alice,alice@example.com,{note.session_date.isoformat()},{MARKER}," in mine
    assert MARKER not in theirs
    assert client.get(notes_url(alice)).content.decode().count(MARKER) == 0


def test_the_export_leaves_out_a_client_who_stopped_sharing(bob_client, alice, bob_share, note):
    sharing_services.share_revoke(share=bob_share, by=alice)
    alice.display_name = "Alicia"  # what she calls herself now, after she stopped sharing
    alice.save(update_fields=["display_name"])

    export = page_text(bob_client.get(reverse("sharing:session_notes_export")))

    assert export.splitlines() == ["Client,Client's email,Session date,Note,Last changed"]
    assert SessionNote.objects.get() == note  # kept: back if she shares with him again


def test_strangers_and_ended_shares_get_404(client, charlie, alice, bob, bob_client, note):
    client.force_login(charlie)
    delete = reverse("sharing:session_note_delete", args=[alice.pk, note.pk])

    assert client.get(notes_url(alice)).status_code == 404
    assert client.post(delete).status_code == 404
    Share.objects.update(status="revoked")
    assert bob_client.get(notes_url(alice)).status_code == 404
    assert SessionNote.objects.count() == 1


def test_the_therapist_deletes_a_note(bob_client, alice, note):
    bob_client.post(reverse("sharing:session_note_delete", args=[alice.pk, note.pk]))

    assert not SessionNote.objects.exists()


def test_notes_go_with_the_therapists_account(bob, note):
    account_services.account_delete(user=bob)

    assert not SessionNote.objects.exists()


def test_the_client_flags_an_entry_and_the_therapist_sees_it_in_scope(
    alice_client, bob_client, alice, bob_share
):
    entry = GratitudeFactory(user=alice, day=alice.local_today())
    dave = TherapistFactory(email="dave@example.com", display_name="Dave")
    make_share(alice, dave, kinds=("bid",))
    client = Client()
    client.force_login(dave)

    before = text_of(
        alice_client.get(reverse("journal:entry_detail", args=[entry.pk])).content.decode()
    )
    alice_client.post(reverse("sharing:entry_talk_about", args=[entry.pk]), {"on": "1"})

    assert "Talk about this in a session" in before
    session = text_of(bob_client.get(reverse("sharing:session", args=[alice.pk])).content.decode())
    assert "Alice would like to talk about Gratitude of" in session
    detail = bob_client.get(reverse("sharing:client_entry", args=[alice.pk, entry.pk]))
    assert "Alice would like to talk about this in a session." in text_of(detail.content.decode())
    daves = text_of(client.get(reverse("sharing:session", args=[alice.pk])).content.decode())
    assert "would like to talk about" not in daves


def test_the_flag_comes_off_and_nobody_else_can_set_it(alice_client, charlie, alice, bob_share):
    entry = GratitudeFactory(user=alice)
    url = reverse("sharing:entry_talk_about", args=[entry.pk])
    client = Client()
    client.force_login(charlie)

    assert client.post(url, {"on": "1"}).status_code == 404
    alice_client.post(url, {"on": "1"})
    alice_client.post(url, {"on": "0"})

    assert not TalkAbout.objects.exists()


def test_a_flagged_private_entry_never_reaches_the_therapist(
    alice_client, bob_client, alice, bob_share
):
    entry = GratitudeFactory(user=alice, is_private=True, moments="private-flagged")
    alice_client.post(reverse("sharing:entry_talk_about", args=[entry.pk]), {"on": "1"})

    session = text_of(bob_client.get(reverse("sharing:session", args=[alice.pk])).content.decode())

    assert "would like to talk about" not in session
