"""What people write is stored encrypted with their own key, and forgotten with their account."""

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts import services as account_services
from accounts.models import DataKey
from core import crypto
from core.checks import encryption_keys
from journal.models import Entry
from lessons import services as lesson_services
from sharing import services as sharing_services
from sharing.models import Comment
from tests.factories import GratitudeFactory, LessonFactory
from tests.sharing.conftest import make_share, page_text

from .encryption_helpers import NEW_MASTER, OLD_MASTER, plant_everything, stored


def test_every_text_is_stored_sealed_and_read_back_plain(alice, bob):
    planted = plant_everything(alice, bob, marker="plain-words")

    for model, pk, field, text, owner_id in planted:
        assert getattr(model.objects.get(pk=pk), field) == text
        raw = stored(model, pk, field)
        assert crypto.owner_of(raw) == owner_id and "plain-words" not in raw, (model, field)


def test_an_empty_text_stays_empty(alice):
    entry = GratitudeFactory(user=alice, why="")

    assert stored(Entry, entry.pk, "why") == ""


def test_a_comment_is_sealed_with_the_journal_owners_key(alice, bob):
    entry = GratitudeFactory(user=alice)
    comment = sharing_services.comment_create(
        entry=entry, author=bob, therapist=bob, body="Bob's thought"
    )

    assert crypto.owner_of(stored(Comment, comment.pk, "body")) == alice.pk


def test_text_cannot_be_compared_in_sql(alice):
    GratitudeFactory(user=alice, moments="Tea")

    with pytest.raises(FieldError, match="Unsupported lookup 'icontains'"):
        Entry.objects.filter(moments__icontains="tea").exists()
    with pytest.raises(ValueError, match="stored encrypted"):
        Entry.objects.filter(moments="Tea").exists()


def test_a_text_moved_to_another_persons_row_does_not_open(alice, charlie):
    theirs = crypto.encrypt_for(alice.pk, b"Alice's words")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_for(
            charlie.pk, theirs.replace(f":{alice.pk}:".encode(), f":{charlie.pk}:".encode())
        )


def test_deleting_the_account_deletes_the_key_and_what_it_opens(alice):
    entry = GratitudeFactory(user=alice, moments="Only mine")
    sealed = stored(Entry, entry.pk, "moments")

    account_services.account_delete(user=alice)
    crypto.forget_keys()

    assert not DataKey.objects.filter(user_id=alice.pk).exists()
    with pytest.raises(crypto.DecryptionError, match="is gone"):
        crypto.decrypt_text(sealed)


def test_rotate_keys_rewraps_every_key_under_the_newest_master(alice, charlie, capsys):
    with override_settings(CLOSER_ENCRYPTION_KEYS=[OLD_MASTER]):
        first = GratitudeFactory(user=alice, moments="Before the rotation")
        GratitudeFactory(user=charlie, moments="Charlie's")
    crypto.forget_keys()

    with override_settings(CLOSER_ENCRYPTION_KEYS=[NEW_MASTER, OLD_MASTER]):
        call_command("rotate_keys")
        assert "Re-wrapped 2 data keys" in capsys.readouterr().out
        call_command("rotate_keys")
        assert "Re-wrapped 0 data keys" in capsys.readouterr().out
    crypto.forget_keys()

    with override_settings(CLOSER_ENCRYPTION_KEYS=[NEW_MASTER]):  # the old one retired
        assert Entry.objects.get(pk=first.pk).moments == "Before the rotation"
        assert GratitudeFactory(user=alice, moments="After").moments == "After"
        crypto.forget_keys()
        assert [e.moments for e in Entry.objects.filter(user=alice)] == [
            "After",
            "Before the rotation",
        ]


def test_without_master_keys_the_checks_refuse_to_start():
    with override_settings(CLOSER_ENCRYPTION_KEYS=[]):
        errors = encryption_keys(None)
    with override_settings(CLOSER_ENCRYPTION_KEYS=["too-short"]):
        bad = encryption_keys(None)

    assert [e.id for e in errors] == ["core.E001"]
    assert "CLOSER_ENCRYPTION_KEYS is not set" in errors[0].msg
    assert [e.id for e in bad] == ["core.E002"]
    assert "must be 32 bytes" in bad[0].msg


def test_search_finds_encrypted_entries_by_words_and_word_beginnings(alice_client, alice, charlie):
    GratitudeFactory(user=alice, moments="Cooked dinner", why="Patience with me")
    GratitudeFactory(user=alice, moments="Walked the dog")
    GratitudeFactory(user=charlie, moments="Cooked lunch")
    url = reverse("journal:timeline")

    assert "Cooked dinner" in alice_client.get(url + "?q=cook").content.decode()
    both = alice_client.get(url + "?q=PATIENCE+cooked").content.decode()
    assert "Cooked dinner" in both and "Walked the dog" not in both
    assert "Cooked lunch" not in both
    assert "Cooked dinner" not in alice_client.get(url + "?q=cooked+cat").content.decode()


def test_search_follows_an_edit(alice_client, alice):
    entry = GratitudeFactory(user=alice, moments="Sang to me")
    alice_client.post(
        reverse("journal:entry_edit", args=[entry.pk]),
        {"day": entry.day.isoformat(), "moments": "Danced with me", "moment_kinds": "caring"},
    )
    url = reverse("journal:timeline")

    assert "Danced with me" in alice_client.get(url + "?q=danced").content.decode()
    assert "Danced with me" not in alice_client.get(url + "?q=sang").content.decode()


def test_export_and_print_show_the_encrypted_text(alice_client, alice):
    GratitudeFactory(user=alice, moments="Made soup when I was ill")

    for name in ("journal:export_csv", "journal:export_json", "journal:print"):
        assert "Made soup when I was ill" in page_text(alice_client.get(reverse(name))), name


def test_reflections_are_sealed(alice):
    lesson = LessonFactory(slug="notice", title="Notice")
    reflection = lesson_services.reflection_save(user=alice, lesson=lesson, answer="I withdraw")

    assert stored(type(reflection), reflection.pk, "answer").startswith("enc1:")
    assert type(reflection).objects.get(pk=reflection.pk).answer == "I withdraw"


def test_the_therapist_reads_and_comments_on_encrypted_entries(client, alice, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice, moments="Held my hand at the clinic")
    sharing_services.comment_create(entry=entry, author=bob, therapist=bob, body="Kind of them")
    client.force_login(bob)
    args = {"client_id": alice.pk, "entry_id": entry.pk}

    journal = page_text(
        client.get(reverse("sharing:client_journal", kwargs={"client_id": alice.pk}))
    )
    page = page_text(client.get(reverse("sharing:client_entry", kwargs=args)))

    assert "Held my hand at the clinic" in journal
    assert "Held my hand at the clinic" in page and "Kind of them" in page


def test_a_key_made_in_a_rolled_back_transaction_is_never_used_again(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        GratitudeFactory(user=alice, moments="Never saved")
        GratitudeFactory(user=alice, moments="Nor this")  # the new key, read back and cached
        raise RuntimeError
    entry = GratitudeFactory(user=alice, moments="Saved")
    crypto.forget_keys()  # as after a restart

    assert DataKey.objects.filter(user_id=alice.pk).count() == 1
    assert Entry.objects.get(pk=entry.pk).moments == "Saved"
