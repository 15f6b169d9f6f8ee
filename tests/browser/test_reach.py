"""Every tool within reach on a phone: from Today, at most two taps through visible labels."""

import pytest
from django.urls import reverse

from practice import content
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_every_tool_is_at_most_two_taps_from_today(phone_page, alice):
    page = phone_page
    log_in(page, alice)
    # One tap: the two in-the-moment doors on Today itself.
    for door, path in (
        ("I need a break", reverse("practice:break_new")),
        ("I want out", reverse("journal:urge_new")),
    ):
        page.get_by_role("link", name=door, exact=True).click()
        page.wait_for_url(f"**{path}")
        page.goto(page.base_url + reverse("home"))

    # Two taps: Practice in the menu, then the tool.
    for group in content.load("tools")["groups"]:
        for tool in group["tools"]:
            page.goto(page.base_url + reverse("home"))
            page.get_by_role("navigation", name="Main").get_by_role(
                "link", name="Practice", exact=True
            ).click()
            page.get_by_role("heading", name="Practice", exact=True).wait_for()
            assert_accessible(page)
            page.get_by_role("main").get_by_role("link", name=tool["name"], exact=True).click()
            page.wait_for_url(f"**{reverse(tool['url'])}")
            assert_accessible(page)
