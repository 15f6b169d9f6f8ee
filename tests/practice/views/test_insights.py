"""The tools' own pictures on the journal's insights page (practice.selectors' cards)."""

from django.urls import reverse

from journal.models import Entry
from tests.factories import BreakFactory, UrgeFactory


def test_insights_show_urges_breaks_and_what_helped_without_blame(alice_client, alice):
    UrgeFactory(user=alice, strength=6, helped=["moving", "talking"])
    UrgeFactory(user=alice, strength=9, helped=["moving"])
    BreakFactory(user=alice, went_back="yes")
    BreakFactory(user=alice, went_back="no")
    assert Entry.objects.count() == 4

    page = alice_client.get(reverse("journal:insights")).content.decode()

    assert (
        "2 urges to leave logged in the last 8 weeks. What helped most: moving my body. "
        "2 breaks taken; you went back after 1."
    ) in page
    assert "<td>2</td><td>7.5</td>" in page
    assert "<li>Moving my body: 2</li>" in page
