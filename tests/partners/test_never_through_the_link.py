"""Nothing but what the link declares ever reaches the partner: markers planted in every
kind of the reader's journal, their lessons and their therapist sharing never show on the
partner's pages, in their exports or in any email, with every switch of the link on."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from journal.kinds import KINDS
from lessons.models import Progress, Reflection
from partners import services
from sharing.models import AccessLog, Comment
from sharing.services import share_invite
from tests.factories import (
    ApologyFactory,
    BidFactory,
    BreakFactory,
    CheckInFactory,
    EntryFactory,
    FourAbilitiesFactory,
    GratitudeFactory,
    LessonFactory,
    LoveLanguagesFactory,
    RungFactory,
    UrgeFactory,
)
from tests.sharing.conftest import make_share

from .conftest import make_link

FACTORIES = {
    "gratitude": GratitudeFactory,
    "bid": BidFactory,
    "apology": ApologyFactory,
    "break": BreakFactory,
    "urge": UrgeFactory,
    "answer": EntryFactory,
    "check_in": CheckInFactory,
    "four_abilities": FourAbilitiesFactory,
    "love_languages": LoveLanguagesFactory,
    "rung": RungFactory,
}
PARTNER_PAGES = [
    "home",
    "partners:link",
    "partners:question",
    "partners:plan",
    "journal:timeline",
    "journal:insights",
    "journal:export_json",
    "journal:export_csv",
    "journal:print",
    "home:profile",
    "practice:index",
    "practice:check_in_together",
    "sharing:index",
    "lessons:path",
]


def marker(*parts: str) -> str:
    return "-".join(["kiwimarker", *parts])


@pytest.fixture
def planted(alice, bob, django_capture_on_commit_callbacks) -> list:
    """Alice's entries of every kind with a marker in every text field, and more."""
    entries = []
    for value, spec in KINDS.items():
        texts = {f.name: marker(value, f.name) for f in spec.fields if f.input == "text"}
        entries.append(FACTORIES[value](user=alice, kind=value, **texts))
        entries.append(FACTORIES[value](user=alice, kind=value, is_private=True, **texts))
    lesson = LessonFactory(title="Lesson of Alice's")
    Progress.objects.create(user=alice, lesson=lesson, started_at=timezone.now())
    Reflection.objects.create(
        user=alice, lesson=lesson, answer=marker("reflection"), updated_at=timezone.now()
    )
    share = make_share(alice, bob)
    Comment.objects.create(entry=entries[0], author=bob, therapist=bob, body=marker("comment"))
    AccessLog.objects.create(share=share, therapist=bob, who="Bob", what=marker("log"), path="/")
    with django_capture_on_commit_callbacks(execute=True):
        share_invite(client=alice, email="theo@example.com", shared_from=alice.local_today())
    return entries


def test_nothing_of_the_readers_journal_reaches_the_partner(client, alice, dan, planted):
    link = make_link(alice, dan, breaks_on=True, appreciation_on=True, plan_on=True)
    services.plan_save(link=link, by=alice, text="Our shared walk")
    BreakFactory(user=alice, partner_message=marker("running-break"), note=marker("break-note"))
    alice_mail = len(mail.outbox)
    client.force_login(dan)
    seen = []
    for name in PARTNER_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        body = b"".join(response) if response.streaming else response.content
        seen.append(body.decode())
    seen += [m.body + m.subject for m in mail.outbox[alice_mail:]]
    seen += [m.body + m.subject for m in mail.outbox if dan.email in m.to]
    everything = "\n".join(seen)
    assert "kiwimarker" not in everything
    for entry in planted:
        assert f"/journal/entries/{entry.pk}/" not in everything
    assert "Our shared walk" in everything  # what the link declares does pass
    assert "Taking a break, back by" in everything
