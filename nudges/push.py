"""Web push: the nudge as a browser notification, when the operator has set VAPID keys.

pywebpush encrypts the payload for each browser and signs the request with our VAPID key.
A push service that answers 404 or 410 has forgotten the browser for good, so we forget it
too. Any other failure may pass, and counts as a transport error, retried like SMTP's.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from pywebpush import WebPushException, webpush
from requests import RequestException

from accounts.models import User
from outbox.discreet import push_words

from .models import Channel, PushSubscription, ReminderSchedule
from .selectors import Suggestion

TITLE = "A small step for today"  # the nudge email's subject too
# A browser offline for longer gets nothing: a nudge hours late is worse than none.
TIME_TO_LIVE = timedelta(hours=2)
TIMEOUT = 10  # seconds: a hung push service must not hold a nudge in "sending"
# A newer nudge replaces one still waiting at the push service for an offline browser.
TOPIC = "daily-nudge"
GONE = {404, 410}


class PushTransportError(OSError):
    """No browser took the nudge, but a later try may (an OSError, as the mail transport's)."""


@dataclass
class PushResult:
    delivered: int = 0
    errors: list[str] = field(default_factory=list)


def is_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def subscriptions_for_user(*, user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("created_at")


@transaction.atomic
def subscription_save(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Send `user`'s nudges to this browser from now on, instead of by email.

    An endpoint belongs to one browser profile. If someone else signed in there subscribed
    it before, it becomes this user's: only the person using the browser now sees nudges on it.
    """
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "failed_at": None},
    )
    _set_channel(user, Channel.PUSH)
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: PushSubscription) -> None:
    """Stop nudges in that browser; they go by email again once no browser is left."""
    subscription.delete()
    if not subscriptions_for_user(user=subscription.user).exists():
        _set_channel(subscription.user, Channel.EMAIL)


def subscription_stop_on_logout(sender, *, request, user, **kwargs) -> None:
    """Receiver of Django's user_logged_out: logging out stops the notifications of the
    browser it happens in (static/js/app.js sends its endpoint along with the logout), so
    the next person at a shared computer is shown none of the reminders of whoever left."""
    endpoint = request.POST.get("push_endpoint") if request is not None else None
    if user is None or not endpoint:
        return
    if subscription := subscriptions_for_user(user=user).filter(endpoint=endpoint).first():
        subscription_delete(subscription=subscription)


def _set_channel(user: User, channel: str) -> None:
    schedule = ReminderSchedule.objects.filter(user=user)
    schedule.update(channel=channel, updated_at=timezone.now())


def payload(*, user: User, title: str, body: str, url: str) -> str:
    """What the service worker shows (static/js/sw.js), in the words `user` wants shown
    (outbox.discreet), and the page a tap opens."""
    title, body = push_words(user, title=title, body=body)
    return json.dumps({"title": title, "body": body, "url": url})


def nudge_push(*, user: User, suggestion: Suggestion) -> PushResult:
    """Send today's nudge to every browser `user` subscribed."""
    url = reverse("journal:gratitude_new")
    return _push(user, payload(user=user, title=TITLE, body=suggestion.text, url=url))


def user_push(*, user: User, title: str, body: str, url: str) -> PushResult:
    """Any other reminder (the end of a break) as a notification; a tap opens `url`."""
    return _push(user, payload(user=user, title=title, body=body, url=url))


def _push(user: User, payload: str) -> PushResult:
    """Send `payload` to every browser `user` subscribed; forget those gone for good.
    Nothing is sent while push is not configured."""
    result = PushResult()
    if not is_configured():
        return result
    for subscription in subscriptions_for_user(user=user):
        mine = PushSubscription.objects.filter(pk=subscription.pk)
        try:
            _webpush(subscription, payload)
        except (WebPushException, RequestException) as error:
            if getattr(error, "status_code", None) in GONE:
                subscription.delete()  # unsubscribed in the browser, or expired
                continue
            mine.update(failed_at=timezone.now())
            result.errors.append(_describe(error))
        else:
            mine.update(last_success_at=timezone.now())
            result.delivered += 1
    return result


def _webpush(subscription: PushSubscription, payload: str) -> None:
    webpush(
        subscription_info=subscription.info,
        data=payload,
        vapid_private_key=settings.VAPID_PRIVATE_KEY,
        vapid_claims={"sub": settings.VAPID_SUBJECT},  # a new dict each time: pywebpush adds to it
        ttl=int(TIME_TO_LIVE.total_seconds()),
        timeout=TIMEOUT,
        headers={"Topic": TOPIC},
    )


def _describe(error: Exception) -> str:
    if isinstance(error, WebPushException):
        return error.message.splitlines()[0][:500]  # the rest is the push service's page
    return f"{type(error).__name__}: {error}"[:500]
