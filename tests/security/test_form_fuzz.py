"""Hypothesis throws generated form data at every form: never a 500, nothing stored from a
rejected form.

The full drill (scripts/drills, FUZZ_SCALE=1) runs over 10,000 cases; the everyday suite runs a
twentieth of them.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from journal.models import Entry
from tests.factories import ApologyFactory, BidFactory, GratitudeFactory

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


def choice_or_junk(*valid: str):
    return st.one_of(st.sampled_from(valid), messy_text)


@dataclass
class FormCase:
    name: str
    url: Callable[[User, User], str]
    fields: dict
    count: Callable[[User], int]
    examples: int
    extra: dict = field(default_factory=dict)


def _entries(user: User) -> int:
    return Entry.with_deleted.filter(user=user).count()


def _own_bid(alice: User, _charlie: User) -> str:
    return reverse("journal:entry_edit", args=[BidFactory(user=alice).pk])


def _own_apology_status(alice: User, _charlie: User) -> str:
    return reverse("journal:apology_status", args=[ApologyFactory(user=alice).pk])


def _others_entry(_alice: User, charlie: User) -> str:
    return reverse("journal:entry_edit", args=[GratitudeFactory(user=charlie).pk])


CASES = [
    FormCase(
        "gratitude",
        lambda a, c: reverse("journal:gratitude_new"),
        {
            "day": dates,
            "moment_kinds": choice_or_junk("caring", "funny", "helpful", "small"),
            "moments": messy_text,
            "why": messy_text,
            "told_partner": messy_text,
            "is_private": messy_text,
            "lesson_slug": messy_text,
        },
        _entries,
        examples=2000,
    ),
    FormCase(
        "bid",
        lambda a, c: reverse("journal:bid_new"),
        {
            "day": dates,
            "made_by": choice_or_junk("me", "partner"),
            "what": messy_text,
            "response": choice_or_junk("toward", "away", "against"),
            "at_time": messy_text,
            "note": messy_text,
            "is_private": messy_text,
        },
        _entries,
        examples=2000,
    ),
    FormCase(
        "apology",
        lambda a, c: reverse("journal:apology_new"),
        {
            "day": dates,
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
        {
            "status": choice_or_junk("draft", "given", "followed_up"),
            "follow_up": messy_text,
        },
        _entries,
        examples=500,
    ),
    FormCase(
        "someone else's entry",
        _others_entry,
        {
            "day": dates,
            "moments": messy_text,
        },
        _entries,
        examples=500,
    ),
    FormCase(
        "profile",
        lambda a, c: reverse("accounts:profile"),
        {
            "display_name": messy_text,
            "time_zone": choice_or_junk("Europe/Paris", "Asia/Kolkata"),
        },
        lambda user: User.objects.filter(pk=user.pk, display_name="Alice").count(),
        examples=1000,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_generated_form_data_never_breaks_or_half_saves(case, client, alice, charlie):
    client.force_login(alice)

    @settings(
        max_examples=max(20, int(case.examples * FUZZ_SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.fixed_dictionaries({}, optional=case.fields))
    def post(data):
        url = case.url(alice, charlie)
        before = case.count(alice)
        response = client.post(url, {**data, **case.extra})
        assert response.status_code in {200, 302, 404}, (url, data, response.status_code)
        if response.status_code != 302:
            assert case.count(alice) == before, ("a rejected form stored something", data)

    post()
