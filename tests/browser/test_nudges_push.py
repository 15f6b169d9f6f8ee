"""Browser notifications for the daily reminder, in Chromium at phone size.

Headless Chromium has no push service to subscribe with, so the page's PushManager is
replaced by a stand-in that hands back a fixed subscription; everything else is real: the
permission, the service worker, push.js, the CSRF header and the server's endpoints.
"""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from nudges.models import PushSubscription, ReminderSchedule
from tests.browser.conftest import assert_accessible, log_in, log_out, visit

pytestmark = pytest.mark.browser

PUBLIC_KEY = (
    "BC8uWwJvRkACNamg2v5QR-Dd_V5JJk6bZQDzNeKaea6OTj-1WL10jGbxxHkbBxBKJRI8dHspxHam_3266Ngd6dU"
)
PRIVATE_KEY = "3IT4n5CKcCr-Lq_ZzO66mYY14NOT00kajULFo1tmGwY"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/playwright"
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"
SUBSCRIPTION = {
    "endpoint": ENDPOINT,
    "expirationTime": None,
    "keys": {"p256dh": P256DH, "auth": AUTH},
}
FAKE_PUSH_MANAGER = (
    f"const SUBSCRIPTION = {json.dumps(SUBSCRIPTION)};"
    + """
(() => {
  // Kept across pages, as a real browser keeps its subscription.
  const KEY = "fake-push-subscribed";
  const subscription = {
    endpoint: SUBSCRIPTION.endpoint,
    toJSON() { return SUBSCRIPTION; },
    unsubscribe() { localStorage.removeItem(KEY); return Promise.resolve(true); },
  };
  PushManager.prototype.subscribe = function (options) {
    window.serverKeyLength = new Uint8Array(options.applicationServerKey).length;
    localStorage.setItem(KEY, "yes");
    return Promise.resolve(subscription);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem(KEY) ? subscription : null);
  };
})();
"""
)


@pytest.fixture
def push_configured(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = PUBLIC_KEY, PRIVATE_KEY


def test_reminder_settings_with_push_are_accessible(page, alice, push_configured):
    log_in(page, alice)
    visit(page, reverse("nudges:settings"))

    page.get_by_role("button", name="Send reminders to this browser").wait_for()
    assert_accessible(page)
    assert page.get_by_role("radio", name="Email").is_checked()


def send_reminders_to_this_browser(page, user) -> None:
    """Log in and turn notifications on in this browser, on the reminder settings page."""
    page.context.grant_permissions(["notifications"])
    page.add_init_script(FAKE_PUSH_MANAGER)
    log_in(page, user)
    visit(page, reverse("nudges:settings"))
    page.get_by_role("button", name="Send reminders to this browser").click()
    page.get_by_text("This browser will show your daily reminder.").wait_for()


def test_send_reminders_to_this_browser_and_stop_them(phone_page, alice, push_configured):
    page = phone_page

    send_reminders_to_this_browser(page, alice)

    assert_accessible(page)
    assert page.evaluate("window.serverKeyLength") == 65
    assert page.get_by_role("radio", name="Browser notification").is_checked()
    assert list(PushSubscription.objects.values_list("user", "endpoint", "p256dh", "auth")) == [
        (alice.pk, ENDPOINT, P256DH, AUTH)
    ]
    assert ReminderSchedule.objects.get(user=alice).channel == "push"
    # The button pressed makes way for its opposite, which takes the keyboard focus.
    stop = page.get_by_role("button", name="Stop reminders in this browser")
    expect(stop).to_be_focused()

    stop.click()

    page.get_by_text(
        "This browser will no longer show your reminders. They come by email again."
    ).wait_for()
    expect(page.get_by_role("button", name="Send reminders to this browser")).to_be_focused()
    assert page.get_by_role("radio", name="Email").is_checked()
    assert PushSubscription.objects.exists() is False
    assert ReminderSchedule.objects.get(user=alice).channel == "email"


def test_logging_out_stops_this_browsers_reminders(phone_page, alice, push_configured):
    """A shared computer: whoever uses this browser after Alice sees none of her reminders."""
    page = phone_page
    send_reminders_to_this_browser(page, alice)
    visit(page, reverse("home"))

    log_out(page)

    assert page.evaluate("localStorage.getItem('fake-push-subscribed')") is None
    assert PushSubscription.objects.exists() is False
    assert ReminderSchedule.objects.get(user=alice).channel == "email"


@pytest.mark.parametrize(
    ("url", "opens"),
    [("/journal/gratitude/new/", "/journal/gratitude/new/"), ("https://evil.example/", "/")],
)
def test_push_message_shows_the_nudge_as_a_notification(
    phone_page, alice, push_configured, url, opens
):
    """The service worker's push handler, fed a push message through DevTools. A tap opens
    only pages of this site."""
    page = phone_page
    page.context.grant_permissions(["notifications"])
    log_in(page, alice)
    devtools = page.context.new_cdp_session(page)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r for r in event["registrations"] if not r["isDeleted"]),
    )
    devtools.send("ServiceWorker.enable")
    visit(page, reverse("nudges:settings"))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    payload = {"title": "A small step for today", "body": "Note one kind thing", "url": url}

    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": page.base_url + "/",
            "registrationId": registrations[-1]["registrationId"],
            "data": json.dumps(payload),
        },
    )

    shown = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          for (let i = 0; i < 50; i++) {
            const notes = await registration.getNotifications();
            if (notes.length) return notes.map(n => [n.title, n.body, n.tag, n.data.url]);
            await new Promise(done => setTimeout(done, 100));
          }
          return [];
        }"""
    )
    assert shown == [
        ["A small step for today", "Note one kind thing", "closer-nudge", page.base_url + opens]
    ]
