"""Conversations on entries: the therapist comments, the client replies, the therapist answers."""

import pytest
from django.urls import reverse

from sharing import services
from sharing.models import Comment, CommentsOff, Share
from tests.factories import GratitudeFactory
from tests.races import edit_while_deleted, just_before
from tests.services import require_postgres

from .conftest import make_share, text_of


@pytest.fixture
def entry(alice):
    return GratitudeFactory(user=alice, moments="Made soup")


@pytest.fixture
def thread(alice, bob, entry) -> Comment:
    """Alice shares everything with Bob, who has commented on her entry."""
    make_share(alice, bob)
    return Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Lovely noticing.")


def reply_url(entry, therapist) -> str:
    return reverse("sharing:reply_create", args=[entry.pk, therapist.pk])


def entry_page(browser, entry) -> str:
    return text_of(browser.get(reverse("journal:entry_detail", args=[entry.pk])).content.decode())


def therapist_page(browser, entry) -> str:
    url = reverse("sharing:client_entry", args=[entry.user_id, entry.pk])
    return text_of(browser.get(url).content.decode())


def test_client_replies_and_both_see_the_thread_in_order(
    alice_client, bob_client, alice, bob, entry, thread
):
    response = alice_client.post(reply_url(entry, bob), {"body": "Thank you, it felt good."})
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk]) + "#comments"
    bob_client.post(
        reverse("sharing:comment_create", args=[alice.pk, entry.pk]),
        {"body": "What made it feel good?"},
    )

    mine = entry_page(alice_client, entry)
    theirs = therapist_page(bob_client, entry)

    assert mine.index("Lovely noticing.") < mine.index("Thank you, it felt good.")
    assert mine.index("Thank you, it felt good.") < mine.index("What made it feel good?")
    assert "With Bob" in mine
    assert "Comments on this entry" in theirs
    assert theirs.index("Lovely noticing.") < theirs.index("Alice · ")
    assert "Thank you, it felt good." in theirs
    reply = Comment.objects.get(author=alice)
    assert (reply.therapist, reply.read_by_client_at is not None) == (bob, True)


def test_another_therapist_never_sees_the_reply(
    alice_client, client, alice, therapist, entry, thread
):
    make_share(alice, therapist)
    alice_client.post(reply_url(entry, thread.therapist), {"body": "Only for Bob"})
    client.force_login(therapist)

    page = therapist_page(client, entry)

    assert "Only for Bob" not in page
    assert "Lovely noticing." not in page


def test_reply_on_an_entry_no_longer_shared_is_refused_and_keeps_the_text(
    alice_client, alice, bob, entry, thread
):
    Share.objects.filter(client=alice).update(status=Share.Status.REVOKED)

    response = alice_client.post(reply_url(entry, bob), {"body": "My careful words"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Bob can no longer see this entry, so your reply was not sent." in text_of(page)
    assert "My careful words</textarea>" in page
    assert Comment.objects.filter(author=alice).count() == 0


def test_entry_made_private_refuses_replies_too(alice_client, alice, bob, entry, thread):
    entry.is_private = True
    entry.save()

    response = alice_client.post(reply_url(entry, bob), {"body": "Still here"})

    assert response.status_code == 409
    assert "Bob no longer sees this entry, so you cannot reply here." in entry_page(
        alice_client, entry
    )


def test_client_can_reply_only_where_a_therapist_wrote(alice_client, alice, charlie, entry, thread):
    assert alice_client.post(reply_url(entry, charlie), {"body": "Hi"}).status_code == 404


def test_client_edits_and_deletes_only_their_own_replies(
    alice_client, bob_client, alice, bob, entry, thread
):
    alice_client.post(reply_url(entry, bob), {"body": "First try"})
    reply = Comment.objects.get(author=alice)

    alice_client.post(reverse("sharing:reply_edit", args=[reply.pk]), {"body": "Second try"})
    assert Comment.objects.get(pk=reply.pk).body == "Second try"
    # Bob's comment is not a reply of hers; Bob cannot touch her reply through his pages.
    assert alice_client.get(reverse("sharing:reply_edit", args=[thread.pk])).status_code == 404
    edit_hers = reverse("sharing:comment_edit", args=[alice.pk, entry.pk, reply.pk])
    assert bob_client.post(edit_hers, {"body": "Changed by Bob"}).status_code == 404
    assert bob_client.post(reverse("sharing:reply_delete", args=[reply.pk])).status_code == 404

    alice_client.post(reverse("sharing:reply_delete", args=[reply.pk]))
    assert list(Comment.objects.values_list("body", flat=True)) == ["Lovely noticing."]


def edit_after_a_delete(monkeypatch, browser, when: str, *, edit: str, delete: str, body: str):
    """Open the edit page, delete the comment in another tab `when` ("before" the edit is
    sent, or "while" it is saved: an instant before sharing.services.comment_update runs),
    then send the edit. Returns its status and page."""
    browser.get(edit)
    if when == "before":
        browser.post(delete)
    else:
        just_before(monkeypatch, services, "comment_update", lambda: browser.post(delete))
    response = browser.post(edit, {"body": body})
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("when", ["before", "while"])
def test_a_reply_deleted_in_another_tab_is_not_changed_and_the_words_come_back(
    monkeypatch, alice_client, alice, entry, thread, when
):
    reply = Comment.objects.create(entry=entry, author=alice, therapist=thread.therapist, body="1")
    edit = reverse("sharing:reply_edit", args=[reply.pk])
    delete = reverse("sharing:reply_delete", args=[reply.pk])

    status, page = edit_after_a_delete(
        monkeypatch, alice_client, when, edit=edit, delete=delete, body="Second try"
    )

    assert status == 404
    assert "That reply was deleted, so your change was not saved." in text_of(page)
    assert "Second try</textarea>" in page
    assert list(Comment.objects.values_list("body", flat=True)) == ["Lovely noticing."]


@pytest.mark.parametrize("when", ["before", "while"])
def test_a_comment_deleted_in_another_tab_is_not_changed_and_the_words_come_back(
    monkeypatch, bob_client, alice, entry, thread, when
):
    args = [alice.pk, entry.pk, thread.pk]
    edit, delete = (reverse(f"sharing:comment_{name}", args=args) for name in ("edit", "delete"))

    status, page = edit_after_a_delete(
        monkeypatch, bob_client, when, edit=edit, delete=delete, body="Very lovely noticing."
    )

    assert (status, Comment.objects.exists()) == (404, False)
    assert "That comment was deleted, so your change was not saved." in text_of(page)
    assert "Very lovely noticing.</textarea>" in page


def test_a_reply_edited_and_deleted_at_the_same_moment_never_gives_an_error_page(
    monkeypatch, transactional_db, alice, bob, entry, thread
):
    """On PostgreSQL, each in a request of its own: the edit has loaded the reply when the
    delete commits, then saves. (A therapist's edit and delete of a comment queue on the
    share's row instead, so the second waits for the first.)"""
    require_postgres()
    reply = Comment.objects.create(entry=entry, author=alice, therapist=bob, body="First try")
    edit, delete = (
        reverse(f"sharing:reply_{name}", args=[reply.pk]) for name in ("edit", "delete")
    )

    outcomes, answers = edit_while_deleted(
        monkeypatch,
        services,
        "comment_update",
        user=alice,
        edit=edit,
        delete=delete,
        data={"body": "Second try"},
    )

    assert outcomes == {"edit": "done", "delete": "done"}
    assert (answers["edit"].status_code, answers["delete"].status_code) == (404, 302)
    page = text_of(answers["edit"].content.decode())
    assert "That reply was deleted, so your change was not saved." in page
    assert list(Comment.objects.values_list("body", flat=True)) == ["Lovely noticing."]


def test_comments_off_for_an_entry_refuses_new_messages_and_keeps_the_old(
    alice_client, bob_client, alice, bob, entry, thread
):
    alice_client.post(reverse("sharing:entry_comments", args=[entry.pk]), {"on": "0"})

    response = bob_client.post(
        reverse("sharing:comment_create", args=[alice.pk, entry.pk]), {"body": "One more thought"}
    )

    page = text_of(response.content.decode())
    assert response.status_code == 409
    assert "Alice has turned comments off. Your comment was not saved." in page
    assert "One more thought" in page
    assert "Lovely noticing." in page
    assert alice_client.post(reply_url(entry, bob), {"body": "x"}).status_code == 409
    assert "Comments are off for this entry." in entry_page(alice_client, entry)

    alice_client.post(reverse("sharing:entry_comments", args=[entry.pk]), {"on": "1"})
    assert not CommentsOff.objects.exists()
    assert "Alice has turned comments off" not in therapist_page(bob_client, entry)


def test_comments_off_for_the_whole_share(alice_client, bob_client, alice, bob, entry, thread):
    share = Share.objects.get(client=alice, therapist=bob)

    response = alice_client.post(reverse("sharing:share_comments", args=[share.pk]), {"on": "0"})

    assert response["Location"] == reverse("sharing:share_detail", args=[share.pk])
    assert Share.objects.get(pk=share.pk).comments_allowed is False
    other = GratitudeFactory(user=alice)
    refused = bob_client.post(
        reverse("sharing:comment_create", args=[alice.pk, other.pk]), {"body": "Hello"}
    )
    assert refused.status_code == 409
    assert "Alice has turned comments off. What was written stays." in therapist_page(
        bob_client, other
    )
    assert "Comments are off for Bob: no new messages." in entry_page(alice_client, entry)


def test_client_comments_page_lists_only_the_therapists_messages(
    alice_client, alice, bob, entry, thread
):
    alice_client.post(reply_url(entry, bob), {"body": "My own reply"})

    page = text_of(alice_client.get(reverse("sharing:comments")).content.decode())

    assert "Lovely noticing." in page
    assert "My own reply" not in page


def test_deleting_a_reply_or_a_comment_asks_first(
    alice_client, bob_client, alice, bob, entry, thread
):
    """The first tap opens what will happen; only the second deletes."""
    alice_client.post(reply_url(entry, bob), {"body": "First try"})
    reply = Comment.objects.get(author=alice)
    pages = {
        "alice": (
            alice_client.get(reverse("journal:entry_detail", args=[entry.pk])),
            "Delete your reply",
            reverse("sharing:reply_delete", args=[reply.pk]),
        ),
        "bob": (
            bob_client.get(reverse("sharing:client_entry", args=[alice.pk, entry.pk])),
            "Delete",
            reverse("sharing:comment_delete", args=[alice.pk, entry.pk, thread.pk]),
        ),
    }

    for who, (response, first_tap, action) in pages.items():
        page = response.content.decode()
        confirm = page.split(f'<summary class="button danger">{first_tap}</summary>', 1)
        assert len(confirm) == 2, who
        form = confirm[1].split("</details>", 1)[0]
        assert f'<form method="post" action="{action}">' in form, who
        assert "It is gone for good, for you and for them." in form, who
        assert '<button type="submit" class="button danger">Yes, delete it</button>' in form, who
        assert f">{first_tap}</button>" not in page, who
