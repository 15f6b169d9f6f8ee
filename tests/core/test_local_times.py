"""Every page a person reads gives times in their own zone, never in UTC or as a timestamp.

Alice lives in Berlin and Bob, her therapist, in Los Angeles, so a time left in UTC shows
as "+00:00" or an ISO timestamp in the page's visible text.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.core.test_valid_html import _accept_path, _pages
from tests.factories import (
    BreakFactory,
    CheckInFactory,
    FourAbilitiesFactory,
    LoveLanguagesFactory,
    RungFactory,
    UrgeFactory,
)
from tests.security.conftest import World, world  # noqa: F401 (the fixture)

UTC_TEXT = re.compile(r"\+00:00|\d{4}-\d\d-\d\d[T ]\d\d:\d\d")  # a zone menu may say "UTC"


class _VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or attribute values."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style", "template")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _practice_pages(people: World) -> dict[str, tuple[str, str]]:
    alice, now = people.alice, timezone.now()
    entries = {
        "break": BreakFactory(user=alice),
        "ended break": BreakFactory(user=alice, return_at=now - timedelta(hours=2)),
        "called-off break": BreakFactory(user=alice, called_off_at=now),
        "urge": UrgeFactory(user=alice),
        "check-in": CheckInFactory(user=alice),
        "four abilities": FourAbilitiesFactory(user=alice),
        "love languages": LoveLanguagesFactory(user=alice),
        "rung": RungFactory(user=alice),
    }
    pages = {
        name: ("alice", reverse("journal:entry_detail", args=[entry.pk]))
        for name, entry in entries.items()
    }
    for name, entry in entries.items():
        args = [alice.pk, entry.pk]
        pages[f"bob {name}"] = ("bob", reverse("sharing:client_entry", args=args))
    return pages | {
        "practice": ("alice", reverse("practice:index")),
        "ladder": ("alice", reverse("practice:ladder")),
        "self-checks": ("alice", reverse("practice:self_checks")),
        "check-ins": ("alice", reverse("practice:check_in_past")),
        "result": ("alice", reverse("practice:self_check_result", args=[entries["rung"].pk])),
        "export": ("alice", reverse("journal:print") + "?start=2020-01-01&end=2099-01-01"),
    }


def test_no_page_shows_a_time_in_utc_to_someone_who_lives_elsewhere(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    User.objects.filter(pk=world.alice.pk).update(time_zone="Europe/Berlin")
    User.objects.filter(pk=world.bob.pk).update(time_zone="America/Los_Angeles")
    accept = _accept_path(world, django_capture_on_commit_callbacks, mailoutbox)
    pages = _pages(world, accept) | _practice_pages(world)
    browsers, found = {}, []

    for name, (who, path) in pages.items():
        browser = browsers.setdefault(who, world.client_for(who))
        response = browser.get(path, secure=True)
        if not response["Content-Type"].startswith("text/html"):
            continue
        for match in UTC_TEXT.finditer(visible_text(response.content.decode())):
            found.append(f"{name} ({path}): {match.group()!r}")

    assert found == [], "\n".join(found)
