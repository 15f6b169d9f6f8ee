"""When a break ends, in the user's own zone; a day at most; never at a time that does not exist."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal.models import Entry
from practice import breaks
from practice.kinds import WentBack
from tests.factories import BreakFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)  # 18:05 in London


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("in_20_minutes", datetime(2026, 12, 1, 18, 25, tzinfo=UTC)),
        ("in_1_hour", datetime(2026, 12, 1, 19, 5, tzinfo=UTC)),
        ("this_evening", datetime(2026, 12, 1, 19, 0, tzinfo=UTC)),
        ("tomorrow", datetime(2026, 12, 2, 18, 5, tzinfo=UTC)),
    ],
)
def test_each_quick_choice_gives_a_return_within_a_day(choice, expected):
    assert breaks.return_at(choice, now=NOW, zone=LONDON) == expected


def test_a_chosen_time_is_read_in_the_users_zone():
    chosen = datetime(2026, 12, 2, 8, 0)  # it is 23:35 in Kolkata now
    at = breaks.return_at("choose", now=NOW, zone=ZoneInfo("Asia/Kolkata"), chosen=chosen)
    assert at == datetime(2026, 12, 2, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("chosen", "problem"),
    [
        (datetime(2026, 12, 1, 17, 0), "That time has already passed."),
        (datetime(2026, 12, 2, 18, 30), "A break is a pause with a return in it, not a way out"),
        (None, "Pick the day and time you will come back."),
    ],
)
def test_a_chosen_time_in_the_past_or_more_than_a_day_away_is_refused(chosen, problem):
    with pytest.raises(breaks.NotAReturn, match=problem):
        breaks.return_at("choose", now=NOW, zone=LONDON, chosen=chosen)


def test_a_time_the_clocks_skip_is_refused():
    before_the_change = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 00:30 in London
    with pytest.raises(breaks.NotAReturn, match="the clocks go forward then"):
        breaks.return_at(
            "choose", now=before_the_change, zone=LONDON, chosen=datetime(2026, 3, 29, 1, 30)
        )


def test_a_break_across_the_clock_change_lasts_the_hour_it_says():
    before_the_change = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    at = breaks.return_at("in_1_hour", now=before_the_change, zone=LONDON)
    assert at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 02:30 on London's new clock
    assert breaks.when_words(at, now=before_the_change, zone=LONDON) == "02:30"


def test_this_evening_is_refused_once_it_is_evening():
    with pytest.raises(breaks.NotAReturn, match="It is already evening"):
        breaks.return_at("this_evening", now=datetime(2026, 12, 1, 18, 45, tzinfo=UTC), zone=LONDON)


def test_the_message_says_the_time_on_the_24_hour_clock_as_every_page_does():
    assert (
        breaks.when_words(datetime(2026, 12, 1, 20, 0, tzinfo=UTC), now=NOW, zone=LONDON) == "20:00"
    )
    assert (
        breaks.when_words(datetime(2026, 12, 2, 9, 15, tzinfo=UTC), now=NOW, zone=LONDON)
        == "09:15 tomorrow"
    )
    assert breaks.messages_for("20:00")[0] == (
        "I need a break to calm down, so I don't say something unfair. I'm not leaving. "
        "I'll come back to this at 20:00."
    )


@pytest.mark.django_db
def test_a_break_is_over_in_the_database_exactly_when_it_is_over_on_its_page():
    now = timezone.now()
    states = [
        (now + timedelta(hours=1), ""),  # on
        (now, ""),  # its return time now
        (now - timedelta(minutes=1), ""),  # ended, not answered yet
        (now + timedelta(hours=1), WentBack.YES),  # came back early
        (now - timedelta(hours=1), WentBack.NO),  # ended, answered
    ]
    made = [BreakFactory(return_at=at, went_back=went) for at, went in states]
    over_in_database = set(Entry.objects.filter(breaks.over(now=now)).values_list("pk", flat=True))

    assert [breaks.is_over(entry, now=now) for entry in made] == [False, True, True, True, True]
    assert over_in_database == {entry.pk for entry in made if breaks.is_over(entry, now=now)}
