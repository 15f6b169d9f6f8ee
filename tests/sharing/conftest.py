import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from journal.kinds import KINDS
from sharing.models import Share
from tests.factories import TherapistFactory

ALL_KINDS = ("gratitude", "bid", "apology")
# The instant the dated tests run at, and its day: a Wednesday.
NOW = "2026-03-11 12:00:00+00:00"
TODAY = date(2026, 3, 11)


def make_share(
    client: User,
    therapist: User | None,
    *,
    status: str = Share.Status.ACTIVE,
    kinds: tuple[str, ...] = ALL_KINDS,
    progress: bool = True,
    shared_from=None,
    **extra,
) -> Share:
    """A Share as if the invitation had been sent and, unless told otherwise, accepted."""
    now = timezone.now()
    accepted = status != Share.Status.INVITED
    extra.setdefault("invited_email", therapist.email if therapist else "someone@example.com")
    return Share.objects.create(
        client=client,
        therapist=therapist,
        **{kind.scope: value in kinds for value, kind in KINDS.items()},
        share_progress=progress,
        shared_from=shared_from or client.local_today() - timedelta(days=30),
        status=status,
        accepted_at=now if accepted else None,
        ended_at=now if status in (Share.Status.REVOKED, Share.Status.ENDED) else None,
        **extra,
    )


def text_of(html: str) -> str:
    """The words on a page, without tags and with spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page_text(response) -> str:
    """The body of any response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def bob_share(alice, bob) -> Share:
    """Alice shares everything from thirty days ago with Bob."""
    return make_share(alice, bob)


@pytest.fixture
def bob_client(bob) -> Client:
    """Bob's own browser, so a test can hold alice_client and bob_client at once."""
    browser = Client()
    browser.force_login(bob)
    return browser


@pytest.fixture
def therapist(db):
    """Another therapist, for tests that need two."""
    return TherapistFactory(email="tess@example.com", display_name="Tess")


def notices_world(alice: User, bob: User, *, evening, secret: str) -> Share:
    """Alice shares with Bob and both want the notice emails; an hour before `evening` she
    writes two entries and Bob comments on one, each holding `secret`."""
    import time_machine

    from sharing import services
    from sharing.models import Comment
    from tests.factories import GratitudeFactory

    with time_machine.travel(evening - timedelta(hours=6), tick=False):
        share = make_share(alice, bob)
        services.notice_preference_update(user=alice, comments_email=True, entries_email=False)
        services.notice_preference_update(user=bob, comments_email=False, entries_email=True)
    with time_machine.travel(evening - timedelta(hours=1), tick=False):
        entry = GratitudeFactory(user=alice, moments=secret, day=evening.date())
        GratitudeFactory(user=alice, moments=secret, day=evening.date())
        Comment.objects.create(entry=entry, author=bob, therapist=bob, body=secret)
    return share


def yes_first(monkeypatch, service: str, client: User) -> None:
    """sharing.services.<service>, but `client` says yes to the invitation in another window
    an instant before it runs: a decline or withdraw that loses the race."""
    from sharing import services

    real = getattr(services, service)

    def after_a_yes(*, invitation):
        services.client_invitation_confirm(
            invitation=invitation, client=client, shared_from=client.local_today(), share_bids=True
        )
        return real(invitation=invitation)

    monkeypatch.setattr(services, service, after_a_yes)
