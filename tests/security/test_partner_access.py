"""Who gets what from every URL of the partner link, from one table, as
tests/sharing/test_access_matrix.py does for the journal and sharing.

Alice invited Dan and he confirmed: everything passes through their link. Erin and Frank
had a link that has ended; Charlie is a stranger; Gina's invitation to Hank waits. Each row
is one URL and method with the status every visitor must get; a partners URL without a row
fails `test_every_partners_url_has_a_row`. Every response is checked for words its visitor
must never see, and a visitor the row does not let act must leave the link as it was.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from partners import services
from partners.models import Appreciation, Link, PairAnswer, Plan
from tests.conftest import new_alice, new_charlie
from tests.factories import GratitudeFactory, UserFactory
from tests.partners.conftest import make_link, page_text

ANONYMOUS = "anonymous"
READER = "reader"  # alice, who made the link
PARTNER = "partner"  # dan, who confirmed it
STRANGER = "stranger"  # charlie
ENDED_READER = "reader of an ended link"  # erin
ENDED_PARTNER = "partner of an ended link"  # frank
ROLES = [ANONYMOUS, READER, PARTNER, STRANGER, ENDED_READER, ENDED_PARTNER]
LOGGED_IN = ROLES[1:]
MEMBERS = {READER, PARTNER}

SENT_WORDS = "quokka-appreciation-sent"  # through the link: the two of them only
PLAN_TEXT = "pangolin-agreed-plan"  # the same
DANS_ANSWER = "okapi-answer-unseen"  # Alice has not answered: nobody but Dan sees it yet
ALICES_ENTRY = "narwhal-unsent-gratitude"  # never sent: Alice's alone
NAMES = ("Alisoun-reader", "Danforth-partner")  # the two on the link, to each other only


@dataclass
class World:
    users: dict[str, User]
    link: Link
    appreciation: Appreciation
    unsent: object  # Alice's gratitude entry, not sent
    waiting_token: str  # Gina's invitation, emailed to Hank
    ended_token: str  # Erin's invitation, confirmed by Frank, then the link ended


@pytest.fixture(scope="module")
def built_world(module_db) -> World:
    """Built once for the module's 100 tests; each test's changes are rolled back after it."""
    alice, charlie = new_alice(), new_charlie()
    alice.display_name = NAMES[0]
    alice.save(update_fields=["display_name"])
    dan = UserFactory(email="dan@example.com", display_name=NAMES[1])
    link = make_link(alice, dan, breaks_on=True, appreciation_on=True, plan_on=True)
    sent = GratitudeFactory(user=alice, moments=SENT_WORDS)
    appreciation = services.appreciation_send(link=link, entry=sent)
    services.plan_save(link=link, by=alice, text=PLAN_TEXT)
    daily = services.question_for_link(link=link, day=alice.local_today())
    services.pair_answer(question=daily, user=dan, text=DANS_ANSWER)
    unsent = GratitudeFactory(user=alice, moments=ALICES_ENTRY)
    erin = UserFactory(email="erin@example.com", display_name="Erin")
    frank = UserFactory(email="frank@example.com", display_name="Frank")
    ended, ended_token = services.link_invite(reader=erin)
    services.link_accept(link=ended, user=frank)
    services.link_end(link=ended, by=erin)
    services.ended_notice_take(user=frank)
    gina = UserFactory(email="gina@example.com", display_name="Gina")
    _, waiting_token = services.link_invite(reader=gina, email="hank@example.com")
    users = {
        READER: alice,
        PARTNER: dan,
        STRANGER: charlie,
        ENDED_READER: erin,
        ENDED_PARTNER: frank,
    }
    return World(users, link, appreciation, unsent, waiting_token, ended_token)


@pytest.fixture
def world(db, built_world) -> World:
    return built_world


@dataclass(frozen=True)
class Row:
    """One URL and method: the status each visitor gets, and who may change anything."""

    name: str
    method: str
    expect: dict[str, int]
    kwargs: Callable[[World], dict] = lambda w: {}  # the URL's token or pk, if it has one
    data: dict | None = None
    acts: frozenset = frozenset(MEMBERS)


def everyone(status: int, *, anonymous: int = 302) -> dict[str, int]:
    return dict.fromkeys(LOGGED_IN, status) | {ANONYMOUS: anonymous}


def only(allowed: dict[str, int]) -> dict[str, int]:
    """Everyone not named gets a 404, as if the page did not exist."""
    return everyone(404) | allowed


def linked(status: int, others: int) -> dict[str, int]:
    """Both on the active link get `status`; everyone else, with no link now, `others`."""
    return {**everyone(others), READER: status, PARTNER: status}


def waiting(w: World) -> dict:
    return {"token": w.waiting_token}


def ended(w: World) -> dict:
    return {"token": w.ended_token}


TABLE = [
    # Each person's own link page, whatever their link.
    Row("partners:link", "GET", everyone(200)),
    # Someone with an active link makes no invitation; the others make their own.
    Row("partners:invite", "POST", everyone(302), data={"email": "new@example.com"}),
    Row("partners:invite_by_hand", "POST", linked(302, others=200)),
    # Ending acts on the visitor's own link only: a stranger's "end" ends nothing of Alice's.
    Row("partners:end", "POST", everyone(302)),
    # Only the reader who made the link turns what passes on or off; Dan gets a 404.
    Row("partners:switches", "POST", only({READER: 302}), acts=frozenset({READER})),
    Row("partners:notices", "POST", only({READER: 302, PARTNER: 302}), data={"notices": "on"}),
    # Hank's invitation: anyone may see it, nobody here may confirm it.
    Row("partners:join", "GET", everyone(200, anonymous=200), waiting),
    Row("partners:join", "POST", everyone(200), waiting, acts=frozenset()),
    # An invitation whose link has ended says so to everyone and does nothing.
    Row("partners:join", "GET", everyone(410, anonymous=410), ended),
    Row("partners:join", "POST", everyone(410, anonymous=410), ended, acts=frozenset()),
    Row("partners:question", "GET", only({READER: 200, PARTNER: 200})),
    # Dan has answered: his second answer is not taken, and the page says what he gave.
    Row("partners:question", "POST", only({READER: 302, PARTNER: 200}), data={"text": "Mine"}),
    Row("partners:question_skip", "POST", only({READER: 302, PARTNER: 302})),
    Row("partners:plan", "GET", only({READER: 200, PARTNER: 200})),
    Row("partners:plan", "POST", only({READER: 302, PARTNER: 302}), data={"text": "Cook"}),
    # Only the entry's writer sends it; only the one it was sent to reacts.
    Row(
        "partners:appreciation_send",
        "POST",
        only({READER: 302}),
        lambda w: {"pk": w.unsent.pk},
        acts=frozenset({READER}),
    ),
    Row(
        "partners:appreciation_react",
        "POST",
        only({PARTNER: 302}),
        lambda w: {"pk": w.appreciation.pk},
        data={"reaction": "thanks"},
        acts=frozenset({PARTNER}),
    ),
]


def _label(row: Row) -> str:
    token = row.kwargs.__name__
    return f"{row.method} {row.name}{'' if token == '<lambda>' else f' ({token})'}"


CELLS = [pytest.param(row, role, id=f"{_label(row)} as {role}") for row in TABLE for role in ROLES]


def _state(w: World) -> tuple:
    """Everything on Alice and Dan's link a visitor could change."""
    link = Link.objects.filter(pk=w.link.pk).values().get()
    return (
        link,
        list(Appreciation.objects.values_list("entry_id", "words", "reaction")),
        list(Plan.objects.values_list("text", "written_by")),
        list(PairAnswer.objects.values_list("user", "text", "skipped")),
    )


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_access(client, world, row, role, django_capture_on_commit_callbacks):
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    url = reverse(row.name, kwargs=row.kwargs(world))
    before = _state(world)

    with django_capture_on_commit_callbacks(execute=True):
        send = client.get if row.method == "GET" else client.post
        response = send(url, row.data or {})

    assert response.status_code == row.expect[role]
    if response.status_code == 302 and role == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login"))
    if role not in row.acts:
        assert _state(world) == before, "a visitor the link does not let act changed it"
    text = page_text(response)
    if role not in MEMBERS:
        for words in (SENT_WORDS, PLAN_TEXT, *NAMES):
            assert words not in text
    if role != PARTNER:
        assert DANS_ANSWER not in text
    if role != READER:
        assert ALICES_ENTRY not in text


def test_the_members_really_see_what_passes(client, world):
    """The matrix's text checks are not vacuous: Dan reads the words and the plan."""
    client.force_login(world.users[PARTNER])
    today = page_text(client.get("/"))
    assert SENT_WORDS in today and NAMES[0] in today
    assert PLAN_TEXT in page_text(client.get(reverse("partners:plan")))
    assert DANS_ANSWER in page_text(client.get(reverse("partners:question")))


def _names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace == "partners":
            names.add(f"partners:{pattern.name}")
    return names


def test_every_partners_url_has_a_row():
    urls = _names(get_resolver().url_patterns)
    assert "partners:join" in urls
    missing = urls - {row.name for row in TABLE}
    assert not missing, f"partners URLs with no row: {sorted(missing)}"


def test_every_row_covers_every_role():
    for row in TABLE:
        assert set(row.expect) == set(ROLES), row.name
