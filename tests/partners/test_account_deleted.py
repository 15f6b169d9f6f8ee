"""When either person on a link deletes their account, the other is told only that the link
has ended, once, on their Today; nothing of the one who left stays behind."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import Appreciation, Link, PairAnswer, Plan
from tests.factories import PASSWORD, GratitudeFactory

from .conftest import make_link, page_text


def _delete_account(client, user) -> None:
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, follow=True)
    assert "Your account is deleted" in page_text(response)
    client.logout()


@pytest.mark.parametrize("leaver", ["alice", "dan"])
def test_the_other_is_told_only_that_the_link_has_ended(client, alice, dan, leaver):
    for user, name in ((alice, "Alisoun-leaving"), (dan, "Danforth-leaving")):
        user.display_name = name  # names no page's random nonce can spell
        user.save(update_fields=["display_name"])
    link = make_link(alice, dan, appreciation_on=True, plan_on=True)
    daily = services.question_for_link(link=link, day=alice.local_today())
    services.pair_answer(question=daily, user=alice, text="Her answer")
    services.pair_answer(question=daily, user=dan, text="His answer")
    services.appreciation_send(link=link, entry=GratitudeFactory(user=alice, moments="Soup"))
    services.plan_save(link=link, by=dan, text="Walk on Sunday")
    leaving, staying = (alice, dan) if leaver == "alice" else (dan, alice)

    _delete_account(client, leaving)

    client.force_login(staying)
    today = page_text(client.get("/"))
    assert "The link has ended." in today
    for gone in (leaving.display_name, leaving.email, "Her answer", "His answer", "Walk"):
        assert gone not in today
    assert staying == alice or "Soup" not in today  # Alice's own entry stays hers
    assert "The link has ended." not in page_text(client.get("/"))  # said once
    assert not PairAnswer.objects.exists()
    assert not Appreciation.objects.exists() and not Plan.objects.exists()
    # What is left is the other's ended link, holding nothing of the one who left.
    [kept] = Link.objects.all()
    assert kept.status == "ended" and kept.ended_tell is None
    assert leaving.pk not in (kept.reader_id, kept.partner_id)
    assert kept.invited_email == ""


def test_the_other_can_link_again_after_an_account_is_deleted(client, alice, dan):
    make_link(alice, dan)
    _delete_account(client, dan)
    client.force_login(alice)
    page = page_text(client.get(reverse("partners:link")))
    assert "Invite your partner" in page


def test_a_notice_still_waiting_outlives_the_account_of_the_one_who_ended(client, alice, dan):
    """Dan ended the link and left before Alice opened the app: she is still told."""
    link = make_link(alice, dan)
    services.link_end(link=link, by=dan)
    _delete_account(client, dan)
    client.force_login(alice)
    assert "The link has ended." in page_text(client.get("/"))


def test_a_waiting_invitation_goes_with_its_readers_account(client, alice):
    services.link_invite(reader=alice, email="dan@example.com")
    _delete_account(client, alice)
    assert not Link.objects.exists()


def test_an_unrelated_account_deletion_changes_no_link(client, alice, dan, charlie):
    link = make_link(alice, dan)
    _delete_account(client, charlie)
    link.refresh_from_db()
    assert link.status == "active"
