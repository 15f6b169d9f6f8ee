from django.urls import reverse

from tests.factories import BidFactory, GratitudeFactory


def test_after_the_quick_gratitude_today_offers_to_tell_them(alice_client, alice):
    response = alice_client.post(
        reverse("journal:gratitude_new"),
        {"day": alice.local_today().isoformat(), "moments": "Fixed my bike", "why": "So kind"},
        follow=True,
    )

    page = response.content.decode()
    assert 'data-share-text="Fixed my bike\n\nSo kind"' in page
    assert ">I told them</button>" in page


def test_marking_told_shows_on_the_entry(alice_client, alice):
    entry = GratitudeFactory(user=alice, told_partner=False)

    response = alice_client.post(reverse("journal:entry_told", args=[entry.pk]), follow=True)

    entry.refresh_from_db()
    assert entry.told_partner is True
    assert "<dt>Told them</dt><dd>Yes</dd>" in response.content.decode()


def test_only_gratitude_can_be_marked_told(alice_client, alice):
    bid = BidFactory(user=alice)

    response = alice_client.post(reverse("journal:entry_told", args=[bid.pk]), follow=True)

    assert "Only a gratitude entry can be marked as told." in response.content.decode()
