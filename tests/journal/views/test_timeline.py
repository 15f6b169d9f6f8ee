import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ApologyFactory, BidFactory, GratitudeFactory


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_timeline_lists_newest_first_and_filters_by_kind(alice_client, alice):
    GratitudeFactory(user=alice, moments="Older thanks", day="2026-01-01")
    BidFactory(user=alice, what="Newer bid", day="2026-01-03")
    ApologyFactory(user=alice, acknowledgement="Middle apology", day="2026-01-02")

    page = alice_client.get(reverse("journal:timeline")).content.decode()
    assert page.index("Newer bid") < page.index("Middle apology") < page.index("Older thanks")

    bids = alice_client.get(reverse("journal:timeline") + "?kind=bid").content.decode()
    assert "Newer bid" in bids and "Older thanks" not in bids


def test_timeline_search_finds_text_in_any_field(alice_client, alice):
    GratitudeFactory(user=alice, moments="Cooked dinner", why="Patience with me")
    GratitudeFactory(user=alice, moments="Walked the dog")

    page = alice_client.get(reverse("journal:timeline") + "?q=patience").content.decode()

    assert "Cooked dinner" in page and "Walked the dog" not in page


def test_timeline_search_ignores_nul_characters(alice_client, alice):
    GratitudeFactory(user=alice, moments="Cooked dinner")

    page = alice_client.get(reverse("journal:timeline"), {"q": "coo\x00ked"})

    assert page.status_code == 200
    assert "Cooked dinner" in page.content.decode()


def test_timeline_never_shows_another_users_entries(alice_client, alice, charlie):
    GratitudeFactory(user=charlie, moments="Charlie's secret")

    assert (
        "Charlie&#x27;s secret"
        not in alice_client.get(reverse("journal:timeline")).content.decode()
    )


def test_timeline_htmx_request_gets_only_the_results(alice_client, alice):
    GratitudeFactory(user=alice, moments="Sang to me")

    page = alice_client.get(reverse("journal:timeline"), headers={"HX-Request": "true"})

    html = page.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Sang to me" in html and "<footer" not in html


def test_timeline_query_count_is_the_same_for_10_and_500_entries(alice_client, alice):
    GratitudeFactory.create_batch(10, user=alice)
    with_10 = _queries_for(alice_client, reverse("journal:timeline"))
    GratitudeFactory.create_batch(490, user=alice)
    with_500 = _queries_for(alice_client, reverse("journal:timeline") + "?page=3")

    assert with_10 == with_500
    print(f"timeline queries: {with_10} at 10 entries, {with_500} at 500")


def test_tampered_page_and_kind_do_not_break_the_timeline(alice_client, alice):
    GratitudeFactory(user=alice, moments="Only one")

    page = alice_client.get(reverse("journal:timeline") + "?page=abc&kind=evil").content.decode()

    assert "Only one" in page


def test_page_links_keep_the_search_and_the_kind(alice_client, alice):
    for n in range(21):
        GratitudeFactory(user=alice, moments=f"Tea number {n}")

    page = alice_client.get(reverse("journal:timeline") + "?kind=gratitude&q=tea").content.decode()

    assert '<a href="?kind=gratitude&amp;q=tea&amp;page=2">Older</a>' in page


def _search_status(html: str) -> str:
    return re.search(r'<p id="results-status"[^>]*>(.*?)</p>', html, re.S).group(1)


def test_timeline_search_says_how_much_it_found_with_or_without_htmx(alice_client, alice):
    for n in range(21):
        GratitudeFactory(user=alice, moments=f"Tea number {n}")
    GratitudeFactory(user=alice, moments="Coffee alone")
    url = reverse("journal:timeline")

    def status(query: dict, **headers) -> str:
        return _search_status(alice_client.get(url, query, headers=headers).content.decode())

    assert status({}) == ""
    assert status({"q": "coffee"}) == "1 entry matches."
    assert status({"q": "tea"}, HX_Request="true") == "More entries match than fit on a page."
    assert status({"q": "tea", "page": "2"}) == "More entries match than fit on a page."
    assert status({"q": "river"}, HX_Request="true") == (
        "Nothing matches. Try another word or show everything."
    )
    assert status({"kind": "bid"}) == "Nothing matches. Try another word or show everything."
