from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import User
from journal.kinds import KINDS
from journal.models import Entry
from lessons.models import Lesson
from nudges.services import schedule_create_default
from sharing.models import Comment, Share
from tests.factories import GratitudeFactory, LessonFactory
from tests.sharing.conftest import make_share


@dataclass
class World:
    """Alice shares everything with Bob, her therapist; Charlie is a stranger."""

    alice: User
    bob: User
    charlie: User
    share: Share
    lesson: Lesson  # its Practice is a Reflection
    entry: Entry  # Alice's, shared with Bob
    comment: Comment  # Bob's, on that entry

    def client_for(self, who: str) -> Client:
        """A browser signed in as alice, bob or charlie; an anonymous one for ""."""
        browser = Client()
        if who:
            browser.force_login(getattr(self, who))
        return browser


def reflection_lesson() -> Lesson:
    return LessonFactory(slug="notice", title="Notice")


@pytest.fixture
def world(alice, bob, charlie) -> World:
    entry = GratitudeFactory(user=alice)
    schedule_create_default(user=alice)  # as sign-up leaves it
    return World(
        alice=alice,
        bob=bob,
        charlie=charlie,
        share=make_share(alice, bob, kinds=tuple(KINDS)),
        lesson=reflection_lesson(),
        entry=entry,
        comment=Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Lovely."),
    )
