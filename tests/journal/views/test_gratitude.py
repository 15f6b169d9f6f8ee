import pytest
from django.urls import reverse

from journal.models import Entry
from tests.conftest import assert_refused, form_token


def test_quick_gratitude_from_home_saves_and_shows_it_today(alice_client, alice):
    today = alice.local_today().isoformat()

    response = alice_client.post(
        reverse("journal:gratitude_new"), {"day": today, "moment_kinds": ["caring"]}, follow=True
    )

    entry = Entry.objects.get(user=alice)
    assert (entry.kind, entry.moment_kinds, entry.day.isoformat()) == (
        "gratitude",
        ["caring"],
        today,
    )
    page = response.content.decode()
    assert "Saved your gratitude entry." in page
    assert "Caring</a>" in page  # listed under Today


def test_quick_gratitude_sent_twice_from_today_saves_one_entry(alice_client, alice):
    """A double tap on Save, or a POST the phone sends again on a flaky connection."""
    token = form_token(alice_client.get(reverse("home")))
    data = {"day": alice.local_today().isoformat(), "moment_kinds": ["caring"], "submission": token}

    first = alice_client.post(reverse("journal:gratitude_new"), data)
    second = alice_client.post(reverse("journal:gratitude_new"), data)

    entry = Entry.objects.get(user=alice)
    today = reverse("home") + f"?saved={entry.pk}"
    assert (first["Location"], second["Location"]) == (today, today)


# What a refused form was sent (on top of today as the day), why it is refused, and the
# typed text it must show again.
REFUSED = {
    "nothing chosen": (
        {"why": "They stay when it is hard"},
        "Tap what they did, or write a few words about it.",
        "They stay when it is hard</textarea>",
    ),
    "a day in the future": (
        {"day": "2999-01-01", "moments": "Planned a surprise"},
        "That day hasn&#x27;t happened yet. Pick today or an earlier day.",
        "Planned a surprise</textarea>",
    ),
}


@pytest.mark.parametrize(("data", "message", "kept"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_gratitude_explains_and_keeps_the_text(alice_client, alice, data, message, kept):
    response = alice_client.post(
        reverse("journal:gratitude_new"), {"day": alice.local_today().isoformat(), **data}
    )

    assert_refused(response, message, kept)
    assert not Entry.objects.exists()


def test_practice_link_from_a_lesson_remembers_the_lesson(alice_client, alice):
    page = alice_client.get(reverse("journal:gratitude_new") + "?lesson=accentuate-the-positive")

    assert 'name="lesson_slug" value="accentuate-the-positive"' in page.content.decode()


def test_script_in_a_field_is_shown_as_text(alice_client, alice):
    alice_client.post(
        reverse("journal:gratitude_new"),
        {"day": alice.local_today().isoformat(), "moments": "<script>alert(1)</script>"},
    )

    page = alice_client.get(reverse("journal:timeline")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_new_gratitude_needs_login(client, db):
    response = client.get(reverse("journal:gratitude_new"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
