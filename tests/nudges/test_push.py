"""Nudges as browser notifications (web push), when the operator has set VAPID keys."""

import base64
import json
from datetime import UTC, date, datetime, timedelta

import http_ece
import pytest
import requests
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.test import Client
from django.urls import reverse
from pywebpush import WebPushException

from nudges import push, services
from nudges.models import NudgeDelivery, PushSubscription, ReminderSchedule
from nudges.prompts import lean_in_prompt
from nudges.selectors import Suggestion
from nudges.services.dispatch import schedules_claim
from nudges.services.send import handle_one_delivery
from selfhelp.celery import app

from .conftest import reminder

MORNING = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
EVENING = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)  # 20:00 in London (alice's zone)
# A key pair made by `manage.py vapid_keys`, for these tests only.
PUBLIC_KEY = (
    "BC8uWwJvRkACNamg2v5QR-Dd_V5JJk6bZQDzNeKaea6OTj-1WL10jGbxxHkbBxBKJRI8dHspxHam_3266Ngd6dU"
)
PRIVATE_KEY = "3IT4n5CKcCr-Lq_ZzO66mYY14NOT00kajULFo1tmGwY"
PHONE = "https://fcm.googleapis.com/fcm/send/alice-phone"
LAPTOP = "https://updates.push.services.mozilla.com/wpush/v2/alice-laptop"
# A browser's keys as PushSubscription.toJSON() gives them (a P-256 point and 16 bytes).
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"
SETTINGS = reverse("nudges:settings")
SUBSCRIBE = reverse("nudges:push_subscribe")
UNSUBSCRIBE = reverse("nudges:push_unsubscribe")
NUDGE = {
    "title": "A small step for today",
    "body": lean_in_prompt(date(2026, 3, 4)),  # no lessons: the lean-in prompt
    "url": "/journal/gratitude/new/",
}


def _answer(status: int) -> WebPushException:
    response = requests.Response()
    response.status_code, response.reason = (
        status,
        {410: "Gone", 404: "Not Found"}.get(status, "Internal Server Error"),
    )
    return WebPushException(f"Push failed: {status} {response.reason}", response=response)


class FakePushService:
    """Stands in for pywebpush.webpush: keeps what it was given, or fails as told to."""

    def __init__(self):
        self.calls: list[dict] = []
        self.sent: list[tuple[str, dict]] = []
        self.failures: dict[str, list[Exception]] = {}  # endpoint -> errors for the next tries

    def __call__(self, *, subscription_info, data, **options):
        endpoint = subscription_info["endpoint"]
        self.calls.append({"subscription_info": subscription_info, **options})
        if self.failures.get(endpoint):
            raise self.failures[endpoint].pop(0)
        self.sent.append((endpoint, json.loads(data)))


@pytest.fixture
def push_keys(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = PUBLIC_KEY, PRIVATE_KEY
    settings.VAPID_SUBJECT = "mailto:hello@closer.example"


@pytest.fixture
def push_service(push_keys, monkeypatch) -> FakePushService:
    service = FakePushService()
    monkeypatch.setattr(push, "webpush", service)
    return service


@pytest.fixture
def at():
    return lambda instant: time_machine.travel(instant, tick=False)


def _push_reminder(user, *endpoints: str) -> None:
    """Daily reminder at 20:00, to these browsers (subscribed as the settings page does)."""
    with time_machine.travel(MORNING, tick=False):
        reminder(user)
        for endpoint in endpoints:
            push.subscription_save(user=user, endpoint=endpoint, p256dh=P256DH, auth=AUTH)


def _delivery_facts() -> list[tuple]:
    return list(
        NudgeDelivery.objects.order_by("local_date").values_list(
            "local_date", "channel", "status", "push_fell_back"
        )
    )


# Sending -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_push_nudge_sends_one_notification_with_the_suggestion_and_gratitude_link(
    dispatch, at, push_service, alice
):
    _push_reminder(alice, PHONE)

    with at(EVENING):
        dispatch(EVENING)
    with at(EVENING + timedelta(minutes=1)):
        dispatch(EVENING + timedelta(minutes=1))  # beat fires again

    assert push_service.sent == [(PHONE, NUDGE)]
    assert mail.outbox == []
    assert _delivery_facts() == [(date(2026, 3, 4), "push", "sent", False)]
    assert NudgeDelivery.objects.get().suggestion == NUDGE["body"]
    assert PushSubscription.objects.get().last_success_at == EVENING
    [call] = push_service.calls
    assert call == {
        "subscription_info": {"endpoint": PHONE, "keys": {"p256dh": P256DH, "auth": AUTH}},
        "vapid_private_key": PRIVATE_KEY,
        "vapid_claims": {"sub": "mailto:hello@closer.example"},
        "ttl": 7200,
        "timeout": 10,
        "headers": {"Topic": "daily-nudge"},
    }


@pytest.mark.django_db
def test_push_nudge_goes_to_every_subscribed_browser_once(dispatch, at, push_service, alice):
    _push_reminder(alice, PHONE, LAPTOP)

    with at(EVENING):
        dispatch(EVENING)

    assert push_service.sent == [(PHONE, NUDGE), (LAPTOP, NUDGE)]
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [404, 410])
def test_gone_browser_is_forgotten_and_the_nudge_comes_by_email(
    dispatch, at, push_service, alice, status
):
    _push_reminder(alice, PHONE)
    push_service.failures[PHONE] = [_answer(status)]

    with at(EVENING):
        dispatch(EVENING)
    with at(EVENING + timedelta(days=1)):
        dispatch(EVENING + timedelta(days=1))

    assert PushSubscription.objects.exists() is False
    assert len(push_service.calls) == 1  # the next day nobody is left to try
    assert push_service.sent == []
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@example.com"], "A small step for today"),
        (["alice@example.com"], "A small step for today"),
    ]
    assert _delivery_facts() == [
        (date(2026, 3, 4), "push", "sent", True),
        (date(2026, 3, 5), "push", "sent", True),
    ]


def _forget_every_browser(settings) -> None:
    PushSubscription.objects.all().delete()  # as after a 410 on an earlier day


def _remove_the_keys(settings) -> None:
    settings.VAPID_PRIVATE_KEY = ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "break_push", [_forget_every_browser, _remove_the_keys], ids=["no browser", "keys removed"]
)
def test_push_chosen_but_impossible_comes_by_email(
    dispatch, at, push_service, settings, alice, break_push
):
    _push_reminder(alice, PHONE)
    break_push(settings)

    with at(EVENING):
        dispatch(EVENING)

    assert push_service.calls == []
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert _delivery_facts() == [(date(2026, 3, 4), "push", "sent", True)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "message"),
    [
        (_answer(500), "Push failed: 500 Internal Server Error"),
        (requests.ConnectionError("connection refused"), "ConnectionError: connection refused"),
    ],
)
def test_push_transport_error_puts_the_nudge_back_for_a_retry_that_sends_once(
    django_capture_on_commit_callbacks, at, push_service, alice, error, message
):
    _push_reminder(alice, PHONE)
    push_service.failures[PHONE] = [error]
    with at(EVENING), django_capture_on_commit_callbacks(execute=False):
        [delivery_id] = schedules_claim(
            schedule_ids=[alice.reminder_schedule.pk], now=EVENING
        ).delivery_ids

    with at(EVENING), pytest.raises(push.PushTransportError):
        handle_one_delivery(delivery_id=delivery_id)
    failed = NudgeDelivery.objects.get()
    failed_at = PushSubscription.objects.get().failed_at
    with at(EVENING + timedelta(seconds=30)):
        sent = handle_one_delivery(delivery_id=delivery_id)
        again = handle_one_delivery(delivery_id=delivery_id)

    assert (failed.status, failed.error, failed_at) == ("claimed", message, EVENING)
    assert (sent, again) == (True, False)
    assert push_service.sent == [(PHONE, NUDGE)]
    assert mail.outbox == []
    assert _delivery_facts() == [(date(2026, 3, 4), "push", "sent", False)]


@pytest.mark.django_db
def test_push_transport_error_is_retried_by_the_task_without_sending_twice(
    dispatch, at, push_service, alice, charlie
):
    app.conf.task_eager_propagates = False  # let Celery run the retry (the fixture resets it)
    _push_reminder(alice, PHONE)
    _push_reminder(charlie)  # by email, in the same batch
    push_service.failures[PHONE] = [_answer(503)]

    with at(EVENING):
        dispatch(EVENING)

    assert push_service.sent == [(PHONE, NUDGE)]
    assert [m.to for m in mail.outbox] == [["charlie@example.com"]]
    assert list(NudgeDelivery.objects.order_by("user__email").values_list("channel", "status")) == [
        ("push", "sent"),
        ("email", "sent"),
    ]


@pytest.mark.django_db
def test_one_browser_failing_while_another_took_it_is_not_retried(
    dispatch, at, push_service, alice
):
    app.conf.task_eager_propagates = False
    _push_reminder(alice, PHONE, LAPTOP)
    push_service.failures[LAPTOP] = [_answer(500)]

    with at(EVENING):
        dispatch(EVENING)

    assert push_service.sent == [(PHONE, NUDGE)]
    assert len(push_service.calls) == 2
    assert dict(PushSubscription.objects.values_list("endpoint", "failed_at")) == {
        PHONE: None,
        LAPTOP: EVENING,
    }
    assert _delivery_facts() == [(date(2026, 3, 4), "push", "sent", False)]


def _browser_keys() -> tuple[ec.EllipticCurvePrivateKey, str, bytes]:
    private = ec.generate_private_key(ec.SECP256R1())
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private, base64.urlsafe_b64encode(point).decode().rstrip("="), b"sixteen byte key"


@pytest.mark.django_db
def test_real_pywebpush_signs_with_our_key_and_encrypts_for_the_browser(
    push_keys, monkeypatch, alice
):
    """pywebpush itself, up to the HTTP request: the browser can read what we send."""
    private, p256dh, auth = _browser_keys()
    encoded_auth = base64.urlsafe_b64encode(auth).decode().rstrip("=")
    push.subscription_save(user=alice, endpoint=PHONE, p256dh=p256dh, auth=encoded_auth)
    requests_sent = []

    def post(url, *, data, headers, timeout):
        requests_sent.append((url, data, headers, timeout))
        response = requests.Response()
        response.status_code = 201
        return response

    monkeypatch.setattr(requests, "post", post)

    result = push.nudge_push(
        user=alice, suggestion=Suggestion(text="Note one kind thing", path="/")
    )

    [(url, body, headers, timeout)] = requests_sent
    plain = http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm")
    assert (result.delivered, result.errors) == (1, [])
    assert (url, timeout) == (PHONE, 10)
    assert json.loads(plain) == {
        "title": "A small step for today",
        "body": "Note one kind thing",
        "url": "/journal/gratitude/new/",
    }
    assert (headers["ttl"], headers["Topic"], headers["content-encoding"]) == (
        "7200",
        "daily-nudge",
        "aes128gcm",
    )
    token, key = headers["Authorization"].removeprefix("vapid t=").split(",k=")
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert key == PUBLIC_KEY  # pywebpush derives it from the private key we gave it
    assert (claims["aud"], claims["sub"]) == (
        "https://fcm.googleapis.com",
        "mailto:hello@closer.example",
    )


# The settings page ---------------------------------------------------------------------------


@pytest.fixture
def morning():
    with time_machine.travel(MORNING, tick=False):
        yield


VALID_SETTINGS = {"enabled": "on", "local_time": "20:00", "weekdays": [str(d) for d in range(7)]}


@pytest.mark.usefixtures("morning")
def test_settings_page_offers_push_only_when_configured(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    page = alice_client.get(SETTINGS).content.decode()

    assert "Reminders come by email to alice@example.com, with a link to turn them off." in page
    assert "How should the reminder reach you?" not in page
    assert "Send reminders to this browser" not in page
    assert "js/push.js" not in page


@pytest.mark.usefixtures("morning")
def test_settings_page_with_push_configured_offers_this_browser(alice_client, push_keys):
    page = alice_client.get(SETTINGS).content.decode()

    assert '<script src="/static/js/push.js" defer></script>' in page
    assert "<legend>How should the reminder reach you?</legend>" in page
    assert 'name="channel" value="email" id="id_channel_0" required checked>' in page
    assert 'name="channel" value="push" id="id_channel_1" required>' in page
    assert f'data-push-key="{PUBLIC_KEY}"' in page
    assert f'data-subscribe-url="{SUBSCRIBE}" data-unsubscribe-url="{UNSUBSCRIBE}"' in page
    assert '<div class="push-setup" hidden' in page  # shown by push.js where it can work
    assert ">Send reminders to this browser</button>" in page


@pytest.mark.usefixtures("morning")
def test_settings_page_counts_the_browsers_that_show_reminders(alice_client, alice, push_keys):
    _push_reminder(alice, PHONE, LAPTOP)

    page = alice_client.get(SETTINGS).content.decode()

    assert "A browser notification shows in each browser where you turn it on: on now in 2 " in page
    assert 'name="channel" value="push" id="id_channel_1" required checked>' in page


@pytest.mark.usefixtures("morning")
def test_choosing_push_without_a_browser_explains_and_changes_nothing(
    alice_client, alice, push_keys
):
    services.schedule_create_default(user=alice)
    before = list(ReminderSchedule.objects.values())

    response = alice_client.post(SETTINGS, {**VALID_SETTINGS, "channel": "push"})

    assert response.status_code == 200
    assert (
        "No browser shows your reminders yet. Press “Send reminders to this browser” first, "
        "or choose email." in response.content.decode()
    )
    assert list(ReminderSchedule.objects.values()) == before


@pytest.mark.usefixtures("morning")
@pytest.mark.parametrize("channel", ["push", "email"])
def test_choosing_the_channel_is_saved(alice_client, alice, push_keys, channel):
    _push_reminder(alice, PHONE)

    alice_client.post(SETTINGS, {**VALID_SETTINGS, "channel": channel})

    assert ReminderSchedule.objects.get(user=alice).channel == channel


def test_recent_nudges_say_how_each_push_nudge_went(alice_client, alice, push_keys):
    for day, fell_back in ((2, False), (3, True)):
        instant = datetime(2026, 3, day, 20, 0, tzinfo=UTC)
        NudgeDelivery.objects.create(
            user=alice,
            local_date=instant.date(),
            channel="push",
            status="sent",
            push_fell_back=fell_back,
            due_at=instant,
            claimed_at=instant,
            queued_at=instant,
            sent_at=instant,
            suggestion=f"Practice {day}",
        )

    page = alice_client.get(SETTINGS).content.decode()

    assert '<span class="nudge-how">By email, as no browser could show a notification.</span>' in (
        page
    )
    assert '<span class="nudge-how">As a browser notification.</span>' in page
    assert page.index("By email, as") < page.index("As a browser notification.")  # 3rd, then 2nd


# Subscribing and unsubscribing a browser ---------------------------------------------------


def _post_json(client, url, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def _subscription(endpoint=PHONE, p256dh=P256DH, auth=AUTH) -> dict:
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": p256dh, "auth": auth}}


def test_subscribing_this_browser_sends_reminders_to_it(alice_client, alice, push_keys):
    services.schedule_create_default(user=alice)

    response = _post_json(alice_client, SUBSCRIBE, _subscription())

    assert (response.status_code, response.json()) == (
        201,
        {"message": "This browser will show your daily reminder.", "channel": "push"},
    )
    assert list(PushSubscription.objects.values_list("user", "endpoint", "p256dh", "auth")) == [
        (alice.pk, PHONE, P256DH, AUTH)
    ]
    assert ReminderSchedule.objects.get(user=alice).channel == "push"


def test_subscribing_the_same_browser_again_keeps_one_row_with_new_keys(
    alice_client, alice, push_keys
):
    _post_json(alice_client, SUBSCRIBE, _subscription(auth="AAAAAAAAAAAAAAAAAAAAAA"))

    _post_json(alice_client, SUBSCRIBE, _subscription())

    assert list(PushSubscription.objects.values_list("endpoint", "auth")) == [(PHONE, AUTH)]


def test_browser_subscribed_by_someone_else_before_becomes_the_new_users(
    client, alice, charlie, push_keys
):
    """A shared computer: only the person signed in now gets nudges on it."""
    _push_reminder(alice, PHONE)
    client.force_login(charlie)

    _post_json(client, SUBSCRIBE, _subscription())

    assert list(PushSubscription.objects.values_list("user", "endpoint")) == [(charlie.pk, PHONE)]


@pytest.mark.parametrize(
    ("subscription", "errors"),
    [
        (
            _subscription(endpoint="http://fcm.googleapis.com/fcm/send/x"),
            {"endpoint": ["The endpoint must be a push service's https:// address."]},
        ),
        (
            _subscription(endpoint="https://127.0.0.1/admin/"),
            {"endpoint": ["The endpoint must be a push service's https:// address."]},
        ),
        (
            _subscription(endpoint="https://localhost:8000/x"),
            {"endpoint": ["The endpoint must be a push service's https:// address."]},
        ),
        (
            _subscription(endpoint="https://push.example.com:99999/x"),
            {"endpoint": ["The endpoint must be a push service's https:// address."]},
        ),
        (
            _subscription(endpoint="not a url"),
            {"endpoint": ["The endpoint must be a push service's https:// address."]},
        ),
        (
            {"keys": {"p256dh": P256DH, "auth": AUTH}},
            {"endpoint": ["The subscription has no endpoint."]},
        ),
        (
            {"endpoint": PHONE},
            {
                "p256dh": ["The subscription has no p256dh key."],
                "auth": ["The subscription has no auth secret."],
            },
        ),
        (
            {"endpoint": PHONE, "keys": ["not", "an", "object"]},
            {
                "p256dh": ["The subscription has no p256dh key."],
                "auth": ["The subscription has no auth secret."],
            },
        ),
        (
            _subscription(p256dh="BNcRdreALRFX"),
            {"p256dh": ["The p256dh key must be a P-256 public key in base64url."]},
        ),
        (
            _subscription(p256dh=P256DH.replace("B", "<", 1)),
            {"p256dh": ["The p256dh key must be a P-256 public key in base64url."]},
        ),
        (
            _subscription(auth="tBHItJI5svbpez7KI4CC"),
            {"auth": ["The auth secret must be 16 bytes in base64url."]},
        ),
        (
            "endpoint=https://fcm.googleapis.com/x",
            {"__all__": ["Send the subscription as a JSON object."]},
        ),
        (
            '["https://fcm.googleapis.com/x"]',
            {"__all__": ["Send the subscription as a JSON object."]},
        ),
    ],
)
def test_bad_subscription_explains_and_saves_nothing(
    alice_client, alice, push_keys, subscription, errors
):
    response = _post_json(alice_client, SUBSCRIBE, subscription)

    assert (response.status_code, response.json()) == (400, {"errors": errors})
    assert PushSubscription.objects.exists() is False


def test_subscribing_needs_the_csrf_header(alice, push_keys):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(SETTINGS)  # sets the CSRF cookie, as the settings page does
    token = client.cookies["csrftoken"].value

    refused = _post_json(client, SUBSCRIBE, _subscription())
    accepted = _post_json(client, SUBSCRIBE, _subscription(), headers={"X-CSRFToken": token})

    assert (refused.status_code, accepted.status_code) == (403, 201)
    assert PushSubscription.objects.count() == 1


def test_subscribing_needs_login_and_post(alice_client, push_keys):
    anonymous = _post_json(Client(), SUBSCRIBE, _subscription())
    get = alice_client.get(SUBSCRIBE)

    assert (anonymous.status_code, get.status_code) == (302, 405)
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert PushSubscription.objects.exists() is False


def test_subscribing_is_not_found_while_push_is_not_configured(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    response = _post_json(alice_client, SUBSCRIBE, _subscription())

    assert response.status_code == 404
    assert PushSubscription.objects.exists() is False


def test_unsubscribing_the_last_browser_sends_reminders_by_email_again(
    alice_client, alice, push_keys
):
    _push_reminder(alice, PHONE)

    response = _post_json(alice_client, UNSUBSCRIBE, {"endpoint": PHONE})

    assert (response.status_code, response.json()) == (
        200,
        {
            "message": "This browser will no longer show your reminders. They come by email again.",
            "channel": "email",
        },
    )
    assert PushSubscription.objects.exists() is False
    assert ReminderSchedule.objects.get(user=alice).channel == "email"


def test_unsubscribing_one_of_two_browsers_keeps_push(alice_client, alice, push_keys):
    _push_reminder(alice, PHONE, LAPTOP)

    response = _post_json(alice_client, UNSUBSCRIBE, {"endpoint": LAPTOP})

    assert response.json() == {
        "message": "This browser will no longer show your reminders.",
        "channel": "push",
    }
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [PHONE]


def test_charlie_cannot_unsubscribe_alices_browser(client, alice, charlie, push_keys):
    _push_reminder(alice, PHONE)
    client.force_login(charlie)

    response = _post_json(client, UNSUBSCRIBE, {"endpoint": PHONE})

    assert response.status_code == 404
    assert list(PushSubscription.objects.values_list("user", "endpoint")) == [(alice.pk, PHONE)]
    assert ReminderSchedule.objects.get(user=alice).channel == "push"


def test_logging_out_stops_the_notifications_of_that_browser_only(alice_client, alice, push_keys):
    """A shared computer: whoever sits down after Alice logged out sees none of her
    reminders (static/js/app.js sends the browser's endpoint with the logout)."""
    _push_reminder(alice, PHONE, LAPTOP)

    response = alice_client.post(reverse("account_logout"), {"push_endpoint": LAPTOP})

    assert response.status_code == 302
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [PHONE]
    assert ReminderSchedule.objects.get(user=alice).channel == "push"


def test_logging_out_cannot_stop_someone_elses_browser(client, alice, charlie, push_keys):
    _push_reminder(alice, PHONE)
    client.force_login(charlie)

    client.post(reverse("account_logout"), {"push_endpoint": PHONE})

    assert list(PushSubscription.objects.values_list("user", "endpoint")) == [(alice.pk, PHONE)]


@pytest.mark.parametrize("body", [{}, {"endpoint": 7}, "endpoint=x", "[]"])
def test_unsubscribing_without_an_endpoint_explains(alice_client, alice, push_keys, body):
    _push_reminder(alice, PHONE)

    response = _post_json(alice_client, UNSUBSCRIBE, body)

    assert (response.status_code, response.json()) == (
        400,
        {"errors": {"endpoint": ["Say which browser to stop: send its endpoint."]}},
    )
    assert PushSubscription.objects.count() == 1


def test_settings_page_with_push_stays_within_its_query_budget(
    alice_client, alice, push_keys, django_assert_max_num_queries
):
    _push_reminder(alice, PHONE, LAPTOP)
    alice_client.get(SETTINGS)

    with django_assert_max_num_queries(6):
        page = alice_client.get(SETTINGS).content.decode()

    assert "on now in 2 browsers." in page


def _csrf_client(user) -> tuple[Client, str]:
    """A browser whose POSTs the CSRF middleware checks, reading the form's token first."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(SETTINGS)
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        (SUBSCRIBE, {"__all__": ["Send the subscription as a JSON object."]}),
        (UNSUBSCRIBE, {"endpoint": ["Say which browser to stop: send its endpoint."]}),
    ],
)
def test_a_form_posted_instead_of_json_is_refused_plainly(alice, push_keys, url, errors):
    """A multipart form: the CSRF middleware has read its stream before the view looks."""
    client, token = _csrf_client(alice)

    response = client.post(url, {"csrfmiddlewaretoken": token, "endpoint": PHONE})

    assert (response.status_code, response.json()) == (400, {"errors": errors})
    assert PushSubscription.objects.exists() is False
