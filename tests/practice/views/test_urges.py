import re

from django.urls import reverse

from journal.models import Entry
from tests.conftest import assert_refused


def _log(client, **data):
    return client.post(reverse("journal:urge_new"), data, follow=True)


def test_an_urge_is_private_unless_the_user_says_otherwise(alice_client):
    page = alice_client.get(reverse("journal:urge_new")).content.decode()

    assert re.search(r'<input type="checkbox" name="is_private"[^>]* checked>', page)
    assert "If someone close hurts, controls or frightens you, wanting out is not an urge" in page


def test_after_saving_the_log_says_one_line_for_what_they_did_and_one_for_the_story(
    alice_client, alice
):
    response = _log(
        alice_client,
        day=alice.local_today().isoformat(),
        strength="8",
        trigger="They asked about moving in",
        story="They want too much from me",
        action="withdrew",
        helped=["moving"],
        is_private="on",
    )

    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.strength, entry.action, entry.helped, entry.is_private) == (
        "urge",
        8,
        "withdrew",
        ["moving"],
        True,
    )
    page = response.content.decode()
    assert "Going quiet leaves the other person guessing." in page
    assert "Under the story you wrote, add two things that are also true about them." in page


def test_a_strength_of_eleven_is_refused_and_everything_typed_is_kept(alice_client, alice):
    response = alice_client.post(
        reverse("journal:urge_new"),
        {"day": alice.local_today().isoformat(), "strength": "11", "trigger": "The dishes"},
    )

    assert_refused(response, "Pick a number from 1 to 10.", "The dishes</textarea>")
    assert not Entry.objects.exists()


def test_no_strength_picked_says_what_to_pick_and_keeps_the_words(alice_client, alice):
    response = alice_client.post(
        reverse("journal:urge_new"),
        {"day": alice.local_today().isoformat(), "trigger": "The dishes"},
    )

    assert_refused(response, "Pick a number from 1 to 10.", "The dishes</textarea>")
    assert "This field is required." not in response.content.decode()
    assert not Entry.objects.exists()


def test_keep_private_is_a_field_of_its_own_with_why_it_starts_ticked(alice_client):
    page = alice_client.get(reverse("journal:urge_new")).content.decode()

    fieldset = page.index('<fieldset class="private-field">')
    assert "<legend>Who can see it</legend>" in page
    assert fieldset < page.index('id="id_is_private" checked')
    assert "Starts ticked, because this is yours to think over first." in page
    assert page.index("</fieldset>", fieldset) < page.index('<button type="submit"', fieldset)


def test_keep_private_on_a_new_rung_says_why_it_starts_unticked(alice_client):
    page = alice_client.get(reverse("practice:ladder")).content.decode()

    assert '<fieldset class="private-field">' in page
    assert "Starts unticked, because a therapist sees only what you choose to share." in page
