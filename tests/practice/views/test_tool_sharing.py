"""The tools' entries reach a therapist only under their own scope, off until turned on;
and what Today can suggest from them."""

from datetime import time

from django.urls import reverse

from nudges import weekly
from practice import selectors
from tests.factories import CheckInFactory, RungFactory
from tests.sharing.conftest import make_share


def test_a_check_in_is_hidden_from_bob_until_its_scope_is_on(client, alice, bob):
    client.force_login(bob)
    entry = CheckInFactory(user=alice, went_well="Pancakes on Sunday")
    share = make_share(alice, bob)  # gratitude, bids and apologies: the defaults
    url = reverse("sharing:client_entry", args=[alice.pk, entry.pk])

    assert client.get(url).status_code == 404
    share.share_check_ins = True
    share.save(update_fields=["share_check_ins"])
    page = client.get(url).content.decode()
    assert "Pancakes on Sunday" in page


def test_a_new_share_leaves_the_tools_unticked(alice_client):
    page = alice_client.get(reverse("sharing:index")).content.decode()

    for name in ("share_check_ins", "share_four_abilities", "share_love_languages", "share_ladder"):
        assert f'name="{name}"' in page
        assert f'name="{name}" id="id_{name}" checked' not in page
        assert f'name="{name}" checked' not in page


def test_next_rung_is_the_easiest_not_done(alice):
    RungFactory(user=alice, position=1, done_on=alice.local_today())
    second = RungFactory(user=alice, position=2)
    RungFactory(user=alice, position=3)

    assert selectors.next_rung(alice) == second


def test_the_check_in_is_offered_on_its_day_until_done(alice):
    today = alice.local_today()
    weekly.reminder_update(user=alice, enabled=True, weekday=today.weekday(), local_time=time(9))

    assert selectors.check_in_today(alice) is True
    CheckInFactory(user=alice)
    assert selectors.check_in_today(alice) is False
