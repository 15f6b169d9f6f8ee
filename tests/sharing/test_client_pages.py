import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse

from sharing import services, tasks
from sharing.models import AccessLog, Comment, Share
from tests.factories import GratitudeFactory, UserFactory

from .conftest import NOW, make_share, text_of


@pytest.fixture
def bob_browser(bob) -> Client:
    browser = Client()
    browser.force_login(bob)
    return browser


@time_machine.travel(NOW, tick=False)
def test_sharing_page_shows_who_has_access_since_when_and_what(alice_client, alice, bob):
    make_share(alice, bob, kinds=("gratitude", "apology"), progress=False)
    make_share(alice, None, status=Share.Status.INVITED, invited_email="dana@example.com")

    page = text_of(alice_client.get(reverse("sharing:index")).content.decode())

    assert (
        "Who can see your journal Bob bob@example.com · since 11 Mar 2026 "
        "Sees: Gratitude entries, apologies; entries from 9 Feb 2026 on"
    ) in page
    assert "Waiting for an answer dana@example.com Invited 11 Mar 2026." in page


def test_sharing_page_says_when_nobody_has_access(alice_client):
    page = text_of(alice_client.get(reverse("sharing:index")).content.decode())
    assert "Who can see your journal Nobody. Your journal is yours alone." in page


def test_changing_scopes_applies_to_the_therapists_next_request(
    alice_client, alice, bob_browser, bob
):
    share = make_share(alice, bob)
    GratitudeFactory(user=alice, moments="Tea in bed")
    journal = reverse("sharing:client_journal", args=[alice.pk])
    assert "Tea in bed" in bob_browser.get(journal).content.decode()

    response = alice_client.post(
        reverse("sharing:share_detail", args=[share.pk]),
        {"share_bids": "on", "shared_from": share.shared_from.isoformat()},
    )

    assert response["Location"] == reverse("sharing:index")
    share.refresh_from_db()
    assert (share.share_gratitude, share.share_bids) == (False, True)
    assert "Tea in bed" not in bob_browser.get(journal).content.decode()


def test_revoking_takes_effect_on_the_very_next_request(alice_client, alice, bob_browser, bob):
    share = make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    urls = [
        reverse("sharing:client_journal", args=[alice.pk]),
        reverse("sharing:client_entry", args=[alice.pk, entry.pk]),
        reverse("sharing:client_insights", args=[alice.pk]),
        reverse("sharing:client_progress", args=[alice.pk]),
    ]
    assert [bob_browser.get(url).status_code for url in urls] == [200, 200, 200, 200]

    page = alice_client.post(reverse("sharing:share_revoke", args=[share.pk]), follow=True)

    assert "Stopped sharing with Bob. They can no longer see anything." in page.content.decode()
    assert [bob_browser.get(url).status_code for url in urls] == [404, 404, 404, 404]
    clients = bob_browser.get(reverse("sharing:clients")).content.decode()
    assert "Alice" not in clients
    share.refresh_from_db()
    assert share.status == "revoked"


def test_ended_shares_cannot_be_changed(alice_client, alice, bob):
    share = make_share(alice, bob, status=Share.Status.REVOKED)
    assert alice_client.get(reverse("sharing:share_detail", args=[share.pk])).status_code == 404


def test_scopes_form_explains_what_is_wrong_and_keeps_the_input(alice_client, alice, bob):
    share = make_share(alice, bob)

    response = alice_client.post(
        reverse("sharing:share_detail", args=[share.pk]), {"shared_from": "tomorrow-ish"}
    )

    page = response.content.decode()
    assert "Choose at least one thing to share. To share nothing, stop sharing instead." in page
    assert "Enter a valid date." in page
    assert 'value="tomorrow-ish"' in page
    share.refresh_from_db()
    assert share.kinds == ["gratitude", "bid", "apology"]


def test_access_log_lists_each_read_newest_first(alice_client, alice, bob_browser, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice, day=alice.local_today())
    bob_browser.get(reverse("sharing:client_journal", args=[alice.pk]))
    bob_browser.get(reverse("sharing:client_entry", args=[alice.pk, entry.pk]))

    page = text_of(alice_client.get(reverse("sharing:access_log")).content.decode())

    day = f"{entry.day:%-d %b %Y}"
    assert (
        f"Bob (bob@example.com) Entry: Gratitude on {entry.day:%Y-%m-%d}" in page
        and "Bob (bob@example.com) Journal" in page
    )
    assert page.index("Entry: Gratitude") < page.index("Bob (bob@example.com) Journal")
    assert day in page


def test_access_log_is_paginated_and_shows_only_alices_rows(alice_client, alice, bob, charlie):
    share = make_share(alice, bob)
    other = make_share(charlie, bob)
    for n in range(51):
        services.access_log_write(share=share, therapist=bob, what=f"Read {n:02d}", path="/x/")
    services.access_log_write(share=other, therapist=bob, what="Charlie's page", path="/y/")

    first = alice_client.get(reverse("sharing:access_log")).content.decode()
    second = alice_client.get(reverse("sharing:access_log") + "?page=2").content.decode()

    assert "<span>Page 1</span>" in first and '?page=2">Older</a>' in first
    assert first.count("<tr><td>") == 50
    assert "Read 50" in first and "Read 00" not in first
    assert "Read 00" in second
    assert "Charlie" not in first + second


def test_comments_show_under_the_entry_with_a_notice_until_read(alice_client, alice, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    Comment.objects.create(
        entry=entry, author=bob, therapist=bob, body="<b>Well</b> noticed.\nKeep going."
    )

    home = text_of(alice_client.get(reverse("home")).content.decode())
    sharing = text_of(alice_client.get(reverse("sharing:index")).content.decode())
    detail = alice_client.get(reverse("journal:entry_detail", args=[entry.pk])).content.decode()

    assert "1 new comment from your therapist" in home
    assert "1 new comment from your therapist" in sharing
    assert "&lt;b&gt;Well&lt;/b&gt; noticed.<br>Keep going." in detail
    assert "Comments from your therapist With Bob Bob New" in text_of(detail)

    comments = alice_client.get(reverse("sharing:comments")).content.decode()
    assert "New Bob on your gratitude of" in text_of(comments)
    home = text_of(alice_client.get(reverse("home")).content.decode())
    assert "new comment" not in home
    assert Comment.objects.get().read_by_client_at is not None


def test_charlie_never_sees_comments_on_alices_entries(client, alice, bob, charlie):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    Comment.objects.create(entry=entry, author=bob, therapist=bob, body="For Alice only")
    client.force_login(charlie)

    pages = [client.get(reverse(name)).content.decode() for name in ("home", "sharing:comments")]

    assert all("For Alice only" not in page and "new comment" not in page for page in pages)


def test_the_access_log_cannot_be_changed_or_deleted_in_the_admin(client, alice, bob):
    share = make_share(alice, bob)
    row = services.access_log_write(share=share, therapist=bob, what="Journal", path="/x/")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:sharing_accesslog_change", args=[row.pk])

    client.post(change, {"what": "Nothing", "who": "Nobody", "path": "/"})
    deleted = client.post(reverse("admin:sharing_accesslog_delete", args=[row.pk]), {"post": "yes"})

    assert deleted.status_code == 403
    row.refresh_from_db()
    assert (row.what, row.who) == ("Journal", "Bob (bob@example.com)")
    model_admin = site._registry[AccessLog]
    assert not model_admin.has_add_permission(None)


def test_sharing_pages_need_a_login(client):
    for name in ("sharing:index", "sharing:access_log", "sharing:comments", "sharing:clients"):
        response = client.get(reverse(name))
        assert response["Location"] == f"{reverse('account_login')}?next={reverse(name)}"


def test_only_the_comments_shown_are_marked_read(alice_client, alice, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    Comment.objects.bulk_create(
        Comment(entry=entry, author=bob, therapist=bob, body=f"Comment {n}") for n in range(25)
    )

    alice_client.get(reverse("sharing:comments"))

    assert Comment.objects.filter(read_by_client_at__isnull=True).count() == 5
    home = text_of(alice_client.get(reverse("home")).content.decode())
    assert "5 new comments from your therapist" in home


def test_a_head_request_marks_no_comment_read(alice_client, alice, bob):
    make_share(alice, bob)
    entry = GratitudeFactory(user=alice)
    Comment.objects.create(entry=entry, author=bob, therapist=bob, body="Well noticed.")

    alice_client.head(reverse("sharing:comments"))

    home = text_of(alice_client.get(reverse("home")).content.decode())
    assert "1 new comment from your therapist" in home


def test_a_day_of_visits_to_the_list_of_clients_is_one_line_in_the_access_log(
    alice_client, alice, bob_browser, bob
):
    make_share(alice, bob)
    with time_machine.travel("2026-03-06 09:15Z", tick=False):
        bob_browser.get(reverse("sharing:clients"))
    for hour in (11, 16):
        with time_machine.travel(f"2026-03-06 {hour}:40Z", tick=False):
            bob_browser.get(reverse("sharing:clients"))

    page = text_of(alice_client.get(reverse("sharing:access_log")).content.decode())

    assert AccessLog.objects.count() == 1
    assert (
        "6 Mar 2026, 09:15 , then 2 more times that day, the last at 16:40 "  # text_of's space
        "Bob (bob@example.com) Your name in their list of clients" in page
    )


def test_a_day_of_visits_to_the_list_of_clients_is_one_of_the_clients_own_days(
    alice_client, alice, bob_browser, bob
):
    alice.time_zone = "Australia/Sydney"  # 11 hours ahead of UTC in March (AEDT)
    alice.save(update_fields=["time_zone"])
    make_share(alice, bob)
    for when in ("2026-03-05 22:00Z", "2026-03-06 09:00Z", "2026-03-06 23:00Z"):
        with time_machine.travel(when, tick=False):
            bob_browser.get(reverse("sharing:clients"))

    page = text_of(alice_client.get(reverse("sharing:access_log")).content.decode())

    assert AccessLog.objects.count() == 2
    assert (
        "7 Mar 2026, 10:00 Bob (bob@example.com) Your name in their list of clients"
        ", with your last entry date and counts "
        "6 Mar 2026, 09:00 , then 1 more time that day, the last at 20:00 "
        "Bob (bob@example.com) Your name in their list of clients"
    ) in page


def test_access_log_rows_past_their_retention_are_deleted(alice, bob, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 730
    share = make_share(alice, bob)
    for when in ("2024-03-05 12:00Z", "2024-03-07 12:00Z"):
        with time_machine.travel(when, tick=False):
            services.access_log_write(share=share, therapist=bob, what=when, path="/")

    with time_machine.travel("2026-03-06 12:00Z", tick=False):
        deleted = tasks.expire_access_logs()

    assert deleted == 1
    assert list(AccessLog.objects.values_list("what", flat=True)) == ["2024-03-07 12:00Z"]


def test_stopping_a_share_asks_first_on_a_page_of_its_own(alice_client, alice, bob):
    share = make_share(alice, bob)
    url = reverse("sharing:share_revoke", args=[share.pk])

    index = alice_client.get(reverse("sharing:index")).content.decode()
    confirm = text_of(alice_client.get(url).content.decode())

    assert f'<a class="button danger" href="{url}">Stop sharing with Bob</a>' in index
    assert "Stop sharing with Bob?" in confirm
    assert "They lose access at once, on their very next page." in confirm
    assert "Yes, stop sharing" in confirm and "Keep sharing" in confirm
    share.refresh_from_db()
    assert share.status == "active"


def test_withdrawing_an_invitation_asks_first_then_withdraws(alice_client, alice):
    share = make_share(alice, None, status="invited", invited_email="theo@example.com")
    url = reverse("sharing:share_revoke", args=[share.pk])

    confirm = text_of(alice_client.get(url).content.decode())
    share.refresh_from_db()
    assert share.status == "invited"
    page = text_of(alice_client.post(url, follow=True).content.decode())

    assert "Withdraw the invitation to theo@example.com?" in confirm
    assert "Yes, withdraw it" in confirm
    assert "Withdrew the invitation to theo@example.com." in page
    share.refresh_from_db()
    assert share.status == "revoked"


def test_an_ended_share_has_no_stop_page(alice_client, alice, bob):
    share = make_share(alice, bob, status="revoked")

    response = alice_client.get(reverse("sharing:share_revoke", args=[share.pk]))

    assert response.status_code == 404


# A client may take a therapist who reads along for care that watches over them.
NOT_A_REPLACEMENT = (
    "Closer is self-help and does not replace your sessions. Your therapist may not read "
    "what you write here for days, and nobody watches it for emergencies: get help now"
)


def test_where_a_client_writes_to_a_therapist_it_says_closer_does_not_replace_care(
    alice_client, alice, bob_share
):
    entry = GratitudeFactory(user=alice)
    pages = [
        reverse("sharing:index"),
        reverse("sharing:conversation_with_therapist", args=[bob_share.pk]),
        reverse("journal:entry_detail", args=[entry.pk]),
    ]
    for path in pages:
        page = alice_client.get(path).content.decode()
        assert NOT_A_REPLACEMENT in text_of(page), path
        assert f'<a href="{reverse("get_help")}">get help now</a>' in page, path


def test_the_invitation_and_a_shares_page_say_once_that_private_entries_stay(
    alice_client, alice, bob_share
):
    for path in (reverse("sharing:index"), reverse("sharing:share_detail", args=[bob_share.pk])):
        page = text_of(alice_client.get(path).content.decode())

        assert page.count("never shared") == 1, path
        assert (
            "Share entries from: Entries about earlier days stay unshared. "
            "Entries you mark “keep private” are never shared, whatever you choose here."
        ) in page
