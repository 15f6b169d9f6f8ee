"""The tools' own pictures on the journal's insights page (practice.selectors' cards)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from journal.models import Entry
from tests.factories import BreakFactory, UrgeFactory


def test_insights_show_urges_breaks_and_what_helped_without_blame(alice_client, alice):
    UrgeFactory(user=alice, strength=6, helped=["moving", "talking"])
    UrgeFactory(user=alice, strength=9, helped=["moving"])
    ended = timezone.now() - timedelta(hours=1)
    BreakFactory(user=alice, return_at=ended, went_back="yes")
    BreakFactory(user=alice, return_at=ended, went_back="no")
    assert Entry.objects.count() == 4

    page = alice_client.get(reverse("journal:insights")).content.decode()

    assert (
        "2 urges to leave logged in the last 8 weeks. What helped most: moving my body. "
        "2 breaks taken; you went back after 1."
    ) in page
    assert "<td>2</td><td>7.5</td>" in page
    assert "<li>Moving my body: 2</li>" in page


def test_insights_count_only_breaks_that_ran_their_course(alice_client, alice):
    ended = timezone.now() - timedelta(hours=1)
    BreakFactory(user=alice, return_at=ended, went_back="yes")
    BreakFactory(user=alice, return_at=ended, called_off_at=ended - timedelta(minutes=30))
    BreakFactory(user=alice)  # still running

    page = alice_client.get(reverse("journal:insights")).content.decode()

    assert "1 break taken; you went back after 1." in page


def test_the_strength_line_and_its_key_wait_for_a_second_week(alice_client, alice):
    today = alice.local_today()
    UrgeFactory(user=alice, day=today, strength=6)
    key = "how strong, on average, from 1 to 10"

    page = alice_client.get(reverse("journal:insights")).content.decode()
    assert "1 urge to leave logged" in page
    assert key not in page
    assert "strength-line" not in page

    UrgeFactory(user=alice, day=today - timedelta(weeks=1), strength=8)
    page = alice_client.get(reverse("journal:insights")).content.decode()
    assert key in page
    assert 'class="strength-line"' in page
