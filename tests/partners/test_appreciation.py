from django.urls import reverse

from partners.models import Appreciation
from tests.factories import GratitudeFactory

from .conftest import make_link, page_text


def test_tell_them_sends_the_words_to_the_partners_today_and_they_react_once(client, alice, dan):
    make_link(alice, dan, appreciation_on=True)
    entry = GratitudeFactory(user=alice, moments="You fixed the bike", why="It meant a lot")
    client.force_login(alice)
    page = page_text(client.get(reverse("journal:entry_detail", args=[entry.pk])))
    assert "Send to Dan's Today" in page
    response = client.post(reverse("partners:appreciation_send", args=[entry.pk]), follow=True)
    assert "Sent to Dan&#x27;s Today." in page_text(response)
    entry.refresh_from_db()
    assert entry.told_partner

    client.force_login(dan)
    today = page_text(client.get("/"))
    assert "From Alice" in today
    assert "You fixed the bike" in today and "It meant a lot" in today
    appreciation = Appreciation.objects.get()
    response = client.post(
        reverse("partners:appreciation_react", args=[appreciation.pk]),
        {"reaction": "smile"},
        follow=True,
    )
    appreciation.refresh_from_db()
    assert appreciation.reaction == "smile"
    assert "Sent: “Made me smile”. It shows on their Today." in page_text(response)
    html = response.content.decode()
    assert 'value="smile" class="chip chosen" aria-pressed="true">Made me smile' in html
    assert 'value="heart" class="chip" aria-pressed="false">Warmed my heart' in html

    client.force_login(alice)
    assert "Dan reacted to your words: Made me smile" in page_text(client.get("/"))


def test_private_entries_and_a_link_without_appreciation_send_nothing(client, alice, dan):
    link = make_link(alice, dan)
    entry = GratitudeFactory(user=alice)
    secret = GratitudeFactory(user=alice, is_private=True)
    client.force_login(alice)
    send = reverse("partners:appreciation_send", args=[entry.pk])
    assert client.post(send).status_code == 404
    link.appreciation_on = True
    link.save()
    assert client.post(reverse("partners:appreciation_send", args=[secret.pk])).status_code == 404
    assert list(Appreciation.objects.values_list("entry", flat=True)) == []


def test_only_the_receiver_reacts_and_a_bad_reaction_is_refused(client, alice, dan, charlie):
    link = make_link(alice, dan, appreciation_on=True)
    entry = GratitudeFactory(user=alice)
    appreciation = Appreciation.objects.create(link=link, sender=alice, entry=entry, words="w")
    react = reverse("partners:appreciation_react", args=[appreciation.pk])
    for stranger in (alice, charlie):
        client.force_login(stranger)
        assert client.post(react, {"reaction": "heart"}).status_code == 404
    client.force_login(dan)
    response = client.post(react, {"reaction": "<script>"}, follow=True)
    assert "Pick one of the reactions." in page_text(response)
    appreciation.refresh_from_db()
    assert appreciation.reaction == ""


def test_charlie_cannot_send_alices_entry(client, alice, dan, charlie):
    make_link(alice, dan, appreciation_on=True)
    entry = GratitudeFactory(user=alice)
    client.force_login(charlie)
    assert client.post(reverse("partners:appreciation_send", args=[entry.pk])).status_code == 404


def test_a_reaction_sent_as_the_link_ends_is_told_it_could_not_be_kept(
    client, alice, dan, monkeypatch
):
    from partners import services
    from tests.races import just_before

    link = make_link(alice, dan, appreciation_on=True)
    entry = GratitudeFactory(user=alice, moments="You fixed the bike")
    client.force_login(alice)
    client.post(reverse("partners:appreciation_send", args=[entry.pk]))
    appreciation = Appreciation.objects.get()
    # Alice ends the link between Dan's page loading the appreciation and his reaction's save.
    just_before(
        monkeypatch,
        services,
        "appreciation_react",
        lambda: services.link_end(link=link, by=alice),
    )

    client.force_login(dan)
    react = reverse("partners:appreciation_react", args=[appreciation.pk])
    response = client.post(react, {"reaction": "smile"}, follow=True)

    assert response.status_code == 200
    assert "The partner link has ended, so your reaction was not sent." in page_text(response)
    assert not Appreciation.objects.exists()
