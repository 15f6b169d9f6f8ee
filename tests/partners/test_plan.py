from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from partners.models import Plan

from .conftest import make_link, page_text


def test_the_plan_agreed_together_shows_to_both_until_the_next_check_in(client, alice, dan):
    make_link(alice, dan, plan_on=True)
    client.force_login(alice)
    together = page_text(client.get(reverse("practice:check_in_together")))
    assert "Write the plan for both of you" in together
    response = client.post(reverse("partners:plan"), {"text": "Walk by the river on Sunday"})
    assert response.status_code == 302
    client.force_login(dan)
    assert "Walk by the river on Sunday" in page_text(client.get("/"))
    assert "Walk by the river on Sunday" in page_text(client.get(reverse("partners:plan")))
    client.post(reverse("partners:plan"), {"text": "Cook together on Friday"})
    assert list(Plan.objects.values_list("text", flat=True)) == ["Cook together on Friday"]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        client.force_login(alice)
        assert "Cook together on Friday" not in page_text(client.get("/"))


def test_the_plan_is_off_the_link_until_the_reader_turns_it_on(client, alice, dan):
    link = make_link(alice, dan)
    client.force_login(dan)
    assert client.get(reverse("partners:plan")).status_code == 404
    assert "Write the plan" not in page_text(client.get(reverse("practice:check_in_together")))
    Plan.objects.create(link=link, text="Hidden plan", agreed_on=alice.local_today())
    assert "Hidden plan" not in page_text(client.get("/"))


def test_an_empty_plan_is_refused_with_a_message(client, alice, dan):
    make_link(alice, dan, plan_on=True)
    client.force_login(alice)
    response = client.post(reverse("partners:plan"), {"text": ""})
    assert response.status_code == 400
    assert "Write a few words, or skip it." in page_text(response)
