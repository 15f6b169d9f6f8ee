"""A label says its words, then a colon only where the words want one: never "?:" or "):"."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal.forms import FORMS
from tests.core.test_valid_html import _accept_path, _pages
from tests.factories import BreakFactory, RungFactory
from tests.lessons.pages import visible_text
from tests.security.conftest import World, world  # noqa: F401 (the fixture)

LABEL = re.compile(r"<(label|legend)\b[^>]*>(.*?)</\1>", re.DOTALL)


def _labels(html: str) -> list[str]:
    return [visible_text(words) for _, words in LABEL.findall(html)]


def _stray_colons(html: str) -> list[str]:
    return [label for label in _labels(html) if label.endswith(("?:", "):", "…:"))]


def test_no_entry_kinds_form_puts_a_colon_after_a_question_or_a_bracket(world):  # noqa: F811
    for kind, form_class in FORMS.items():
        html = form_class(user=world.alice).render()

        assert _labels(html), kind
        assert _stray_colons(html) == [], kind


def test_no_main_pages_form_puts_a_colon_after_a_question_or_a_bracket(
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    alice = world.alice
    pages = _pages(world, _accept_path(world, django_capture_on_commit_callbacks, mailoutbox))
    ended = BreakFactory(user=alice, return_at=timezone.now() - timedelta(minutes=5))
    pages |= {
        "rung done": ("alice", reverse("practice:rung_done", args=[RungFactory(user=alice).pk])),
        "break ended": ("alice", reverse("journal:entry_detail", args=[ended.pk])),
    }
    browsers = {}
    stray = {}
    for name, (who, path) in pages.items():
        browser = browsers.setdefault(who, world.client_for(who))
        stray[name] = _stray_colons(browser.get(path, secure=True).content.decode())

    assert {name: labels for name, labels in stray.items() if labels} == {}


def test_a_label_that_ends_in_a_word_keeps_its_colon(world):  # noqa: F811
    html = world.client_for("alice").get(reverse("home:profile"), secure=True).content.decode()

    assert "Your name:" in _labels(html)


def test_a_password_typed_twice_reads_the_same_both_times(alice_client):
    signup = Client().get(reverse("account_signup"), secure=True).content.decode()
    change = alice_client.get(reverse("account_change_password"), secure=True).content.decode()

    assert _labels(signup)[2:4] == ["Password:", "Password again:"]
    assert _labels(change) == ["Current password:", "New password:", "New password again:"]
