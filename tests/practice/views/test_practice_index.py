"""The Practice page: every tool in one place, each a tap away, words from tools.yaml."""

import re
from pathlib import Path

import yaml
from django.urls import reverse
from django.utils.html import escape

from journal.kinds import KINDS
from practice import content

PRACTICE = reverse("practice:index")
LESSONS = Path(__file__).resolve().parents[3] / "lessons" / "content"


def test_the_practice_page_lists_every_tool_with_what_it_is_for(alice_client):
    page = alice_client.get(PRACTICE).content.decode()

    for group in content.load("tools")["groups"]:
        assert f">{escape(group['heading'])}</h2>" in page
        for tool in group["tools"]:
            assert f'<li><a href="{reverse(tool["url"])}">{escape(tool["name"])}</a>' in page
            assert f"<span>{escape(tool['for'])}</span>" in page


def test_the_practice_page_opens_every_kinds_new_page_in_one_tap(alice_client):
    """The love languages too, which took three taps through the self-checks page."""
    page = alice_client.get(PRACTICE).content.decode()

    for kind in KINDS.values():
        assert f'href="{reverse(kind.new_page)}"' in page, kind.value
    assert f'href="{reverse("practice:self_checks")}"' in page
    assert f'<li><a href="{reverse("practice:love_languages_new")}">Love languages</a></li>' in page


def test_clients_have_practice_in_the_menu_and_therapists_do_not(alice_client, client, bob):
    menu = '<li><a href="/journal/practice/">Practice</a></li>'
    assert menu in alice_client.get(reverse("lessons:path")).content.decode()

    client.force_login(bob)
    assert menu not in client.get(reverse("lessons:path")).content.decode()


def test_the_practice_page_asks_a_visitor_to_log_in(client):
    response = client.get(PRACTICE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_journals_add_menu_offers_every_kind(alice_client):
    page = alice_client.get(reverse("journal:timeline")).content.decode()

    for kind in KINDS.values():
        assert f'href="{reverse(kind.new_page)}"' in page, kind.value


# What each tool is called in a lesson's practice text.
TOOL_NAMES = {
    "break": "I need a break",
    "urge": "I want out",
    "answer": "today's question",
    "check_in": "weekly check-in",
    "rung": "ladder",
    "four_abilities": "four abilities self-check",
    "love_languages": "love languages",
}


def _practices():
    for path in sorted(LESSONS.glob("*/[0-9]*.md")):
        front = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", path.read_text(), re.S).group(1))
        yield path.name, front["practice"]


def test_every_lesson_whose_practice_is_a_tool_names_the_tool():
    for name, practice in _practices():
        if practice["kind"] in TOOL_NAMES:
            assert TOOL_NAMES[practice["kind"]] in practice["instructions"], name


def test_the_four_abilities_lesson_practises_negotiating_not_the_self_check():
    practices = dict(_practices())

    practice = practices["05-four-abilities.md"]
    assert practice["kind"] == "reflection"
    assert practice["title"] == "Negotiate one moment of closeness"
    assert "agree" in practice["question"]
