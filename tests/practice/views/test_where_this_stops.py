"""Where this stops: every screen that shows a practice form says who the practice is not
for, with the help link (templates/_where_this_stops.html, words from each kind's declaration)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from journal.kinds import GRATITUDE, KINDS, EntryKind
from practice.kinds import CHECK_IN
from practice.views.check_in import LAST
from tests.factories import (
    ApologyFactory,
    BidFactory,
    BreakFactory,
    CheckInFactory,
    GratitudeFactory,
    UrgeFactory,
)

HELP = reverse("get_help")
LINE = re.compile(
    r'<p class="safety-note where-this-stops">([^<]*)<a href="' + re.escape(HELP) + '">'
)


def _lines(page: str) -> list[str]:
    return [" ".join(unescape(text).split()) for text in LINE.findall(page)]


def _assert_where_this_stops(response, kind: EntryKind) -> None:
    assert response.status_code == 200
    assert kind.safety_note in _lines(response.content.decode())


def _new_page(kind: EntryKind) -> str:
    return reverse(kind.practice_page or f"journal:{kind.value}_new")


def test_every_kind_says_where_it_stops_in_under_25_words_about_someone_close():
    for kind in KINDS.values():
        words = f"{kind.safety_note} get help now.".split()
        assert len(words) < 25, kind.value
        assert "someone close" in kind.safety_note, kind.value


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_kinds_new_page_says_where_this_stops(alice_client, kind):
    _assert_where_this_stops(alice_client.get(_new_page(kind)), kind)


EDITABLE = [GratitudeFactory, BidFactory, ApologyFactory, BreakFactory, UrgeFactory, CheckInFactory]


@pytest.mark.parametrize("factory", EDITABLE, ids=lambda f: f.__name__)
def test_every_edit_page_says_where_this_stops(alice_client, alice, factory):
    entry = factory(user=alice)

    response = alice_client.get(reverse("journal:entry_edit", args=[entry.pk]))

    _assert_where_this_stops(response, entry.spec)


def test_every_check_in_screen_says_where_this_stops(alice_client, alice):
    day = {"day": alice.local_today().isoformat()}
    for screen in range(LAST):
        response = alice_client.post(
            reverse("practice:check_in_new"), {"screen": screen, "go": "next", **day}, follow=True
        )
        _assert_where_this_stops(response, CHECK_IN)
    _assert_where_this_stops(alice_client.get(reverse("practice:check_in_together")), CHECK_IN)


def test_todays_quick_gratitude_and_tell_them_say_where_this_stops(alice_client, alice):
    _assert_where_this_stops(alice_client.get(reverse("home")), GRATITUDE)

    entry = GratitudeFactory(user=alice, day=alice.local_today(), told_partner=False)
    response = alice_client.get(reverse("home"), {"saved": entry.pk})
    _assert_where_this_stops(response, GRATITUDE)
    assert _lines(response.content.decode()).count(GRATITUDE.safety_note) == 1


@pytest.mark.parametrize(
    "factory", [BreakFactory, UrgeFactory, GratitudeFactory], ids=lambda f: f.__name__
)
def test_an_entry_page_with_a_next_step_says_where_this_stops(alice_client, alice, factory):
    entry = factory(user=alice)

    response = alice_client.get(reverse("journal:entry_detail", args=[entry.pk]))

    _assert_where_this_stops(response, entry.spec)
