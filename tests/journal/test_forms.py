from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from journal.forms import FORMS
from journal.models import Entry
from tests.conftest import too_long


def _form(kind, user, data):
    return FORMS[kind](data, user=user, instance=Entry(user=user, kind=kind))


@time_machine.travel(datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
def test_future_day_is_judged_in_the_users_own_time_zone(alice):
    """At 23:30 UTC it is already the 26th in Auckland but still the 25th in London."""
    alice.time_zone = "Pacific/Auckland"
    ok = _form("gratitude", alice, {"day": "2026-11-26", "moments": "Called me"})
    assert ok.is_valid(), ok.errors

    alice.time_zone = "Europe/London"
    del alice.zone  # cached on the user
    late = _form("gratitude", alice, {"day": "2026-11-26", "moments": "Called me"})
    assert late.errors["day"] == ["That day hasn't happened yet. Pick today or an earlier day."]


def test_gratitude_needs_a_tap_or_some_words(alice):
    form = _form("gratitude", alice, {"day": "2026-01-02"})

    assert form.errors["moments"] == ["Tap what they did, or write a few words about it."]


def test_gratitude_refuses_an_unknown_moment_kind(alice):
    form = _form("gratitude", alice, {"day": "2026-01-02", "moment_kinds": ["sneaky"]})

    assert form.errors["moment_kinds"] == [
        "Select a valid choice. sneaky is not one of the available choices."
    ]


def test_bid_response_must_be_one_of_the_three(alice):
    data = {"day": "2026-01-02", "made_by": "partner", "what": "A hug", "response": "sideways"}
    form = _form("bid", alice, data)

    assert form.errors["response"] == [
        "Select a valid choice. sideways is not one of the available choices."
    ]


def test_overlong_text_is_refused_with_the_limit(alice):
    data = {"day": "2026-01-02", "made_by": "me", "what": "x" * 3001, "response": "toward"}
    form = _form("bid", alice, data)

    assert form.errors["what"] == [too_long(3_000, 3_001)]


def test_apology_needs_all_three_steps(alice):
    data = {
        "day": "2026-01-02",
        "acknowledgement": "I'm sorry I snapped",
        "empathy": "",
        "status": "draft",
    }
    form = _form("apology", alice, data)

    assert form.errors["empathy"] == ["Write how it made them feel: step 2 needs a line."]
    assert form.errors["reassurance"] == ["Write at least one part of step 3 before saving."]


def test_a_valid_bid_cleans_to_service_arguments(alice):
    data = {
        "day": "2026-01-02",
        "made_by": "partner",
        "what": "Asked about my day",
        "response": "away",
        "note": "Put my phone down",
        "at_time": "19:05",
    }
    form = _form("bid", alice, data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 1, 2)
    assert form.cleaned_data["response"] == "away"


@time_machine.travel(datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
def test_a_new_entry_form_starts_on_the_users_today(alice):
    alice.time_zone = "Pacific/Auckland"
    for kind, form_class in FORMS.items():
        form = form_class(user=alice, instance=Entry(user=alice, kind=kind))

        assert 'name="day" value="2026-11-26"' in str(form["day"])
