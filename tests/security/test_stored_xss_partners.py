"""Stored XSS through the partner link: each payload, typed by one of the two into every
text the link carries (a name, an invitation address, the day's answer, appreciation, the
check-in plan), is shown as text on every page of the other's and their own that shows it.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from journal.models import Entry
from partners.models import SWITCH_FIELDS

from .conftest import World
from .test_stored_xss import CHECKED, PAYLOADS, _invitation_address, _post

# Which pages show which text: "alice …" pages are hers, "charlie …" her partner's.
SHOWN_ON = {
    "name": ["charlie join", "charlie today", "charlie link", "charlie question", "charlie plan"],
    "invitation": ["alice waiting"],
    "hers": ["charlie question"],
    "his": ["alice question"],
    "thanks": ["charlie today"],
    "plan": ["alice plan", "charlie plan", "charlie today"],
}


def _link_through_the_forms(world: World, texts: dict[str, str]) -> dict[str, str]:
    """Alice invites, Charlie confirms, both write: the pages that show it, name -> HTML."""
    alice, charlie = world.client_for("alice"), world.client_for("charlie")
    pages = {}
    _post(alice, reverse("home:profile"), {"display_name": texts["name"], "time_zone": "UTC"})
    if "invitation" in texts:
        _post(alice, reverse("partners:invite"), {"email": texts["invitation"]})
        pages["alice waiting"] = alice.get(reverse("partners:link")).content.decode()
    handed = alice.post(reverse("partners:invite_by_hand")).content.decode()
    join = re.search(r'value="https?://[^/"]+(/partner/join/[^"]+/)"', handed).group(1)
    pages["charlie join"] = charlie.get(join).content.decode()
    _post(charlie, join, {})
    _post(alice, reverse("partners:switches"), dict.fromkeys(SWITCH_FIELDS, "on"))
    _post(charlie, reverse("partners:question"), {"text": texts["his"]})
    _post(alice, reverse("partners:question"), {"text": texts["hers"]})
    day = world.alice.local_today().isoformat()
    gratitude = {"day": day, "moment_kinds": "caring", "moments": texts["thanks"], "why": "x"}
    _post(alice, reverse("journal:gratitude_new"), gratitude)
    entry = Entry.objects.filter(user=world.alice, kind="gratitude").latest("pk")
    _post(alice, reverse("partners:appreciation_send", args=[entry.pk]), {})
    _post(alice, reverse("partners:plan"), {"text": texts["plan"]})
    for who, browser in (("alice", alice), ("charlie", charlie)):
        for page, url in (
            ("today", reverse("home")),
            ("link", reverse("partners:link")),
            ("question", reverse("partners:question")),
            ("plan", reverse("partners:plan")),
        ):
            response = browser.get(url)
            assert response.status_code == 200, (who, page)
            pages[f"{who} {page}"] = response.content.decode()
    return pages


@pytest.mark.parametrize("payload", PAYLOADS)
def test_what_passes_through_the_link_is_shown_as_text(payload, world):
    texts = {name: f"{name[:6]}: {payload}" for name in SHOWN_ON if name != "invitation"}
    if address := _invitation_address(payload):
        texts["invitation"] = address
    pages = _link_through_the_forms(world, texts)

    raw = [
        (page, field)
        for page, html in pages.items()
        for field, text in texts.items()
        if text in html
    ]
    expected = [(page, field) for field in texts for page in SHOWN_ON[field]]
    missing = [(page, field) for page, field in expected if escape(texts[field]) not in pages[page]]
    CHECKED.update(partner_pages=len(pages), partner_shown_as_text=len(expected))
    assert raw == [], "shown unescaped"
    assert missing == [], "not shown as text"
