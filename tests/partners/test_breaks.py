from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from tests.factories import BreakFactory

from .conftest import make_link, page_text

# 19:30 in London (and on Dan's clock) on a winter evening.
EVENING = datetime(2026, 12, 7, 19, 30, tzinfo=UTC)


@time_machine.travel(EVENING, tick=False)
def test_a_break_shows_its_return_time_on_the_partners_today_and_back_after(client, alice, dan):
    make_link(alice, dan, breaks_on=True)
    pause = BreakFactory(
        user=alice,
        return_at=datetime(2026, 12, 7, 20, 30, tzinfo=UTC),
        partner_message="reason-marker-I-feel-flooded",
        note="note-marker",
    )
    client.force_login(dan)
    page = page_text(client.get("/"))
    assert "Taking a break, back by 20:30" in page
    assert "reason-marker" not in page and "note-marker" not in page

    client.force_login(alice)
    with time_machine.travel(datetime(2026, 12, 7, 20, 40, tzinfo=UTC), tick=False):
        client.post(reverse("practice:break_back", args=[pause.pk]), {"went_back": "yes"})
        client.force_login(dan)
        page = page_text(client.get("/"))
    assert "Taking a break" not in page
    assert '<p class="partner-break">Back</p>' in page


@time_machine.travel(EVENING, tick=False)
def test_breaks_stay_off_the_link_until_the_reader_turns_them_on(client, alice, dan):
    link = make_link(alice, dan)
    BreakFactory(user=alice, return_at=datetime(2026, 12, 7, 20, 30, tzinfo=UTC))
    client.force_login(dan)
    assert "Taking a break" not in page_text(client.get("/"))
    link.breaks_on = True
    link.save()
    assert "Taking a break, back by 20:30" in page_text(client.get("/"))


@time_machine.travel(EVENING, tick=False)
def test_a_called_off_break_and_the_partners_own_break_show_nothing(client, alice, dan):
    make_link(alice, dan, breaks_on=True)
    BreakFactory(user=alice, return_at=EVENING, called_off_at=EVENING)
    BreakFactory(user=dan, return_at=datetime(2026, 12, 7, 21, 0, tzinfo=UTC))
    for person in (alice, dan):
        client.force_login(person)
        assert "Taking a break, back by" not in page_text(client.get("/"))


@time_machine.travel(EVENING, tick=False)
def test_the_break_page_says_what_the_partner_sees_of_it(client, alice, dan):
    link = make_link(alice, dan)
    pause = BreakFactory(user=alice, return_at=datetime(2026, 12, 7, 20, 30, tzinfo=UTC))
    client.force_login(alice)
    path = reverse("journal:entry_detail", args=[pause.pk])
    assert "Closer never sends anything to them" in page_text(client.get(path))
    link.breaks_on = True
    link.save()
    page = page_text(client.get(path))
    assert "Dan's Today shows that you are on a break and when you will be back" in page
    assert "Closer never sends anything to them" not in page
