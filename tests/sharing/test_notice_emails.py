"""Each notice email, rendered for 0, 1 and 2 items: plain words, no name, no content."""

import pytest

from sharing import emails


def _whole(message) -> str:
    return message.subject + "\n" + message.body + "\n" + message.alternatives[0][0]


@pytest.mark.parametrize(
    ("entries", "subject", "line"),
    [
        (0, "No new comments from your therapist", "There are no new comments on your entries."),
        (1, "New comments from your therapist", "Your therapist commented on one of your entries"),
        (2, "New comments from your therapist", "Your therapist commented on 2 of your entries"),
    ],
)
def test_comments_notice_reads_right_for_each_count(alice, entries, subject, line):
    message = emails.comments_digest(user=alice, entries=entries)

    assert message.subject == subject
    assert line in message.body
    assert line in message.alternatives[0][0]
    assert "of your entry" not in _whole(message)


@pytest.mark.parametrize(
    ("counts", "subject", "line"),
    [
        ([], "Nothing new from your clients", "Nothing new has been shared with you"),
        ([1], "New activity from a client", "a client shared 1 new entry with you."),
        ([2, 3], "New activity from 2 clients", "2 clients shared 5 new entries with you."),
    ],
)
def test_therapists_notice_names_no_client(bob, alice, counts, subject, line):
    message = emails.entries_digest(user=bob, counts=counts)

    assert message.subject == subject
    assert line in message.body
    assert line in message.alternatives[0][0]
    assert alice.display_name not in _whole(message)
    assert alice.email not in _whole(message)


@pytest.mark.parametrize(
    ("counts", "replies", "subject", "line"),
    [
        ([], 1, "New replies from your clients", "One reply or message from clients waits"),
        ([2], 2, "New activity from a client", "2 replies and messages from clients wait"),
    ],
)
def test_therapists_notice_counts_replies_without_names(bob, alice, counts, replies, subject, line):
    message = emails.entries_digest(user=bob, counts=counts, replies=replies)

    assert message.subject == subject
    assert line in message.body
    assert alice.display_name not in _whole(message)
