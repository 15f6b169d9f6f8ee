"""A therapist who deletes their account: the client's shares with them end."""

import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from sharing.forms import InviteForm
from sharing.models import Share

from .conftest import NOW, make_share, text_of


@time_machine.travel(NOW, tick=False)
def test_the_share_ends_when_the_therapist_deletes_their_account(alice, bob, therapist):
    share = make_share(alice, bob)
    other = make_share(alice, therapist)

    account_services.account_delete(user=bob)

    share.refresh_from_db()
    assert (share.therapist, share.status, share.ended_at) == (None, "ended", timezone.now())
    other.refresh_from_db()
    assert (other.status, other.ended_at) == ("active", None)


def test_the_client_sees_it_ended_and_can_invite_the_address_again(alice_client, alice, bob):
    make_share(alice, bob)

    account_services.account_delete(user=bob)

    page = text_of(alice_client.get(reverse("sharing:index")).content.decode())
    assert "bob@example.com" in page
    assert Share.objects.filter(status="active").count() == 0
    form = InviteForm(
        {"email": "bob@example.com", "shared_from": alice.local_today(), "share_gratitude": "on"},
        client=alice,
        instance=Share(client=alice),
    )
    assert form.is_valid(), form.errors
