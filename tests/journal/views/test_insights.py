import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import selectors
from tests.factories import ApologyFactory, BidFactory, GratitudeFactory, UserFactory

INSIGHTS_BUDGET = 8  # session, user, the counts, the practised days, tools and self-checks


def _facts(page: str) -> list[str]:
    """The lines under "Days practised", as the user reads them."""
    block = re.search(r'<ul class="progress-facts">(.*?)</ul>', page, re.S).group(1)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", block)]


def _summary(page: str, name: str) -> str:
    return re.search(rf'<p id="insights-{name}-summary">(.*?)</p>', page, re.S).group(1)


def _insights_page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("journal:insights")).content.decode()


def test_insights_show_days_practised_and_both_pictures(alice_client, alice):
    with time_machine.travel(datetime(2026, 3, 11, 12, 0, tzinfo=UTC), tick=False):
        GratitudeFactory(user=alice, day=date(2026, 3, 11))
        BidFactory(user=alice, day=date(2026, 3, 10), response="away")
        ApologyFactory(user=alice, day=date(2026, 3, 9))
        GratitudeFactory(user=alice, day=date(2026, 3, 2))
        page = alice_client.get(reverse("journal:insights")).content.decode()

    assert _facts(page) == [
        "Days practised this week: 3",
        "Days practised this month: 4",
    ]
    assert _summary(page, "calendar") == "Gratitude written on 2 days in the last 12 weeks."
    assert _summary(page, "chart") == (
        "This week so far: 1 positive moment and 1 negative one. That is 1 to 1. "
        "The target is 5 to 1."
    )
    assert 'role="img" aria-labelledby="insights-calendar-title insights-calendar-summary"' in page
    assert 'role="img" aria-labelledby="insights-chart-title insights-chart-summary"' in page
    assert '<tr><th scope="row">Mon 9 Mar</th><td>1</td><td>1</td><td>1 to 1</td></tr>' in page


def test_insights_count_days_in_each_users_own_time_zone(client, db):
    """At the same instant it is Monday evening in Auckland and Sunday night in Los Angeles."""
    auckland = UserFactory(time_zone="Pacific/Auckland")
    los_angeles = UserFactory(time_zone="America/Los_Angeles")
    for user in (auckland, los_angeles):
        GratitudeFactory(user=user, day=date(2026, 5, 30))
        GratitudeFactory(user=user, day=date(2026, 5, 31))

    with time_machine.travel(datetime(2026, 6, 1, 5, 0, tzinfo=UTC), tick=False):
        in_auckland = _insights_page(client, auckland)
        in_los_angeles = _insights_page(client, los_angeles)

    # Auckland: a new week and a new month have begun.
    assert _facts(in_auckland) == [
        "Days practised this week: 0",
        "Days practised this month: 0",
    ]
    # Los Angeles: still Sunday 31 May, so both days are this week and this month.
    assert _facts(in_los_angeles) == [
        "Days practised this week: 2",
        "Days practised this month: 2",
    ]


def test_no_run_is_counted_and_a_missed_day_is_never_called_a_failure(alice_client, alice):
    GratitudeFactory(user=alice, day=date(2026, 3, 9))
    GratitudeFactory(user=alice, day=date(2026, 3, 10))
    url = reverse("journal:insights")

    # Europe/London is on GMT until 29 March: local time equals UTC here.
    with time_machine.travel(datetime(2026, 3, 10, 23, 59, tzinfo=UTC), tick=False):
        before_midnight = alice_client.get(url).content.decode()
    with time_machine.travel(datetime(2026, 3, 11, 0, 1, tzinfo=UTC), tick=False):
        after_midnight = alice_client.get(url).content.decode()
    with time_machine.travel(datetime(2026, 3, 12, 0, 1, tzinfo=UTC), tick=False):
        day_missed = alice_client.get(url).content.decode()

    for page in (before_midnight, after_midnight):
        assert _facts(page) == ["Days practised this week: 2", "Days practised this month: 2"]
    assert _facts(day_missed) == ["Days practised this week: 2", "Days practised this month: 2"]
    for page in (before_midnight, after_midnight, day_missed):
        for words in ("streak", "broken", "failed", "missed", "run:", "every day you write"):
            assert words not in page.lower()


def test_weekly_chart_starts_a_new_week_at_local_midnight_on_monday(alice_client, alice):
    GratitudeFactory(user=alice, day=date(2026, 3, 15))  # Sunday
    BidFactory(user=alice, day=date(2026, 3, 15), response="against")
    url = reverse("journal:insights")

    with time_machine.travel(datetime(2026, 3, 15, 23, 59, tzinfo=UTC), tick=False):
        sunday = _summary(alice_client.get(url).content.decode(), "chart")
    with time_machine.travel(datetime(2026, 3, 16, 0, 1, tzinfo=UTC), tick=False):
        monday = _summary(alice_client.get(url).content.decode(), "chart")

    assert sunday == (
        "This week so far: 1 positive moment and 1 negative one. That is 1 to 1. "
        "The target is 5 to 1."
    )
    assert monday == (
        "This week so far: 0 positive moments and no negative ones. The target is 5 to 1."
    )


def test_local_today_follows_summer_time(alice, charlie):
    """00:30 on Monday 30 March in London (BST) is still Sunday 29 March in UTC."""
    charlie.time_zone = "UTC"
    charlie.save(update_fields=["time_zone"])
    for user in (alice, charlie):
        GratitudeFactory(user=user, day=date(2026, 3, 29))

    with time_machine.travel(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), tick=False):
        for_alice = selectors.insights_for(
            user=alice, kinds={"gratitude"}, today=alice.local_today()
        )
        for_charlie = selectors.insights_for(
            user=charlie, kinds={"gratitude"}, today=charlie.local_today()
        )

    assert (for_alice.today, for_alice.days_this_week) == (date(2026, 3, 30), 0)
    assert (for_charlie.today, for_charlie.days_this_week) == (date(2026, 3, 29), 1)


def test_insights_never_count_another_users_entries(alice_client, alice, charlie):
    GratitudeFactory.create_batch(3, user=charlie)
    BidFactory(user=charlie, response="away")

    page = alice_client.get(reverse("journal:insights")).content.decode()

    assert _facts(page) == ["Days practised this week: 0", "Days practised this month: 0"]
    assert _summary(page, "chart") == (
        "This week so far: 0 positive moments and no negative ones. The target is 5 to 1."
    )


def test_insights_for_shared_kinds_leaves_out_the_rest(alice):
    """What a therapist's view asks for: bids only, nothing private, nothing before a date."""
    today = alice.local_today()
    GratitudeFactory(user=alice, day=today)
    BidFactory(user=alice, day=today, response="toward")
    BidFactory(user=alice, day=today, response="away", is_private=True)
    BidFactory(user=alice, day=today - timedelta(days=1), response="against")

    shared = selectors.insights_for(
        user=alice, kinds={"bid"}, today=today, include_private=False, since=today
    )

    assert shared.calendar is None
    assert (shared.chart.this_week.positive, shared.chart.this_week.negative) == (1, 0)
    assert shared.days_this_week == 1


def test_insights_page_needs_login(client, db):
    response = client.get(reverse("journal:insights"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_insights_query_count_is_the_same_for_10_and_500_entries(
    alice_client, alice, django_assert_max_num_queries
):
    today = alice.local_today()
    for n in range(10):
        GratitudeFactory(user=alice, day=today - timedelta(days=n))
    with_10 = _queries_for(alice_client, reverse("journal:insights"))
    # 490 more, one a day further back.
    for n in range(10, 500):
        BidFactory(user=alice, day=today - timedelta(days=n), response="away")
    with django_assert_max_num_queries(INSIGHTS_BUDGET):
        with_500 = _queries_for(alice_client, reverse("journal:insights"))

    assert with_10 == with_500
    print(f"insights queries: {with_10} at 10 entries, {with_500} at 500")


def test_calendar_draws_one_square_per_day_so_far_marking_gratitude_and_today(alice_client, alice):
    with time_machine.travel(datetime(2026, 3, 11, 12, 0, tzinfo=UTC), tick=False):
        GratitudeFactory(user=alice, day=date(2026, 3, 11))
        GratitudeFactory(user=alice, day=date(2026, 3, 2))
        page = alice_client.get(reverse("journal:insights")).content.decode()

    squares = re.findall(r'<rect class="(cal-day[^"]*)"[^>]*><title>([^<]*)</title>', page)
    # Eleven whole weeks and this week up to Wednesday: 80 days, none in the future.
    assert len(squares) == 11 * 7 + 3
    assert squares[0] == ("cal-day", "Mon 22 Dec: no gratitude entry")
    assert [s for s in squares if s[0] != "cal-day"] == [
        ("cal-day practised", "Mon 2 Mar: gratitude written"),
        ("cal-day practised today", "Wed 11 Mar: gratitude written (today)"),
    ]
