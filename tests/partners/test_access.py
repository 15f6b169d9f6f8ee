"""Charlie, a stranger to the link, gets nothing from any of its pages; Today shows at once
what the other person just did."""

import pytest
from django.core import mail
from django.urls import reverse

from partners import services
from partners.models import Appreciation, Link
from tests.factories import GratitudeFactory

from .conftest import make_link, page_text


@pytest.fixture
def full_link(alice, dan) -> Link:
    return make_link(
        alice, dan, breaks_on=True, appreciation_on=True, plan_on=True, partner_notices=True
    )


def test_charlie_gets_404_or_nothing_from_every_page_of_the_link(client, charlie, full_link):
    entry = GratitudeFactory(user=full_link.reader)
    sent = services.appreciation_send(link=full_link, entry=entry)
    services.plan_save(link=full_link, by=full_link.reader, text="Secret plan")
    client.force_login(charlie)
    for name, args in [
        ("partners:question", []),
        ("partners:plan", []),
        ("partners:appreciation_react", [sent.pk]),
        ("partners:appreciation_send", [entry.pk]),
        ("partners:switches", []),
        ("partners:notices", []),
    ]:
        method = client.get if name in ("partners:question", "partners:plan") else client.post
        assert method(reverse(name, args=args)).status_code == 404, name
    client.post(reverse("partners:end"))
    full_link.refresh_from_db()
    assert full_link.status == "active"
    page = page_text(client.get(reverse("partners:link")))
    assert "Secret plan" not in page and "Alice" not in page
    assert Appreciation.objects.get().reaction == ""


def test_appreciation_shows_on_the_partners_today_at_once(client, alice, dan):
    link = make_link(alice, dan, appreciation_on=True)
    client.force_login(dan)
    assert "From Alice" not in page_text(client.get("/"))
    services.appreciation_send(link=link, entry=GratitudeFactory(user=alice, moments="Tea!"))
    assert "Tea!" in page_text(client.get("/"))


def test_invitations_are_limited_to_five_an_hour(alice_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            response = alice_client.post(
                reverse("partners:invite"), {"email": f"p{n}@example.com"}, follow=True
            )
    assert "That is five invitations this hour. Try again later." in page_text(response)
    assert len(mail.outbox) == 5
    assert Link.objects.filter(status="invited").get().invited_email == "p4@example.com"
