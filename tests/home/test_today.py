from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.models import Entry
from tests.factories import (
    ApologyFactory,
    BidFactory,
    BreakFactory,
    GratitudeFactory,
    RungFactory,
)


def test_home_says_how_many_days_were_practised_this_week_and_links_insights(alice_client, alice):
    GratitudeFactory(user=alice, day=date(2026, 3, 9))  # Monday
    GratitudeFactory(user=alice, day=date(2026, 3, 9))
    BidFactory(user=alice, day=date(2026, 3, 10))
    ApologyFactory(user=alice, day=date(2026, 3, 8))  # Sunday: last week

    with time_machine.travel(datetime(2026, 3, 11, 8, 0, tzinfo=UTC), tick=False):
        page = alice_client.get(reverse("home")).content.decode()

    assert "<p>Days practised this week: 2</p>" in page
    assert (
        f'<p class="link-line"><a href="{reverse("journal:insights")}">See your insights</a></p>'
    ) in page


def test_home_puts_the_quick_gratitude_form_in_the_page_not_the_title(alice_client, alice):
    page = alice_client.get(reverse("home")).content.decode()

    assert "<title>Today · Closer</title>" in page
    assert page.index('<main id="main">') < page.index('data-draft-key="new-gratitude-quick"')


def test_timeline_links_insights_print_and_both_downloads(alice_client, alice):
    page = alice_client.get(reverse("journal:timeline")).content.decode()

    for name in ("journal:insights", "journal:print", "journal:export_json", "journal:export_csv"):
        assert f'href="{reverse(name)}"' in page


def test_home_offers_to_continue_with_the_next_lesson(alice_client, alice):
    from django.core.management import call_command
    from django.urls import reverse

    from lessons.models import Lesson
    from lessons.services import progress_mark_done

    call_command("load_lessons", verbosity=0)
    first, second = Lesson.objects.order_by("position")[:2]
    progress_mark_done(user=alice, lesson=first)
    alice_client.post(reverse("practice:question_skip"))  # today's question comes first

    page = alice_client.get(reverse("home")).content.decode()

    assert f'<h2 id="next-step-title">{second.title}</h2>' in page
    assert f'href="{second.get_absolute_url()}">Continue</a>' in page


def test_home_lists_ten_of_todays_entries_and_links_to_the_rest(alice_client, alice):
    from django.urls import reverse

    from tests.factories import GratitudeFactory

    for n in range(12):
        GratitudeFactory(user=alice, moments=f"Moment number {n:02d}")

    page = alice_client.get(reverse("home")).content.decode()

    assert page.count('class="entry-card') == 10
    assert "Moment number 11" in page and "Moment number 01" not in page
    assert "See all of today's entries in your journal" in page


def test_first_screen_holds_gratitude_one_next_step_and_the_two_doors(alice_client, alice):
    from django.urls import reverse

    page = alice_client.get(reverse("home")).content.decode()

    first_screen = page[: page.index('id="more-title"')]
    assert first_screen.count('class="card next-step"') == 1
    assert 'id="quick-title">Today, my partner was…</h2>' in first_screen
    assert (
        f'<a class="button secondary" href="{reverse("practice:break_new")}">I need a break</a>'
        in first_screen
    )
    assert (
        f'<a class="button secondary" href="{reverse("journal:urge_new")}">I want out</a>'
        in first_screen
    )
    assert first_screen.count('class="button') == 4  # save, the next step and the two doors


def test_a_break_that_has_ended_asks_whether_you_went_back_unless_it_was_called_off(
    alice_client, alice
):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from journal import services
    from practice import services as practice_services
    from tests.factories import BreakFactory

    ended = BreakFactory(user=alice, return_at=timezone.now() - timedelta(minutes=5))
    page = alice_client.get(reverse("home")).content.decode()
    assert '<h2 id="next-step-title">Did you go back?</h2>' in page

    # Never scheduled here: there is nothing to cancel.
    practice_services.break_cancel(entry=ended, now=timezone.now())
    services.entry_mark(entry=ended, went_back="later")
    page = alice_client.get(reverse("home")).content.decode()
    assert "Did you go back?" not in page


def test_today_shows_a_running_break_in_local_time_with_its_buttons(client, db):
    from journal.models import Entry
    from tests.factories import UserFactory

    berta = UserFactory(email="berta@example.com", time_zone="Europe/Berlin")
    client.force_login(berta)
    with time_machine.travel(datetime(2026, 12, 1, 18, 5, tzinfo=UTC), tick=False):
        client.post(reverse("practice:break_new"), {"choice": "in_1_hour"})
        page = client.get(reverse("home")).content.decode()
    entry = Entry.objects.get(user=berta)

    assert "You said you would be back at 20:05. Closer will remind you then." in page
    for name in ("practice:break_back_early", "practice:break_cancel"):
        action = reverse(name, args=[entry.pk])
        assert f'<form method="post" action="{action}" class="inline-form">' in page
    assert '<button type="submit" class="button">I\'m back</button>' in page
    assert '<button type="submit" class="button secondary">Call the break off</button>' in page


def test_during_a_break_today_offers_that_break_not_a_new_one(alice_client, alice):
    with time_machine.travel(datetime(2026, 12, 1, 18, 5, tzinfo=UTC), tick=False):
        alice_client.post(reverse("practice:break_new"), {"choice": "in_1_hour"})
        page = alice_client.get(reverse("home")).content.decode()
    entry = Entry.objects.get(user=alice)

    assert ">I need a break</a>" not in page
    assert f'href="{reverse("practice:break_new")}"' not in page
    assert (
        f'<a class="button secondary" href="{reverse("journal:entry_detail", args=[entry.pk])}">'
        "Open your break</a>"
    ) in page
    assert (
        f'<a class="button secondary" href="{reverse("journal:urge_new")}">I want out</a>' in page
    )


def test_today_says_a_break_has_ended_when_its_time_is_up(alice_client, alice):
    start = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        alice_client.post(reverse("practice:break_new"), {"choice": "in_20_minutes"})
        assert "You are on a break" in alice_client.get(reverse("home")).content.decode()

    with time_machine.travel(start + timedelta(minutes=21), tick=False):
        page = alice_client.get(reverse("home")).content.decode()

    assert "You are on a break" not in page
    assert '<h2 id="next-step-title">Did you go back?</h2>' in page


def test_today_offers_the_next_rung_and_the_check_in_on_its_day(alice_client, alice):
    from nudges.models import CheckInReminder
    from tests.factories import RungFactory

    RungFactory(user=alice, rung_text="Tell Sam I was nervous", position=1)
    CheckInReminder.objects.create(user=alice, weekday=2)  # Wednesday
    with time_machine.travel(datetime(2026, 3, 11, 8, 0, tzinfo=UTC), tick=False):  # Wednesday
        page = alice_client.get(reverse("home")).content.decode()
    with time_machine.travel(datetime(2026, 3, 12, 8, 0, tzinfo=UTC), tick=False):
        thursday = alice_client.get(reverse("home")).content.decode()

    ladder = f'<li><a href="{reverse("practice:ladder")}">Next on your ladder</a>'
    assert ladder + "<span>Tell Sam I was nervous</span></li>" in page
    check_in = f'<li><a href="{reverse("practice:check_in_new")}">Your weekly check-in</a>'
    assert check_in in page
    assert check_in not in thursday


def test_today_asks_as_many_queries_with_a_break_a_rung_and_a_full_day_as_with_nothing(
    alice_client, alice, django_assert_max_num_queries
):
    alice_client.get(reverse("home"))
    with CaptureQueriesContext(connection) as nothing:
        alice_client.get(reverse("home"))
    BreakFactory(user=alice, day=alice.local_today())
    RungFactory(user=alice, rung_text="Tell Sam I was nervous")
    GratitudeFactory.create_batch(12, user=alice, day=alice.local_today())

    with django_assert_max_num_queries(len(nothing)):
        page = alice_client.get(reverse("home")).content.decode()

    assert "You are on a break" in page
    assert "<span>Tell Sam I was nervous</span>" in page
    assert "See all of today's entries in your journal" in page


def test_today_leaves_out_what_does_not_apply(alice_client):
    page = alice_client.get(reverse("home")).content.decode()

    assert "You are on a break" not in page
    assert "Also for you now" not in page


def test_today_asks_one_query_for_invitations_unless_some_wait(
    alice_client, alice, bob, charlie, django_assert_num_queries
):
    from sharing import services

    alice_client.get(reverse("home"))
    with CaptureQueriesContext(connection) as nothing:
        alice_client.get(reverse("home"))
    services.client_invite(therapist=bob, email="alice@example.com")
    services.share_invite(
        client=charlie, email="ALICE@example.com", shared_from=date(2026, 1, 1), share_bids=True
    )

    with django_assert_num_queries(len(nothing) + 2):  # one for each kind that waits
        page = alice_client.get(reverse("home")).content.decode()

    asked = [q for q in nothing if "invitation" in q["sql"] or "emailaddress" in q["sql"]]
    assert len(asked) == 1
    assert "Bob invites you to share your journal" in page
    assert "Charlie invites you to read their journal" in page
