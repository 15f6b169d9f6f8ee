"""A therapist's home: their clients first, their own practice below; each role apart."""

import re

from django.urls import reverse

from accounts import services as account_services
from sharing.models import AccessLog
from tests.factories import GratitudeFactory, LessonFactory

from .conftest import make_share, text_of


def nav(html: str) -> str:
    return text_of(re.search(r'<nav aria-label="Main">.*?</nav>', html, re.S).group(0))


def test_a_therapist_lands_on_their_clients_with_their_own_practice_below(bob_client, alice, bob):
    make_share(alice, bob)
    GratitudeFactory(user=alice)
    LessonFactory(title="Noticing")

    html = bob_client.get(reverse("home")).content.decode()

    page = text_of(html)
    assert nav(html).startswith("Clients Inbox Lessons Journal Sharing Profile")
    assert page.index("Your clients") < page.index("Alice") < page.index("Your own practice")
    assert "New since your last visit 1" in page
    assert "Prepare a session with Alice" in page
    assert "Continue your lessons: Noticing" in page
    assert AccessLog.objects.get().what.startswith("Your name in their list of clients")


def test_a_client_keeps_today_as_home(alice_client):
    html = alice_client.get(reverse("home")).content.decode()

    assert nav(html).startswith("Today Practice Lessons Journal Sharing Profile")
    assert "Your clients" not in text_of(html)


def test_a_therapist_who_is_also_a_client_sees_each_role_apart(client, alice, bob, therapist):
    """Bob reads Alice's journal and shares his own with Tess."""
    make_share(alice, bob)
    make_share(bob, therapist)
    GratitudeFactory(user=alice, moments="Alice made soup")
    GratitudeFactory(user=bob, moments="Bob walked alone")

    client.force_login(bob)
    bob_home = text_of(client.get(reverse("home")).content.decode())
    bob_sharing = text_of(client.get(reverse("sharing:index")).content.decode())
    bob_journal = text_of(client.get(reverse("journal:timeline")).content.decode())
    client.force_login(therapist)
    tess_home = text_of(client.get(reverse("home")).content.decode())
    tess_reads_alice = client.get(reverse("sharing:client_journal", args=[alice.pk]))
    tess_reads_bob = text_of(client.get(reverse("sharing:session", args=[bob.pk])).content.decode())

    assert "Alice" in bob_home and "Tess" not in bob_home
    assert "Who can see your journal Tess" in bob_sharing
    assert "Bob walked alone" in bob_journal and "Alice made soup" not in bob_journal
    assert "Bob" in tess_home and "Alice" not in tess_home
    assert tess_reads_alice.status_code == 404
    assert "Bob walked alone" in tess_reads_bob and "Alice made soup" not in tess_reads_bob


def test_a_client_who_deletes_their_account_leaves_the_dashboard_at_once(bob_client, alice, bob):
    make_share(alice, bob)
    assert "Alice" in text_of(bob_client.get(reverse("home")).content.decode())

    account_services.account_delete(user=alice)

    page = text_of(bob_client.get(reverse("home")).content.decode())
    assert "Alice" not in page
    assert "Nobody shares a journal with you at the moment." in page


def test_each_visit_to_the_therapists_home_is_logged(bob_client, alice, bob):
    make_share(alice, bob)

    bob_client.get(reverse("home"))
    bob_client.get(reverse("home"))

    assert list(AccessLog.objects.values_list("daily", "count")) == [(True, 2)]
