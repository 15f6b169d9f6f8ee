"""Hypothesis throws generated form data at every form: never a 500, nothing stored from a
rejected form.

The full drill (scripts/drills, FUZZ_SCALE=1) runs over 10,000 cases; the everyday suite runs a
twentieth of them. EXAMPLES counts the cases each form got, for the drill's report.
"""

import os
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from journal.models import Entry
from lessons.models import Reflection
from nudges.models import CheckInReminder, ReminderSchedule
from partners import services as partner_services
from partners.models import SWITCH_FIELDS, Appreciation, Link, PairAnswer, Plan
from practice.content import love_languages
from sharing import selectors as sharing_selectors
from sharing.models import (
    ClientInvitation,
    Comment,
    CommentsOff,
    Invitation,
    NoticePreference,
    Share,
)
from tests.factories import ApologyFactory, BidFactory, GratitudeFactory, RungFactory
from tests.partners.conftest import make_link

from .conftest import World

# Unicode of every category, control characters included, and a few pathological sizes.
messy_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "9" * 40,
            "x" * 3001,
            "é" * 100_000,
            "\u202e\u200b",
            "🙂" * 50,
        ]
    ),
)
FUZZ_SCALE = float(os.environ.get("FUZZ_SCALE", "0.05"))
dates = st.one_of(st.dates().map(str), messy_text, st.sampled_from(["2999-01-01", "0001-01-01"]))
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), messy_text)
ids = st.one_of(st.integers(min_value=-(2**63), max_value=2**63).map(str), messy_text)
emails = st.one_of(st.emails(), messy_text, st.sampled_from(["alice@example.com", "a@b"]))
# Cases run and status codes seen, per form: the drill prints them.
EXAMPLES: Counter = Counter()
STATUSES: defaultdict = defaultdict(Counter)


def choice_or_junk(*valid: str):
    return st.one_of(st.sampled_from(valid), messy_text)


def some_of(*valid: str):
    """A multiple-choice field: any number of valid choices, or junk."""
    return st.one_of(st.lists(st.sampled_from(valid), max_size=len(valid)), messy_text)


@dataclass
class FormCase:
    name: str
    url: Callable[[World], str]
    fields: dict
    # What a rejected form must leave exactly as it was.
    state: Callable[[World], object]
    examples: int
    extra: dict = field(default_factory=dict)
    who: str = "alice"  # signed in as alice, bob or charlie; "" for a visitor
    method: str = "post"
    # 400, 410 and 429 are refusals with a page that says why; 500 never is.
    allowed: frozenset = frozenset({200, 302, 404})


def _entries(world: World) -> int:
    return Entry.with_deleted.filter(user=world.alice).count()


def _own_bid(world: World) -> str:
    return reverse("journal:entry_edit", args=[BidFactory(user=world.alice).pk])


def _own_apology_status(world: World) -> str:
    return reverse("journal:apology_status", args=[ApologyFactory(user=world.alice).pk])


def _others_entry(world: World) -> str:
    return reverse("journal:entry_edit", args=[GratitudeFactory(user=world.charlie).pk])


def _schedule(world: World) -> tuple:
    fields = ["enabled", "local_time", "weekdays", "paused_until", "skip_if_written", "channel"]
    return tuple(ReminderSchedule.objects.filter(user=world.alice).values_list(*fields))


def _profile(world: World) -> tuple:
    fields = ["display_name", "time_zone", "situation", "discreet_reminders", "sender_name"]
    return User.objects.filter(pk=world.alice.pk).values_list(*fields).get()


def _reflections(world: World) -> list:
    return list(Reflection.objects.filter(user=world.alice).values_list("answer", flat=True))


def _shares(world: World) -> tuple:
    shares = Share.objects.filter(client=world.alice)
    return shares.count(), Invitation.objects.filter(share__in=shares).count()


def _scopes(world: World) -> tuple:
    fields = ["share_gratitude", "share_bids", "share_apologies", "share_progress", "shared_from"]
    return Share.objects.filter(pk=world.share.pk).values_list(*fields).get()


def _comments(world: World) -> list:
    return list(Comment.objects.filter(entry=world.entry).values_list("body", flat=True))


def _comment_create(world: World) -> str:
    return reverse("sharing:comment_create", args=[world.alice.pk, world.entry.pk])


def _comment_edit(world: World) -> str:
    args = [world.alice.pk, world.entry.pk, world.comment.pk]
    return reverse("sharing:comment_edit", args=args)


def _reply_create(world: World) -> str:
    return reverse("sharing:reply_create", args=[world.entry.pk, world.bob.pk])


def _reply_edit(world: World) -> str:
    reply = Comment.objects.create(
        entry=world.entry, author=world.alice, therapist=world.bob, body="Thanks."
    )
    return reverse("sharing:reply_edit", args=[reply.pk])


def _join(world: World) -> str:
    """A fresh link from Charlie, who invites Alice to share with him."""
    token = secrets.token_urlsafe(8)
    ClientInvitation.objects.create(
        therapist=world.charlie,
        email=world.alice.email,
        token_hash=sharing_selectors.token_hash(token),
        expires_at=timezone.now() + timedelta(days=7),
    )
    signed = signing.dumps(token, salt=sharing_selectors.CLIENT_INVITATION_SALT)
    return reverse("sharing:join", args=[signed])


def _client_invitations(_world: World) -> int:
    return ClientInvitation.objects.count()


def _notices(world: World) -> tuple:
    return tuple(
        NoticePreference.objects.filter(user=world.alice).values_list(
            "comments_email", "entries_email"
        )
    )


def _comment_switches(world: World) -> tuple:
    return CommentsOff.objects.count(), Share.objects.get(pk=world.share.pk).comments_allowed


def _accounts(_world: World) -> tuple:
    return User.objects.count(), EmailAddress.objects.count()


def _alice_signed_in(world: World) -> object:
    return User.objects.filter(pk=world.alice.pk).values_list("last_login", flat=True).get()


def _nothing(_world: World) -> None:
    return None


SITUATIONS = ("together", "dating", "single", "between", "unsaid", "")


def _own_rung(name: str):
    def url(world: World) -> str:
        return reverse(name, args=[RungFactory(user=world.alice).pk])

    return url


def _rungs(world: World) -> list:
    rungs = Entry.with_deleted.filter(user=world.alice, kind="rung").order_by("pk")
    fields = ["rung_text", "position", "done_on", "how_it_went", "feeling_before", "feeling_after"]
    return list(rungs.values_list(*fields))


def _check_in_reminder(world: World) -> list:
    fields = ["enabled", "weekday", "local_time", "next_due_at"]
    return list(CheckInReminder.objects.filter(user=world.alice).values_list(*fields))


def _partner_link(world: World) -> Link:
    """Alice's link with Charlie, everything passing through it, made on first use."""
    link = Link.objects.filter(reader=world.alice, status=Link.Status.ACTIVE).first()
    return link or make_link(
        world.alice, world.charlie, breaks_on=True, appreciation_on=True, plan_on=True
    )


def _linked_to(name: str):
    def url(world: World) -> str:
        _partner_link(world)
        return reverse(name)

    return url


def _appreciation_react(world: World) -> str:
    link = _partner_link(world)
    sent = Appreciation.objects.filter(link=link).first() or partner_services.appreciation_send(
        link=link, entry=GratitudeFactory(user=world.alice)
    )
    return reverse("partners:appreciation_react", args=[sent.pk])


def _partner_links(world: World) -> list:
    fields = ["status", "invited_email", "reader_notices", "partner_notices", *SWITCH_FIELDS]
    return list(Link.objects.filter(reader=world.alice).order_by("pk").values_list(*fields))


def _pair_things(_world: World) -> tuple:
    return (
        list(PairAnswer.objects.order_by("pk").values_list("user", "text", "skipped")),
        list(Plan.objects.values_list("text", "agreed_on")),
        list(Appreciation.objects.values_list("reaction", flat=True)),
    )


LANGUAGES = [language.key for language in love_languages().languages]
FEELINGS = [str(n) for n in range(11)]


ENTRY_DAY = {"day": dates, "is_private": messy_text, "lesson_slug": messy_text}
SCOPES = {
    "share_gratitude": messy_text,
    "share_bids": messy_text,
    "share_apologies": messy_text,
    "share_progress": messy_text,
    "shared_from": dates,
}

CASES = [
    FormCase(
        "gratitude",
        lambda w: reverse("journal:gratitude_new"),
        {
            **ENTRY_DAY,
            "moment_kinds": some_of("caring", "funny", "helpful", "small"),
            "moments": messy_text,
            "why": messy_text,
            "told_partner": messy_text,
        },
        _entries,
        examples=2000,
    ),
    FormCase(
        "bid",
        lambda w: reverse("journal:bid_new"),
        {
            **ENTRY_DAY,
            "made_by": choice_or_junk("me", "partner"),
            "what": messy_text,
            "response": choice_or_junk("toward", "away", "against"),
            "at_time": times,
            "note": messy_text,
        },
        _entries,
        examples=2000,
    ),
    FormCase(
        "apology",
        lambda w: reverse("journal:apology_new"),
        {
            **ENTRY_DAY,
            "acknowledgement": messy_text,
            "empathy": messy_text,
            "reassurance": messy_text,
            "why_it_happened": messy_text,
            "next_time": messy_text,
            "their_needs": messy_text,
            "status": choice_or_junk("draft", "given", "followed_up"),
        },
        _entries,
        examples=2000,
        extra={"save": "1"},
    ),
    FormCase(
        "bid edit",
        _own_bid,
        {
            "day": dates,
            "made_by": choice_or_junk("me", "partner"),
            "what": messy_text,
            "response": choice_or_junk("toward", "away", "against"),
        },
        _entries,
        examples=1000,
    ),
    FormCase(
        "apology status",
        _own_apology_status,
        {"status": choice_or_junk("draft", "given", "followed_up"), "follow_up": messy_text},
        _entries,
        examples=500,
    ),
    FormCase(
        "someone else's entry",
        _others_entry,
        {"day": dates, "moments": messy_text},
        _entries,
        examples=500,
    ),
    FormCase(
        "timeline search",
        lambda w: reverse("journal:timeline"),
        {"q": messy_text, "kind": choice_or_junk("gratitude", "bid", "apology"), "page": ids},
        _entries,
        examples=300,
        method="get",
    ),
    FormCase(
        "print range",
        lambda w: reverse("journal:print"),
        {"start": dates, "end": dates, "hide_private": messy_text},
        _entries,
        examples=300,
        method="get",
    ),
    FormCase(
        "weekly check-in step",
        lambda w: reverse("practice:check_in_new"),
        {
            **ENTRY_DAY,
            "screen": st.one_of(st.sampled_from([str(n) for n in range(6)]), ids),
            "go": choice_or_junk("next", "skip", "back"),
            "plan_happened": choice_or_junk("yes", "partly", "no"),
            "plan_note": messy_text,
            "went_well": messy_text,
            "felt_distant": messy_text,
            "need": messy_text,
            "appreciation": messy_text,
            "next_week": messy_text,
        },
        _entries,
        examples=1000,
    ),
    FormCase(
        "four abilities self-check",
        lambda w: reverse("practice:four_abilities_new"),
        {f"rating_{n}": choice_or_junk("1", "2", "3", "4", "5") for n in range(20)}
        | {"lesson_slug": messy_text},
        _entries,
        examples=500,
    ),
    FormCase(
        "love languages",
        lambda w: reverse("practice:love_languages_new"),
        {
            f"{who}_{n}": choice_or_junk(*LANGUAGES)
            for who in ("mine", "theirs")
            for n in range(1, 6)
        },
        _entries,
        examples=500,
    ),
    FormCase(
        "ladder rung",
        lambda w: reverse("practice:rung_new"),
        {**ENTRY_DAY, "rung_text": messy_text, "who": choice_or_junk("friend", "family", "anyone")},
        _rungs,
        examples=500,
    ),
    FormCase(
        "ladder suggestions",
        lambda w: reverse("practice:ladder_first_rungs"),
        {"rung": some_of(*map(str, range(12)))},
        _rungs,
        examples=300,
    ),
    FormCase(
        "rung done",
        _own_rung("practice:rung_done"),
        {
            "how_it_went": messy_text,
            "feeling_before": choice_or_junk(*FEELINGS),
            "feeling_after": choice_or_junk(*FEELINGS),
            "lesson_slug": messy_text,
        },
        _rungs,
        examples=500,
    ),
    FormCase(
        "rung move",
        _own_rung("practice:rung_move"),
        {"direction": choice_or_junk("easier", "harder")},
        _nothing,
        examples=200,
    ),
    FormCase(
        "check-in reminder",
        lambda w: reverse("practice:check_in_reminder"),
        {
            "enabled": messy_text,
            "weekday": choice_or_junk(*map(str, range(7))),
            "local_time": times,
        },
        _check_in_reminder,
        examples=500,
    ),
    FormCase(
        "profile",
        lambda w: reverse("home:profile"),
        {
            "display_name": messy_text,
            "time_zone": choice_or_junk("Europe/Paris", "Asia/Kolkata"),
            "situation": choice_or_junk(*SITUATIONS),
            "discreet_reminders": messy_text,
            "sender_name": messy_text,
        },
        _profile,
        examples=500,  # the page lists every time zone: ten times slower than the others
    ),
    FormCase(
        "first run",
        lambda w: reverse("home:first_run"),
        {
            "situation": choice_or_junk(*SITUATIONS),
            "reminder": messy_text,
            "local_time": times,
        },
        lambda w: (_profile(w), _schedule(w)),
        examples=1000,
    ),
    FormCase(
        "account delete",
        lambda w: reverse("accounts:delete"),
        {"password": messy_text},
        _accounts,
        examples=300,
    ),
    FormCase(
        "sign-up",
        lambda w: reverse("account_signup"),
        {
            "display_name": messy_text,
            "email": emails,
            "password1": messy_text,
            "password2": messy_text,
            "time_zone": choice_or_junk("Europe/Paris", "UTC"),
        },
        _accounts,
        examples=500,
        who="",
        allowed=frozenset({200, 302, 429}),
    ),
    FormCase(
        "sign-in",
        lambda w: reverse("account_login"),
        {"login": emails, "password": messy_text, "remember": messy_text},
        _alice_signed_in,
        examples=500,
        who="",
        allowed=frozenset({200, 302, 429}),
    ),
    FormCase(
        "reminder settings",
        lambda w: reverse("nudges:settings"),
        {
            "enabled": messy_text,
            "local_time": times,
            "weekdays": some_of(*map(str, range(7))),
            "paused_until": dates,
            "skip_if_written": messy_text,
            "channel": choice_or_junk("email", "push"),
        },
        _schedule,
        examples=1000,
    ),
    FormCase(
        "reflection",
        lambda w: reverse("lessons:reflection", args=[w.lesson.slug]),
        {"answer": messy_text},
        _reflections,
        examples=1000,
    ),
    FormCase(
        "sharing invitation",
        lambda w: reverse("sharing:invite"),
        {"email": emails, **SCOPES},
        _shares,
        examples=1000,
        allowed=frozenset({200, 302, 429}),  # five invitations an hour, then a clear refusal
    ),
    FormCase(
        "sharing scopes",
        lambda w: reverse("sharing:share_detail", args=[w.share.pk]),
        SCOPES,
        _scopes,
        examples=500,
    ),
    FormCase(
        "therapist's journal filter",
        lambda w: reverse("sharing:client_journal", args=[w.alice.pk]),
        {"kind": choice_or_junk("gratitude", "bid", "apology"), "start": dates, "end": dates},
        _nothing,
        examples=300,
        who="bob",
        method="get",
    ),
    FormCase(
        "therapist's comment",
        _comment_create,
        {"body": messy_text},
        _comments,
        examples=500,
        who="bob",
    ),
    FormCase(
        "therapist's comment edit",
        _comment_edit,
        {"body": messy_text},
        _comments,
        examples=300,
        who="bob",
    ),
    FormCase(
        "comment on a stranger's entry",
        lambda w: reverse(
            "sharing:comment_create", args=[w.charlie.pk, GratitudeFactory(user=w.charlie).pk]
        ),
        {"body": messy_text},
        lambda w: Comment.objects.count(),
        examples=300,
        who="bob",
    ),
]
CASES += [
    FormCase(
        "client's reply",
        _reply_create,
        {"body": messy_text},
        _comments,
        examples=500,
    ),
    FormCase("client's reply edit", _reply_edit, {"body": messy_text}, _comments, examples=300),
    FormCase(
        "therapist's client invitation",
        lambda w: reverse("sharing:client_invite"),
        {"email": emails},
        _client_invitations,
        examples=500,
        who="bob",
        allowed=frozenset({200, 302, 429}),
    ),
    FormCase(
        "client's answer to an invitation",
        _join,
        SCOPES,
        _shares,
        examples=500,
        allowed=frozenset({200, 302, 410}),
    ),
    FormCase(
        "session range",
        lambda w: reverse("sharing:session", args=[w.alice.pk]),
        {"start": dates, "end": dates, "page": ids},
        _nothing,
        examples=300,
        who="bob",
        method="get",
    ),
    FormCase(
        "notice emails",
        lambda w: reverse("sharing:notices"),
        {"comments_email": messy_text, "entries_email": messy_text},
        _notices,
        examples=300,
    ),
    FormCase(
        "comments switch on an entry",
        lambda w: reverse("sharing:entry_comments", args=[w.entry.pk]),
        {"on": messy_text},
        _comment_switches,
        examples=200,
    ),
    FormCase(
        "comments switch on a share",
        lambda w: reverse("sharing:share_comments", args=[w.share.pk]),
        {"on": messy_text},
        _comment_switches,
        examples=200,
    ),
]
CASES += [
    FormCase(
        "partner invitation",
        lambda w: reverse("partners:invite"),
        {"email": emails},
        _partner_links,
        examples=500,
        allowed=frozenset({302, 400}),  # five an hour, then a redirect that says so
    ),
    FormCase(
        "partner link switches",
        _linked_to("partners:switches"),
        dict.fromkeys(SWITCH_FIELDS, messy_text) | {"notices": messy_text},
        _partner_links,
        examples=300,
    ),
    FormCase(
        "partner notices",
        _linked_to("partners:notices"),
        {"notices": choice_or_junk("on")},
        _partner_links,
        examples=200,
    ),
    FormCase(
        "appreciation reaction",
        _appreciation_react,
        {"reaction": choice_or_junk(*Appreciation.Reaction.values)},
        _pair_things,
        examples=300,
        who="charlie",
    ),
]
# What the two on a link write for each other: a form of one text field each.
CASES += [
    FormCase(
        name,
        _linked_to(url_name),
        {"text": messy_text},
        _pair_things,
        examples=500,
        allowed=frozenset({200, 302, 400}),
    )
    for name, url_name in [
        ("day's question for two", "partners:question"),
        ("check-in plan for two", "partners:plan"),
    ]
]
# Links with a token in the path (the invitations, the one-click unsubscribe), tampered with.
LINKS = [
    ("invitation link", "sharing:accept", frozenset({200, 302, 404, 410})),
    ("client invitation link", "sharing:join", frozenset({200, 302, 404, 410})),
    ("partner invitation link", "partners:join", frozenset({200, 302, 404, 410})),
    ("unsubscribe link", "nudges:unsubscribe", frozenset({200, 400, 404})),
]


def _examples(count: int) -> settings:
    return settings(
        max_examples=max(20, int(count * FUZZ_SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_generated_form_data_never_breaks_or_half_saves(case, world):
    browser = world.client_for(case.who)

    @_examples(case.examples)
    @given(data=st.fixed_dictionaries({}, optional=case.fields))
    def submit(data):
        cache.clear()  # sign-in and sign-up limits per address would refuse most cases unread
        url = case.url(world)
        before = case.state(world)
        response = getattr(browser, case.method)(url, {**data, **case.extra})
        EXAMPLES[case.name] += 1
        STATUSES[case.name][response.status_code] += 1
        assert response.status_code in case.allowed, (url, data, response.status_code)
        if response.status_code != 302:
            assert case.state(world) == before, ("a rejected form stored something", data)

    submit()


@pytest.mark.parametrize("name, url_name, allowed", LINKS, ids=[link[0] for link in LINKS])
@pytest.mark.parametrize("who", ["", "bob"])
def test_tampered_links_never_break(name, url_name, allowed, who, world):
    browser = world.client_for(who)

    @_examples(300)
    @given(token=messy_text.filter(bool), method=st.sampled_from(["get", "post"]))
    def follow(token, method):
        before = _shares(world), _schedule(world)
        url = reverse(url_name, args=["x"]).replace("/x/", f"/{quote(token, safe='')}/")
        response = getattr(browser, method)(url)
        EXAMPLES[name] += 1
        STATUSES[name][response.status_code] += 1
        assert response.status_code in allowed, (url, response.status_code)
        assert (_shares(world), _schedule(world)) == before

    follow()
