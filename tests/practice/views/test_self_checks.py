"""The four abilities and love languages self-checks: results, bad input, retakes."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from journal.models import Entry
from practice import selectors
from tests.factories import FourAbilitiesFactory, LessonFactory, LoveLanguagesFactory

ABILITIES = reverse("practice:four_abilities_new")
LANGUAGES = reverse("practice:love_languages_new")
ORDER = ["time", "words", "touch", "acts", "gifts"]


def _ratings(*per_ability: int) -> dict:
    """Every statement of each ability rated the same: one number per ability."""
    return {f"rating_{a * 5 + n}": str(r) for a, r in enumerate(per_ability) for n in range(5)}


def _orders(mine: list[str], theirs: list[str]) -> dict:
    data = {f"mine_{n}": key for n, key in enumerate(mine, start=1)}
    return data | {f"theirs_{n}": key for n, key in enumerate(theirs, start=1)}


def test_the_four_abilities_page_says_it_is_not_a_diagnosis_with_the_help_link(alice_client):
    page = alice_client.get(ABILITIES).content.decode()

    assert (
        "It is not a diagnosis or a score of your worth, and it\n    is not therapy." in page
        or ("It is not a diagnosis or a score of your worth, and it is not therapy." in page)
    )
    assert '<a href="/help/">get help now</a>' in page
    assert (
        "I can ask someone for practical help without feeling I&#x27;m now in their debt." in page
    )


def test_four_abilities_result_reads_each_ability_and_links_the_lowests_lessons(
    alice_client, alice
):
    LessonFactory(slug="dependency-paradox", title="The dependency paradox")

    response = alice_client.post(ABILITIES, _ratings(4, 3, 1, 5))

    entry = Entry.objects.get(user=alice)
    assert entry.scores == {
        "seeking_care": 4.0,
        "giving_care": 3.0,
        "autonomy": 1.0,
        "negotiating": 5.0,
    }
    assert entry.ratings == [4] * 5 + [3] * 5 + [1] * 5 + [5] * 5
    page = alice_client.get(response["Location"]).content.decode()
    assert "Comfortable autonomy: 1.0 of 5</h2>" in page
    assert "Closeness may feel as if it costs you something at the moment" in page
    assert "You tend to let people know when you&#x27;re struggling" in page  # seeking care high
    assert "Lessons that help with comfortable autonomy" in page
    assert '<a href="/lessons/dependency-paradox/">The dependency paradox</a>' in page


def test_a_retake_shows_the_change_since_last_time(alice_client, alice):
    FourAbilitiesFactory(
        user=alice,
        day=alice.local_today() - timedelta(days=40),
        scores={"seeking_care": 2.0, "giving_care": 3.0, "autonomy": 3.0, "negotiating": 3.0},
    )

    response = alice_client.post(ABILITIES, _ratings(3, 3, 3, 3))

    page = alice_client.get(response["Location"]).content.decode()
    assert "Seeking care: 3.0 of 5</h2>" in page
    assert ": 2.0 of 5.</p>" in page


def test_a_rating_out_of_range_gets_a_message_and_keeps_the_others(alice_client, alice):
    data = _ratings(4, 4, 4, 4) | {"rating_3": "9"}

    page = alice_client.post(ABILITIES, data).content.decode()

    assert "Pick how much this is like you, from 1 to 5." in page
    assert 'name="rating_0" value="4" id="id_rating_0_3" required checked' in page
    assert Entry.objects.count() == 0


def test_love_languages_saves_both_orders_and_suggests_an_act_in_their_first(alice_client, alice):
    response = alice_client.post(LANGUAGES, _orders(ORDER, ["acts", *ORDER[:3], "gifts"]))

    entry = Entry.objects.get(user=alice)
    assert (entry.my_order, entry.their_order[0]) == (ORDER, "acts")
    assert entry.suggested_act == (
        "Do one job they usually do, without being asked and without pointing it out."
    )
    page = alice_client.get(response["Location"]).content.decode()
    assert "Their first language, as you see it, is <strong>acts of service</strong>." in page
    assert entry.suggested_act in page


def test_a_retake_suggests_the_next_act(alice_client, alice):
    LoveLanguagesFactory(user=alice)

    alice_client.post(LANGUAGES, _orders(ORDER, ["acts", *ORDER[:3], "gifts"]))

    latest = Entry.objects.filter(user=alice).latest("pk")
    assert latest.suggested_act == "Ask what's on their list this week, and take one thing off it."


def test_a_language_in_two_places_gets_a_message_and_keeps_the_order(alice_client):
    data = _orders(["time", "words", "time", "acts", "gifts"], ORDER)

    page = alice_client.post(LANGUAGES, data).content.decode()

    assert "Quality time is already higher up. Each language goes in one place only." in page
    assert '<option value="words" selected>Words of affirmation</option>' in page
    assert Entry.objects.count() == 0


def test_from_a_lesson_the_self_check_marks_it_done(alice_client, alice):
    lesson = LessonFactory(slug="keep-sharing", practice_kind="love_languages")

    alice_client.post(LANGUAGES, _orders(ORDER, ORDER) | {"lesson_slug": "keep-sharing"})

    assert alice.lesson_progress.get(lesson=lesson).done_at is not None


def test_a_retake_is_due_after_thirty_days_only(alice):
    assert selectors.self_check_due(alice) is None
    FourAbilitiesFactory(user=alice, day=alice.local_today() - timedelta(days=30))
    assert selectors.self_check_due(alice) is None

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert selectors.self_check_due(alice).value == "four_abilities"


def test_charlie_gets_404_for_alices_result(client, alice, charlie):
    entry = FourAbilitiesFactory(user=alice)
    client.force_login(charlie)

    response = client.get(reverse("practice:self_check_result", args=[entry.pk]))

    assert response.status_code == 404


def test_insights_draw_the_four_abilities_over_time(alice_client, alice):
    today = alice.local_today()
    FourAbilitiesFactory(
        user=alice,
        day=today - timedelta(days=31),
        scores={"seeking_care": 2.0, "giving_care": 3.0, "autonomy": 2.4, "negotiating": 3.0},
    )
    FourAbilitiesFactory(
        user=alice,
        day=today,
        scores={"seeking_care": 3.2, "giving_care": 3.0, "autonomy": 2.8, "negotiating": 3.6},
    )

    page = alice_client.get(reverse("journal:insights")).content.decode()

    first = (today - timedelta(days=31)).strftime("%-d %b %Y")
    assert (
        f"2 takes from {first} to {today:%-d %b %Y}. Seeking care: 2 then 3.2; "
        "Giving care: 3 then 3; Comfortable autonomy: 2.4 then 2.8; "
        "Negotiating closeness: 3 then 3.6."
    ) in page
    assert page.count('<g class="series series-') == 4


def test_the_lessons_path_links_the_lowest_abilitys_lessons(alice_client, alice):
    LessonFactory(slug="holding-their-pain", title="Holding their pain")
    FourAbilitiesFactory(
        user=alice,
        scores={"seeking_care": 3.0, "giving_care": 1.8, "autonomy": 3.0, "negotiating": 4.0},
    )

    page = alice_client.get(reverse("lessons:path")).content.decode()

    assert '<h2 id="ability-lessons-title">For giving care</h2>' in page
    assert '<li><a href="/lessons/holding-their-pain/">Holding their pain</a></li>' in page


def test_a_lesson_whose_practice_is_a_self_check_opens_it(alice_client):
    lesson = LessonFactory(slug="four-abilities-intimacy", practice_kind="four_abilities")

    page = alice_client.get(lesson.get_absolute_url()).content.decode()

    assert 'href="/journal/self-checks/four-abilities/?lesson=four-abilities-intimacy"' in page
    assert "Take the four abilities self-check" in page


def test_a_love_languages_retake_shows_last_times_orders(alice_client, alice):
    from datetime import date

    LoveLanguagesFactory(user=alice, day=date(2026, 1, 5))
    retake = LoveLanguagesFactory(
        user=alice,
        day=date(2026, 3, 5),
        my_order=["words", "time", "touch", "acts", "gifts"],
        their_order=["time", "acts", "words", "gifts", "touch"],
    )

    page = alice_client.get(reverse("practice:self_check_result", args=[retake.pk]))

    text = page.content.decode()
    assert (
        '<p class="note">Last time (5 January 2026): Quality time, Words of affirmation, '
        "Physical touch, Acts of service, Gifts.</p>"
    ) in text
    assert (
        '<p class="note">Last time (5 January 2026): Acts of service, Quality time, '
        "Words of affirmation, Gifts, Physical touch.</p>"
    ) in text


def test_a_first_love_languages_take_has_nothing_to_compare(alice_client, alice):
    first = LoveLanguagesFactory(user=alice)

    page = alice_client.get(reverse("practice:self_check_result", args=[first.pk]))

    assert "Last time" not in page.content.decode()
