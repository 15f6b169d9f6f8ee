"""Stored XSS: a payload typed into every text field of every form is shown as text.

Alice and Bob save each payload through the real forms: every journal kind, the apology's
follow-up, a reflection, both display names, an invitation address, a therapist's comment,
the client's reply, the timeline search. Then every page that shows one of them, Alice's and
Bob's, must carry the payload escaped (so it reads as typed) and never as it was typed (so it
cannot run).
"""

from collections import Counter
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from journal.models import Entry
from sharing.models import Comment

from .conftest import World

# What the test looked at, for the drill's report.
CHECKED: Counter = Counter()
# At most 55 characters, so a tagged copy fits a 60-character display name.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',  # out of a double-quoted attribute
    "' autofocus onfocus='alert(1)",  # out of a single-quoted attribute
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">tap</a>',  # a javascript: link
    "javascript:alert(document.cookie)//'",  # where a URL is expected
    "</textarea><script>alert(1)</script>",  # out of the edit form's textarea
    "--><script>alert(1)</script><!--",  # out of a comment
    '<iframe srcdoc="<b>x</b>"></iframe>',
    "<style>*{display:none}</style>",
    "{{ request.user.password }}<b>",  # template injection: must stay literal
    "{% debug %}<i>x</i>",
    "&lt;script&gt;&amp;",  # already escaped: must be escaped again
]

# Which pages show which field, in full: the payload escaped must be on each of these.
ENTRY_PAGES = ["detail", "edit", "print", "bob entry", "bob session"]
LISTED = ["home", "timeline", "bob journal"]  # the entry's headline
SHOWN_ON = {
    "moments": [*ENTRY_PAGES, *LISTED],
    "why": ENTRY_PAGES,
    "what": [*ENTRY_PAGES, *LISTED],
    "note": ENTRY_PAGES,
    "acknowledgement": [*ENTRY_PAGES, *LISTED],
    "empathy": ENTRY_PAGES,
    "reassurance": ENTRY_PAGES,
    "why_it_happened": ENTRY_PAGES,
    "next_time": ENTRY_PAGES,
    "their_needs": ENTRY_PAGES,
    "follow_up": ["detail", "print", "bob entry", "bob session"],
    "went_well": [*ENTRY_PAGES, *LISTED, "check-in past"],
    "felt_distant": [*ENTRY_PAGES, "check-in past"],
    "need": [*ENTRY_PAGES, "check-in past"],
    "appreciation": [*ENTRY_PAGES, "check-in past"],
    "next_week": [*ENTRY_PAGES, "check-in past"],
    "rung_text": [*ENTRY_PAGES, *LISTED, "ladder", "rung taken"],
    "how_it_went": ["detail", "print", "bob entry", "rung taken"],
    "answer": ["lesson"],
    "alice's name": ["home", "profile", "bob clients", "bob journal", "bob entry", "bob session"],
    "bob's name": ["sharing", "access log", "comments", "detail"],
    "comment": ["bob entry", "bob comment edit", "comments", "detail"],
    "reply": ["bob entry", "detail", "reply edit"],
    "invitation": ["sharing"],
    "search": ["search"],
}
KINDS = {
    "gratitude": ["moments", "why"],
    "bid": ["what", "note"],
    "apology": [
        "acknowledgement",
        "empathy",
        "reassurance",
        "why_it_happened",
        "next_time",
        "their_needs",
    ],
}
ENTRY_FORM_DEFAULTS = {
    "gratitude": {"moment_kinds": "caring"},
    "bid": {"made_by": "partner", "response": "toward"},
    "apology": {"status": "given", "save": "1"},
}


def _tagged(payload: str) -> dict[str, str]:
    """Each field's text: the payload after the field's name, so a page shows which it is."""
    return {name: f"{name[:6]}: {payload}" for name in SHOWN_ON if name != "invitation"}


# The practice tools with their own pages: saved through them, not the generic form.
TOOLS = {
    "check_in": ["went_well", "felt_distant", "need", "appreciation", "next_week"],
    "rung": ["rung_text", "how_it_went"],
}


def _invitation_address(payload: str) -> str | None:
    """The payload as the quoted local part of an address, when the address is valid."""
    address = '"' + payload.replace(" ", "/").replace('"', "'").replace("\\", "/") + '"@example.com'
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def _post(browser: Client, url: str, data: dict) -> None:
    response = browser.post(url, data)
    assert response.status_code == 302, (url, response.content.decode()[:2000])


def _write_everything(world: World, texts: dict[str, str]) -> dict[str, int]:
    """Save every text through its form, as Alice and Bob would; the new entries' ids."""
    alice, bob = world.client_for("alice"), world.client_for("bob")
    day = world.alice.local_today().isoformat()
    ids = {}
    for kind, fields in KINDS.items():
        data = {"day": day, **ENTRY_FORM_DEFAULTS[kind], **{f: texts[f] for f in fields}}
        _post(alice, reverse(f"journal:{kind}_new"), data)
        ids[kind] = Entry.objects.filter(user=world.alice, kind=kind).latest("pk").pk
    check_in = {f: texts[f] for f in TOOLS["check_in"]}
    _post(alice, reverse("practice:check_in_new"), {"screen": "5", "day": day, **check_in})
    ids["check_in"] = Entry.objects.filter(user=world.alice, kind="check_in").latest("pk").pk
    rung = {"day": day, "rung_text": texts["rung_text"], "who": "friend"}
    _post(alice, reverse("practice:rung_new"), rung)
    ids["rung"] = Entry.objects.filter(user=world.alice, kind="rung").latest("pk").pk
    done = {"how_it_went": texts["how_it_went"], "feeling_before": "6"}
    _post(alice, reverse("practice:rung_done", args=[ids["rung"]]), done)
    status = {"status": "followed_up", "follow_up": texts["follow_up"]}
    _post(alice, reverse("journal:apology_status", args=[ids["apology"]]), status)
    reflection = reverse("lessons:reflection", args=[world.lesson.slug])
    _post(alice, reflection, {"answer": texts["answer"]})
    profile = {"display_name": texts["alice's name"], "time_zone": "Europe/London"}
    _post(alice, reverse("home:profile"), profile)
    _post(bob, reverse("home:profile"), {"display_name": texts["bob's name"], "time_zone": "UTC"})
    for kind, pk in ids.items():
        comment = {"body": texts["comment"] if kind == "gratitude" else "Thank you."}
        _post(bob, reverse("sharing:comment_create", args=[world.alice.pk, pk]), comment)
    reply = {"body": texts["reply"]}
    _post(alice, reverse("sharing:reply_create", args=[ids["gratitude"], world.bob.pk]), reply)
    if "invitation" in texts:
        scopes = {"email": texts["invitation"], "share_gratitude": "on", "shared_from": day}
        _post(alice, reverse("sharing:invite"), scopes)
    return ids


def _pages(world: World, ids: dict[str, int], search: str) -> dict[str, str]:
    """Every page that shows what was saved: name -> HTML, one per entry kind where it varies."""
    alice, bob = world.client_for("alice"), world.client_for("bob")
    comment = Comment.objects.filter(entry_id=ids["gratitude"], author=world.bob).latest("pk")
    client = [world.alice.pk]
    alice_urls = {
        "home": reverse("home"),
        "timeline": reverse("journal:timeline"),
        "search": reverse("journal:timeline") + "?" + urlencode({"q": search}),
        "print": reverse("journal:print"),
        "lesson": world.lesson.get_absolute_url(),
        "profile": reverse("home:profile"),
        "sharing": reverse("sharing:index"),
        "access log": reverse("sharing:access_log"),
        "comments": reverse("sharing:comments"),
        "check-in past": reverse("practice:check_in_past"),
        "ladder": reverse("practice:ladder"),
        "rung taken": reverse("practice:rung_taken", args=[ids["rung"]]),
        "reply edit": reverse(
            "sharing:reply_edit",
            args=[Comment.objects.filter(author=world.alice).latest("pk").pk],
        ),
    }
    bob_urls = {
        "bob clients": reverse("sharing:clients"),
        "bob journal": reverse("sharing:client_journal", args=client),
        "bob insights": reverse("sharing:client_insights", args=client),
        "bob progress": reverse("sharing:client_progress", args=client),
        "bob session": reverse("sharing:session", args=client),
        "bob comment edit": reverse(
            "sharing:comment_edit", args=[world.alice.pk, ids["gratitude"], comment.pk]
        ),
    }
    for kind, pk in ids.items():
        alice_urls[f"detail {kind}"] = reverse("journal:entry_detail", args=[pk])
        alice_urls[f"edit {kind}"] = reverse("journal:entry_edit", args=[pk])
        bob_urls[f"bob entry {kind}"] = reverse("sharing:client_entry", args=[world.alice.pk, pk])
    pages = {}
    # Bob's first, so Alice's access log lists his reads.
    for browser, urls in ((bob, bob_urls), (alice, alice_urls)):
        for name, url in urls.items():
            response = browser.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
            pages[name] = response.content.decode()
    return pages


# The entry whose pages ("detail", "edit", "bob entry") show a field; Alice's gratitude entry
# for fields that are not an entry's own (the comment is on it).
FIELD_KIND = {field: kind for kind, fields in KINDS.items() for field in fields}
FIELD_KIND["follow_up"] = "apology"
FIELD_KIND |= {field: kind for kind, fields in TOOLS.items() for field in fields}


def _pages_showing(field: str) -> list[str]:
    kind = FIELD_KIND.get(field, "gratitude")
    per_kind = ("detail", "edit", "bob entry")
    return [f"{page} {kind}" if page in per_kind else page for page in SHOWN_ON[field]]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_payload_is_shown_as_text_on_the_owners_and_the_therapists_pages(payload, world):
    texts = _tagged(payload)
    texts["invitation"] = _invitation_address(payload)
    if texts["invitation"] is None:  # not a valid address: the form refuses it, nothing stored
        del texts["invitation"]
    ids = _write_everything(world, texts)
    pages = _pages(world, ids, search=texts["search"])

    raw = [
        (page, field)
        for page, html in pages.items()
        for field, text in texts.items()
        if text in html
    ]
    expected = [(page, field) for field in texts for page in _pages_showing(field)]
    missing = [(page, field) for page, field in expected if escape(texts[field]) not in pages[page]]
    CHECKED.update(payloads=1, fields=len(texts), pages=len(pages), shown_as_text=len(expected))
    assert raw == [], "shown unescaped"
    assert missing == [], "not shown as text"
