"""The link's one notice: an email, at most one a day, that says only that something new
came through the link (an answer to see, words of thanks, a plan), never what or from whom.
Each person turns it on for themselves (off at first).

A purpose of the outbox (outbox/services.py): the write that brings something new creates
one `NoticeDelivery` per (person, local date), a unique pair, and the outbox queues, claims,
sends, records and sweeps it. A notice for someone no longer linked, or who turned notices
off since, is skipped.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.emails import email_build
from outbox import services as outbox
from outbox.discreet import discreet_email, sender
from outbox.selectors import reachable_user_ids

from . import selectors
from .models import Link, NoticeDelivery

# A notice still unsent this long after its claim is not sent: the news is old by then.
GIVE_UP_AFTER = timedelta(hours=6)


def wants_notices(*, link: Link, user: User) -> bool:
    return link.reader_notices if user.pk == link.reader_id else link.partner_notices


def notice_queue(*, link: Link, user: User) -> None:
    """Today's notice for `user`, if they want notices and have had none today."""
    if not wants_notices(link=link, user=user) or not reachable_user_ids([user.pk]):
        return
    now = timezone.now()
    notice = NoticeDelivery(
        user=user, local_date=user.local_today(), due_at=now, claimed_at=now, queued_at=now
    )
    NoticeDelivery.objects.bulk_create([notice], ignore_conflicts=True)  # once a day
    outbox.claimed_queue(purpose=NOTICE, user_ids={user.pk}, now=now)


def _send(delivery: NoticeDelivery) -> dict | None:
    user = delivery.user
    link = selectors.active_link(user=user)
    if link is None or not wants_notices(link=link, user=user):
        return None
    context = {  # no names, not even theirs: a notice may show on a shared screen
        "today_url": settings.SITE_URL + reverse("home"),
        "settings_url": settings.SITE_URL + reverse("partners:link"),
    }
    if user.discreet_reminders:
        return outbox.email_hand_over(discreet_email(user=user))
    email = email_build("partner-notice", to=user.email, context=context, from_email=sender(user))
    return outbox.email_hand_over(email)


NOTICE = outbox.register(
    outbox.Purpose(model=NoticeDelivery, send=_send, give_up_after=GIVE_UP_AFTER, send_batch=1)
)
