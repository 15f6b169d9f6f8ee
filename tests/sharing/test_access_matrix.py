"""Who gets what from every journal and sharing URL, from one table.

Each row is one URL and method with the status every kind of visitor must get. A URL in the
journal or sharing apps without a row fails `test_every_url_has_a_row`, so a new page cannot
be forgotten. Every response is also checked for text its visitor must never see.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from sharing import selectors
from sharing.models import ClientInvitation, Comment, Invitation, Share
from tests.conftest import new_alice, new_bob, new_charlie
from tests.factories import (
    ApologyFactory,
    BreakFactory,
    FourAbilitiesFactory,
    GratitudeFactory,
    RungFactory,
    TherapistFactory,
)

from .conftest import make_share, page_text

ANONYMOUS = "anonymous"
OWNER = "owner"  # alice, whose journal it is
OTHER_CLIENT = "another client"  # charlie
IN_SCOPE = "linked therapist in scope"  # bob: alice shares everything with him
OUT_OF_SCOPE = "linked therapist out of scope"  # dave: alice shares only bids, no progress
UNLINKED = "unlinked therapist"  # erin: a therapist alice never invited
REVOKED = "revoked therapist"  # frank: alice shared everything, then revoked
ROLES = [ANONYMOUS, OWNER, OTHER_CLIENT, IN_SCOPE, OUT_OF_SCOPE, UNLINKED, REVOKED]
LOGGED_IN = ROLES[1:]

SHARED_TEXT = "quokka-shared-gratitude"
PRIVATE_TEXT = "narwhal-private-gratitude"
OLD_TEXT = "axolotl-before-sharing-began"
THERAPISTS = {IN_SCOPE, OUT_OF_SCOPE, UNLINKED, REVOKED}


@dataclass
class World:
    users: dict[str, User]
    shared: object  # alice's gratitude entry that bob may read and dave may not
    apology: object
    bob_share: Share
    comment: Comment
    reply: Comment  # alice's answer to bob's comment
    token: str
    join_token: str  # erin's invitation to a client who has no account yet
    pause: object  # alice's break
    rung: object  # a rung of alice's ladder, in no therapist's scope
    self_check: object  # alice's four abilities self-check


@pytest.fixture(scope="module")
def built_world(module_db) -> World:
    """Built once for the module's 700 tests; each test's changes are rolled back after it."""
    alice, bob, charlie = new_alice(), new_bob(), new_charlie()
    dave = TherapistFactory(email="dave@example.com", display_name="Dave")
    erin = TherapistFactory(email="erin@example.com", display_name="Erin")
    frank = TherapistFactory(email="frank@example.com", display_name="Frank")
    today = alice.local_today()
    shared = GratitudeFactory(user=alice, moments=SHARED_TEXT)
    GratitudeFactory(user=alice, moments=PRIVATE_TEXT, is_private=True)
    GratitudeFactory(user=alice, moments=OLD_TEXT, day=today - timedelta(days=60))
    apology = ApologyFactory(user=alice)
    bob_share = make_share(alice, bob)
    make_share(alice, dave, kinds=("bid",), progress=False)
    make_share(alice, frank, status=Share.Status.REVOKED)
    comment = Comment.objects.create(
        entry=shared, author=bob, therapist=bob, body="Lovely noticing."
    )
    # A waiting invitation for someone who has no account yet.
    waiting = make_share(alice, None, status=Share.Status.INVITED)
    Invitation.objects.create(
        share=waiting,
        email="dana@example.com",
        token_hash=selectors.token_hash("dana-token"),
        expires_at=waiting.created_at + timedelta(days=7),
    )
    users = {
        OWNER: alice,
        OTHER_CLIENT: charlie,
        IN_SCOPE: bob,
        OUT_OF_SCOPE: dave,
        UNLINKED: erin,
        REVOKED: frank,
    }
    reply = Comment.objects.create(entry=shared, author=alice, therapist=bob, body="Thank you.")
    ClientInvitation.objects.create(
        therapist=erin,
        email="gina@example.com",
        token_hash=selectors.token_hash("gina-token"),
        expires_at=waiting.created_at + timedelta(days=7),
    )
    token = signing.dumps("dana-token", salt=selectors.INVITATION_SALT)
    join_token = signing.dumps("gina-token", salt=selectors.CLIENT_INVITATION_SALT)
    pause = BreakFactory(user=alice)
    rung, self_check = RungFactory(user=alice), FourAbilitiesFactory(user=alice)
    return World(
        users,
        shared,
        apology,
        bob_share,
        comment,
        reply,
        token,
        join_token,
        pause,
        rung,
        self_check,
    )


@pytest.fixture
def world(db, built_world) -> World:
    return built_world


@dataclass
class Row:
    name: str
    method: str
    expect: dict[str, int]
    kwargs: Callable[[World], dict] = lambda w: {}
    data: Callable[[World], dict] = lambda w: {}
    query: str = ""


def everyone(status: int, *, anonymous: int = 302) -> dict[str, int]:
    """The same answer for every logged-in visitor: each sees only their own things."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(LOGGED_IN, status)}


def only(allowed: dict[str, int], *, anonymous: int = 302) -> dict[str, int]:
    """Everyone not named gets a 404, as if the page did not exist."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(LOGGED_IN, 404), **allowed}


def entry(w: World) -> dict:
    return {"pk": w.shared.pk}


def client_of(w: World) -> dict:
    return {"client_id": w.users[OWNER].pk}


def client_entry(w: World) -> dict:
    return {**client_of(w), "entry_id": w.shared.pk}


def own_comment(w: World) -> dict:
    return {**client_entry(w), "comment_id": w.comment.pk}


def own_reply(w: World) -> dict:
    return {"comment_id": w.reply.pk}


def join(w: World) -> dict:
    return {"token": w.join_token}


def erins_invitation(w: World) -> dict:
    """Erin's invitation to gina, who is none of the visitors."""
    return {"invitation_id": ClientInvitation.objects.get(therapist=w.users[UNLINKED]).pk}


def alices_invitation(w: World) -> dict:
    """Alice's invitation to dana, who is none of the visitors."""
    return {"invitation_id": Invitation.objects.get(email="dana@example.com").pk}


def scopes(w: World) -> dict:
    return {
        "share_gratitude": "on",
        "share_bids": "on",
        "shared_from": w.users[OWNER].local_today().isoformat(),
    }


READERS = {IN_SCOPE: 200, OUT_OF_SCOPE: 200}  # any therapist with an active share
WRITERS = {IN_SCOPE: 302, OUT_OF_SCOPE: 302}  # the same, sent on after a change


def today(w: World) -> str:
    return w.users[OWNER].local_today().isoformat()


def rung(w: World) -> dict:
    return {"pk": w.rung.pk}


def pause(w: World) -> dict:
    return {"pk": w.pause.pk}


def apology(w: World) -> dict:
    return {"pk": w.apology.pk}


def self_check(w: World) -> dict:
    return {"pk": w.self_check.pk}


def bob_share(w: World) -> dict:
    return {"share_id": w.bob_share.pk}


def posted(**fields: str) -> Callable[[World], dict]:
    """Form data that is the same for every visitor."""
    return lambda w: fields


def owner_post(name: str, kwargs: Callable[[World], dict], **fields: str) -> Row:
    """A form about the owner's own thing: it sends them on; anyone else gets a 404."""
    return Row(name, "POST", only({OWNER: 302}), kwargs, posted(**fields))


def therapist_post(name: str, **fields: str) -> Row:
    """A form about the client that any therapist with an active share may send."""
    return Row(name, "POST", only(WRITERS), client_of, posted(**fields))


def dated(**fields: str) -> Callable[[World], dict]:
    """Form data with today, in the owner's zone, as its day."""
    return lambda w: {"day": today(w), **fields}


def every_rating(w: World) -> dict:
    return {f"rating_{n}": "4" for n in range(20)}


def both_orders(w: World) -> dict:
    order = ["time", "words", "touch", "acts", "gifts"]
    return {f"{who}_{n}": key for who in ("mine", "theirs") for n, key in enumerate(order, 1)}


TABLE = [
    # --- journal: the owner's own pages; nobody else, therapists included, gets in ---
    Row("journal:timeline", "GET", everyone(200)),
    Row("journal:gratitude_new", "GET", everyone(200)),
    Row("journal:bid_new", "GET", everyone(200)),
    Row("journal:apology_new", "GET", everyone(200)),
    Row("journal:entry_detail", "GET", only({OWNER: 200}), entry),
    Row("journal:entry_edit", "GET", only({OWNER: 200}), entry),
    Row("journal:entry_edit", "POST", only({OWNER: 302}), entry, dated(moments="changed", why="")),
    Row("journal:entry_delete", "GET", only({OWNER: 200}), entry),
    owner_post("journal:entry_delete", entry),
    # Restoring never reveals anything: it redirects everyone, and only the owner's works.
    Row("journal:entry_restore", "POST", everyone(302), entry),
    owner_post("journal:apology_status", apology, status="given"),
    owner_post("journal:entry_told", entry),
    Row("journal:urge_new", "GET", everyone(200)),
    Row("journal:urge_new", "POST", everyone(302), data=dated(strength="4", trigger="x")),
    # Alice is on a break (the world's `pause`): the page leads to it rather than a second.
    Row("practice:break_new", "GET", everyone(200) | {OWNER: 302}),
    Row("practice:break_new", "POST", everyone(302), data=posted(choice="in_1_hour")),
    owner_post("practice:break_message", pause, partner_message="Back at eight."),
    owner_post("practice:break_cancel", pause),
    owner_post("practice:break_back", pause, went_back="yes"),
    Row("practice:answer_new", "GET", everyone(200)),
    Row("practice:answer_new", "POST", everyone(302), data=posted(answer="A walk.")),
    Row("practice:question_skip", "POST", everyone(302)),
    Row("journal:insights", "GET", everyone(200)),
    Row("journal:export_json", "GET", everyone(200)),
    Row("journal:export_csv", "GET", everyone(200)),
    Row("journal:print", "GET", everyone(200)),
    # --- the practice tools over weeks: each visitor's own check-ins, self-checks, ladder ---
    Row("practice:check_in_new", "GET", everyone(200)),
    Row("practice:check_in_new", "POST", everyone(302), data=posted(screen="0")),
    Row(
        "practice:check_in_new",
        "POST",
        everyone(302),
        data=dated(screen="5", went_well="A walk"),
        query="?save",
    ),
    Row("practice:check_in_start_over", "GET", everyone(302)),  # no answers: nothing to ask
    Row("practice:check_in_start_over", "POST", everyone(302)),
    Row("practice:check_in_past", "GET", everyone(200)),
    Row("practice:check_in_together", "GET", everyone(200)),
    Row("practice:check_in_reminder", "GET", everyone(200)),
    Row(
        "practice:check_in_reminder",
        "POST",
        everyone(302),
        data=posted(enabled="on", weekday="6", local_time="19:00"),
    ),
    Row("practice:self_checks", "GET", everyone(200)),
    Row("practice:four_abilities_new", "GET", everyone(200)),
    Row("practice:four_abilities_new", "POST", everyone(302), data=every_rating),
    Row("practice:love_languages_new", "GET", everyone(200)),
    Row("practice:love_languages_new", "POST", everyone(302), data=both_orders),
    Row("practice:self_check_result", "GET", only({OWNER: 200}), self_check),
    Row("practice:ladder", "GET", everyone(200)),
    Row("practice:rung_new", "POST", everyone(302), data=dated(rung_text="Say no", who="friend")),
    Row("practice:ladder_first_rungs", "POST", everyone(302), data=posted(rung="0")),
    owner_post("practice:rung_move", rung, direction="harder"),
    Row("practice:rung_done", "GET", only({OWNER: 200}), rung),
    owner_post("practice:rung_done", rung, feeling_after="3"),
    Row("practice:rung_taken", "GET", only({OWNER: 200}), rung),
    # --- sharing, the client's side: each person's own Sharing page ---
    Row("sharing:index", "GET", everyone(200)),
    Row(
        "sharing:invite",
        "POST",
        everyone(302),
        data=lambda w: {**scopes(w), "email": "newtherapist@example.com"},
    ),
    Row("sharing:share_detail", "GET", only({OWNER: 200}), bob_share),
    Row("sharing:share_detail", "POST", only({OWNER: 302}), bob_share, scopes),
    Row("sharing:share_revoke", "GET", only({OWNER: 200}), bob_share),
    owner_post("sharing:share_revoke", bob_share),
    Row("sharing:access_log", "GET", everyone(200)),
    Row("sharing:inbox", "GET", everyone(200)),
    Row("sharing:conversation_with_therapist", "GET", only({OWNER: 200}), bob_share),
    owner_post("sharing:conversation_with_therapist", bob_share, body="Hello."),
    Row("sharing:comments", "GET", everyone(200)),
    owner_post("sharing:share_comments", bob_share, on="0"),
    owner_post("sharing:entry_comments", lambda w: {"entry_id": w.shared.pk}),
    owner_post("sharing:entry_talk_about", lambda w: {"entry_id": w.shared.pk}, on="1"),
    # --- conversations: only the entry's owner replies, and only where a therapist wrote ---
    owner_post(
        "sharing:reply_create",
        lambda w: {"entry_id": w.shared.pk, "therapist_id": w.users[IN_SCOPE].pk},
        body="Thanks, that helps.",
    ),
    Row("sharing:reply_edit", "GET", only({OWNER: 200}), own_reply),
    owner_post("sharing:reply_edit", own_reply, body="Thanks!"),
    owner_post("sharing:reply_delete", own_reply),
    Row("sharing:notices", "GET", everyone(200)),
    Row("sharing:notices", "POST", everyone(302), data=posted(comments_email="on")),
    # --- the invitation link: the token is the key; only dana's verified account may accept ---
    Row("sharing:accept", "GET", everyone(200, anonymous=200), lambda w: {"token": w.token}),
    Row("sharing:accept", "POST", everyone(200), lambda w: {"token": w.token}),
    Row("sharing:accept_decline", "POST", everyone(200), lambda w: {"token": w.token}),
    # The same invitation from the app, by id: only dana's account sees it at all.
    Row("sharing:share_invitation_answer", "GET", only({}), alices_invitation),
    Row("sharing:share_invitation_answer", "POST", only({}), alices_invitation),
    Row("sharing:share_invitation_decline", "POST", only({}), alices_invitation),
    # --- a therapist's invitation to a client: only gina's verified account may answer it,
    # and she is none of these (erin, who sent it, cannot answer it herself either) ---
    Row("sharing:join", "GET", everyone(200, anonymous=200), join),
    Row("sharing:join", "POST", everyone(200), join, scopes),
    Row("sharing:join_decline", "POST", everyone(200), join),
    # The same invitation from the app, by id: only gina's account sees it at all.
    Row("sharing:invitation_answer", "GET", only({}), erins_invitation),
    Row("sharing:invitation_answer", "POST", only({}), erins_invitation, scopes),
    Row("sharing:invitation_decline", "POST", only({}), erins_invitation),
    # --- sharing, the therapist's side ---
    Row("sharing:clients", "GET", everyone(200)),
    Row("sharing:client_invite", "POST", everyone(302), data=posted(email="newclient@example.com")),
    Row("sharing:client_invitation_resend", "POST", only({UNLINKED: 302}), erins_invitation),
    Row("sharing:client_invitation_withdraw", "GET", only({UNLINKED: 200}), erins_invitation),
    Row("sharing:client_invitation_withdraw", "POST", only({UNLINKED: 302}), erins_invitation),
    Row("sharing:session", "GET", only(READERS), client_of),
    Row(
        "sharing:session",
        "GET",
        only(READERS),
        client_of,
        query="?start=2999-01-01&end=0001-01-01&page=2",
    ),
    Row("sharing:client_journal", "GET", only(READERS), client_of),
    Row("sharing:client_journal", "GET", only(READERS), client_of, query="?kind=gratitude"),
    Row("sharing:client_insights", "GET", only(READERS), client_of),
    Row("sharing:client_progress", "GET", only({IN_SCOPE: 200}), client_of),
    Row("sharing:share_end", "GET", only(READERS), client_of),
    # Session notes: a reader's own, on a client who shares with them; the export is anyone's
    # own (a client's is empty).
    Row("sharing:conversation_with_client", "GET", only(READERS), client_of),
    therapist_post("sharing:conversation_with_client", body="Hello."),
    Row("sharing:homework", "GET", only(READERS), client_of),
    therapist_post("sharing:homework", what="kind:gratitude", note="Try one."),
    Row("sharing:homework_answer", "POST", only({}), lambda w: {"homework_id": 1}, posted()),
    Row("sharing:session_notes", "GET", only(READERS), client_of),
    therapist_post("sharing:session_notes", session_date="2026-03-01", body="Mine."),
    Row("sharing:session_note_delete", "POST", only({}), lambda w: {**client_of(w), "note_id": 1}),
    Row("sharing:session_notes_export", "GET", everyone(200)),
    therapist_post("sharing:share_end"),
    Row("sharing:client_entry", "GET", only({IN_SCOPE: 200}), client_entry),
    Row(
        "sharing:comment_create", "POST", only({IN_SCOPE: 302}), client_entry, posted(body="Noted.")
    ),
    Row("sharing:comment_edit", "GET", only({IN_SCOPE: 200}), own_comment),
    Row("sharing:comment_edit", "POST", only({IN_SCOPE: 302}), own_comment, posted(body="Better.")),
    Row("sharing:comment_delete", "POST", only({IN_SCOPE: 302}), own_comment),
]
CELLS = [
    pytest.param(row, role, id=f"{row.method} {row.name}{row.query} as {role}")
    for row in TABLE
    for role in ROLES
]


def _request(client, world: World, row: Row):
    url = reverse(row.name, kwargs=row.kwargs(world)) + row.query
    if row.method == "GET":
        return client.get(url)
    return client.post(url, row.data(world))


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_access(client, world, row, role, django_capture_on_commit_callbacks):
    if role != ANONYMOUS:
        client.force_login(world.users[role])

    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, world, row)

    assert response.status_code == row.expect[role]
    if response.status_code == 302 and role == ANONYMOUS:
        assert response["Location"].startswith(reverse("account_login"))
    text = page_text(response)
    if role != OWNER:
        assert PRIVATE_TEXT not in text
        assert OLD_TEXT not in text
    if role not in (OWNER, IN_SCOPE):
        assert SHARED_TEXT not in text


def _names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and namespace in ("journal", "sharing"):
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_url_has_a_row():
    urls = _names(get_resolver().url_patterns)
    assert {"journal:timeline", "sharing:client_entry"} <= urls  # the walk finds both apps
    missing = urls - {row.name for row in TABLE}
    assert not missing, f"URLs with no row in the access matrix: {sorted(missing)}"


def test_every_row_covers_every_role():
    for row in TABLE:
        assert set(row.expect) == set(ROLES), row.name


def test_therapists_see_the_shared_entry_only_where_the_table_says(client, world):
    """The matrix's text checks are not vacuous: bob really does read the shared entry."""
    client.force_login(world.users[IN_SCOPE])
    page = client.get(reverse("sharing:client_entry", kwargs=client_entry(world)))
    assert SHARED_TEXT in page.content.decode()
