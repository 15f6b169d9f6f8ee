"""Every tool within reach on a phone: from Today, at most two taps through visible labels."""

import pytest
from django.urls import reverse

from journal import situations
from practice import content
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_every_tool_is_at_most_two_taps_from_today(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    # No tap: the quick gratitude is on Today itself.
    heading = situations.words_for(alice).gratitude_heading
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    assert page.get_by_role("button", name="Save", exact=True).is_visible()
    # One tap: the two in-the-moment doors and the daily tools Today links to.
    for link, path in (
        ("I need a break", reverse("practice:break_new")),
        ("I want out", reverse("journal:urge_new")),
        ("Today's question", reverse("practice:answer_new")),
        ("Log a bid", reverse("journal:bid_new")),
        ("Build an apology", reverse("journal:apology_new")),
    ):
        page.get_by_role("main").get_by_role("link", name=link, exact=True).click()
        page.wait_for_url(f"**{path}")
        page.goto(page.base_url + reverse("home"))

    # Two taps: Practice in the menu, then the tool, or one of its parts (each self-check).
    for group in content.load("tools")["groups"]:
        for tool in group["tools"]:
            for link in (tool, *tool.get("parts", [])):
                page.goto(page.base_url + reverse("home"))
                page.get_by_role("navigation", name="Main").get_by_role(
                    "link", name="Practice", exact=True
                ).click()
                page.get_by_role("heading", name="Practice", exact=True).wait_for()
                assert_accessible(page)
                page.get_by_role("main").get_by_role("link", name=link["name"], exact=True).click()
                page.wait_for_url(f"**{reverse(link['url'])}")
                assert_accessible(page)
