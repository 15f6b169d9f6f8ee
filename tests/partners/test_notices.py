from datetime import timedelta
from time import sleep

import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import NoticeDelivery
from tests.factories import GratitudeFactory
from tests.races import Race
from tests.services import require_postgres

from .conftest import make_link, page_text


def test_an_opted_in_partner_gets_one_content_free_email_a_day(
    client, alice, dan, eager_celery, django_capture_on_commit_callbacks
):
    link = make_link(alice, dan, appreciation_on=True, plan_on=True)
    client.force_login(dan)
    response = client.post(reverse("partners:notices"), {"notices": "on"}, follow=True)
    assert "Emails about the link are on." in page_text(response)
    link.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        entry = GratitudeFactory(user=alice, moments="Thanks for the soup")
        services.appreciation_send(link=link, entry=entry)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_save(link=link, by=alice, text="Dance in the kitchen")
    [notice] = mail.outbox
    assert (notice.to, notice.subject) == (["dan@example.com"], "Something new on Closer")
    for word in ("soup", "Dance", "Alice", "Dan"):
        assert word not in notice.body
        assert word not in notice.alternatives[0][0]
    assert NoticeDelivery.objects.get().status == "sent"


def test_notices_are_off_until_each_person_turns_them_on(
    alice, dan, eager_celery, django_capture_on_commit_callbacks
):
    link = make_link(alice, dan)
    daily = services.question_for_link(link=link, day=alice.local_today())
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_answer(question=daily, user=dan, text="Mine")
        services.pair_answer(question=daily, user=alice, text="Hers")
    assert mail.outbox == []
    assert not NoticeDelivery.objects.exists()


def test_a_skip_tells_nobody_anything(alice, dan, eager_celery, django_capture_on_commit_callbacks):
    link = make_link(alice, dan, partner_notices=True, reader_notices=True)
    daily = services.question_for_link(link=link, day=alice.local_today())
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_answer(question=daily, user=dan, text="Mine")
        services.pair_skip(question=daily, user=alice)
    assert mail.outbox == []


def test_the_second_answer_tells_the_one_who_answered_first(
    alice, dan, eager_celery, django_capture_on_commit_callbacks
):
    link = make_link(alice, dan, partner_notices=True, reader_notices=True)
    daily = services.question_for_link(link=link, day=alice.local_today())
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_answer(question=daily, user=dan, text="First")
    assert mail.outbox == []  # nothing to see yet, so nothing said
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_answer(question=daily, user=alice, text="Second")
    assert [m.to for m in mail.outbox] == [["dan@example.com"]]


def test_a_discreet_partner_gets_the_notice_in_discreet_words(
    alice, dan, eager_celery, django_capture_on_commit_callbacks
):
    dan.discreet_reminders, dan.sender_name = True, "D. Reader"
    dan.save(update_fields=["discreet_reminders", "sender_name"])
    link = make_link(alice, dan, appreciation_on=True, partner_notices=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.appreciation_send(link=link, entry=GratitudeFactory(user=alice))

    [notice] = mail.outbox
    assert (notice.subject, notice.from_email) == (
        "A moment for you",
        '"D. Reader" <hello@localhost>',
    )
    assert "partner" not in (notice.body + notice.alternatives[0][0]).lower()


def test_an_invitation_to_a_discreet_address_keeps_its_link_and_says_nothing_else(
    alice_client, dan, django_capture_on_commit_callbacks
):
    dan.discreet_reminders = True
    dan.save(update_fields=["discreet_reminders"])

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("partners:invite"), {"email": "DAN@example.com"})

    [invitation] = mail.outbox
    assert invitation.subject == "A moment for you"
    assert "/partner/join/" in invitation.body
    assert "Alice" not in invitation.body and "partner" not in invitation.subject.lower()


def _everything_in(message) -> str:
    return " ".join([message.subject, message.body, message.alternatives[0][0]])


def test_the_notice_is_sent_at_most_once_a_day_and_never_says_what_or_who(
    alice, dan, eager_celery, django_capture_on_commit_callbacks
):
    """Three things on one day bring one email; the next day's first brings the next. No
    email names either person, or carries a word of what either wrote."""
    link = make_link(alice, dan, appreciation_on=True, plan_on=True, reader_notices=True)
    link.partner_notices = True
    link.save(update_fields=["partner_notices"])
    written = ["Okapi answer", "Quokka answer", "Pangolin thanks", "Narwhal plan", "Axolotl"]
    start = timezone.now().replace(hour=10)
    with time_machine.travel(start, tick=False):
        daily = services.question_for_link(link=link, day=alice.local_today())
        with django_capture_on_commit_callbacks(execute=True):
            services.pair_answer(question=daily, user=alice, text=written[0])
            services.pair_answer(question=daily, user=dan, text=written[1])  # tells Alice
        with django_capture_on_commit_callbacks(execute=True):
            entry = GratitudeFactory(user=dan, moments=written[2])
            services.appreciation_send(link=link, entry=entry)  # Alice again: not sent
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_save(link=link, by=dan, text=written[3])  # and again: not sent
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    next_day = time_machine.travel(start + timedelta(days=1), tick=False)
    with next_day, django_capture_on_commit_callbacks(execute=True):
        services.plan_save(link=link, by=dan, text=written[4])
    assert [m.to for m in mail.outbox] == [["alice@example.com"]] * 2
    assert NoticeDelivery.objects.filter(user=alice).count() == 2
    for message in mail.outbox:
        text = _everything_in(message)
        assert message.subject == "Something new on Closer"
        for never in [*written, "Alice", "Dan", "alice@", "dan@", "answer", "plan", "thanks"]:
            assert never.lower() not in text.lower(), never


def test_two_answers_at_the_same_moment_tell_the_one_who_answered_first(
    transactional_db, alice, dan, eager_celery
):
    """Alice's answer is not committed yet when Dan's comes: Dan's waits for it and sees
    both, rather than each missing the other and neither being told."""
    require_postgres()
    link = make_link(alice, dan, partner_notices=True, reader_notices=True)
    daily = services.question_for_link(link=link, day=alice.local_today())
    race = Race()

    def alice_answers_and_commits_a_moment_later():
        with transaction.atomic():
            services.pair_answer(question=daily, user=alice, text="Hers")
            race.paused.set()
            sleep(1.0)

    race.start("alice", alice_answers_and_commits_a_moment_later)
    assert race.paused.wait(timeout=20)
    race.start("dan", lambda: services.pair_answer(question=daily, user=dan, text="Mine"))

    assert race.finish() == {"alice": "done", "dan": "done"}
    assert list(NoticeDelivery.objects.values_list("user", flat=True)) == [alice.pk]
