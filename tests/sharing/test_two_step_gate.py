"""A therapist opens no client's page without two-step login (accounts/two_step.py): every
page about a client, and the list of clients that is their home page, sends them to set it
up first, and back again. Clients are never asked."""

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils.http import urlencode

from sharing import urls as sharing_urls
from sharing.models import AccessLog, Comment, SessionNote, Share
from tests.factories import GratitudeFactory, TherapistFactory

from .conftest import make_share, text_of

GATE = reverse("accounts:two_step_required")


@pytest.fixture
def dora(db):
    """A therapist who has not set up two-step login."""
    return TherapistFactory(email="dora@example.com", display_name="Dora", two_step=False)


@pytest.fixture
def world(alice, bob, dora):
    """Alice shares everything with Bob (two-step on) and Dora (off); Dora has commented."""
    entry = GratitudeFactory(user=alice, moments="Made soup")
    make_share(alice, bob)
    make_share(alice, dora)
    comment = Comment.objects.create(entry=entry, author=dora, therapist=dora, body="Lovely.")
    note = SessionNote.objects.create(
        therapist=dora, client=alice, session_date=alice.local_today(), body="Dora's own."
    )
    return {
        "client_id": alice.pk,
        "entry_id": entry.pk,
        "comment_id": comment.pk,
        "note_id": note.pk,
    }


def _client_pages(world) -> list[str]:
    """Every address under sharing/ about one client: the therapist's pages and forms."""
    patterns = [p for p in sharing_urls.urlpatterns if isinstance(p, URLPattern)]
    return [
        reverse(f"sharing:{p.name}", kwargs={k: world[k] for k in p.pattern.converters})
        for p in patterns
        if "client_id" in p.pattern.converters
    ]


def _open(browser: Client, url: str):
    """GET the page; a form's address, which answers only POST, is posted to instead."""
    response = browser.get(url)
    return browser.post(url) if response.status_code == 405 else response


def test_every_client_page_sends_a_therapist_without_two_step_to_set_it_up(client, dora, world):
    client.force_login(dora)
    pages = _client_pages(world)
    assert len(pages) == 13  # a new client page is in this list without anyone adding it

    for url in [*pages, reverse("sharing:clients"), reverse("home")]:
        response = _open(client, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(GATE + "?next="), url

    assert AccessLog.objects.filter(therapist=dora).count() == 0  # nothing was read
    assert Comment.objects.filter(author=dora).count() == 1  # nor written or deleted
    assert Share.objects.filter(therapist=dora, status=Share.Status.ACTIVE).count() == 1
    assert SessionNote.objects.filter(therapist=dora).count() == 1


def test_the_gate_remembers_the_page_or_after_a_form_the_clients_journal(client, dora, world):
    client.force_login(dora)
    journal = reverse("sharing:client_journal", args=[world["client_id"]])
    insights = reverse("sharing:client_insights", args=[world["client_id"]])
    comment = reverse("sharing:comment_create", args=[world["client_id"], world["entry_id"]])

    assert client.get(insights + "?x=1")["Location"] == GATE + "?" + urlencode(
        {"next": insights + "?x=1"}
    )
    assert client.post(comment, {"body": "Hi"})["Location"] == GATE + "?" + urlencode(
        {"next": journal}
    )


def test_an_htmx_request_is_sent_to_the_gate_as_a_whole_page(client, dora, world):
    client.force_login(dora)
    url = reverse("sharing:client_journal", args=[world["client_id"]])

    response = client.get(url, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == GATE + "?" + urlencode({"next": url})


def test_a_therapist_with_an_authenticator_app_gets_through(bob_client, world):
    for url in [
        reverse("home"),
        reverse("sharing:clients"),
        reverse("sharing:client_journal", args=[world["client_id"]]),
        reverse("sharing:client_insights", args=[world["client_id"]]),
    ]:
        assert bob_client.get(url).status_code == 200, url


def test_a_therapist_with_two_step_gets_404_for_someone_elses_client(client, world):
    """Two-step login opens only the clients who share with the therapist."""
    stranger = TherapistFactory(email="sam@example.com")
    client.force_login(stranger)

    response = client.get(reverse("sharing:client_journal", args=[world["client_id"]]))

    assert response.status_code == 404


def test_a_client_is_never_asked_for_two_step(alice_client, world):
    for url in [reverse("home"), reverse("sharing:index"), reverse("journal:timeline")]:
        assert alice_client.get(url).status_code == 200, url
    # A client who opens the therapist's list sees an empty list, not the gate.
    assert alice_client.get(reverse("sharing:clients")).status_code == 200


def test_a_new_therapists_home_calls_it_two_step_login_as_its_pages_do(client, dora):
    client.force_login(dora)

    page = text_of(client.get(reverse("home")).content.decode())

    assert (
        "Before you open a client's pages, Closer asks you for two-step login, as their "
        "journal is private. Set it up now" in page
    )
