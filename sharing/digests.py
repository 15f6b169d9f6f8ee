"""Notice emails without content: "Your therapist commented on 2 entries" to a client,
"Alice shared 3 new entries" to a therapist. Each is opt-in (NoticePreference) and goes at
most once a day, from DIGEST_HOUR in the recipient's time zone, when there is something new.

Exactly once per recipient, kind and local date, as the daily nudge (nudges/services):

1. The dispatcher creates one `DigestDelivery` per (user, kind, local date), a unique triple,
   for each opted-in user with something new; a second dispatcher's rows are no-ops
   (ignore_conflicts). Send tasks are queued only after it commits.
2. The sender claims a delivery with a conditional update (claimed -> sending). In that same
   commit, before any email goes, it counts what is new and, for a therapist's digest, writes
   one row in each client's access log. A second task holding the same id finds it taken.
3. The outcome (sent, failed, skipped when nothing is new any more) is written after the
   send. A transport error before the server took the message puts it back to claimed for
   the task's retry; the counts and the log rows are kept, so neither is written twice.

A worker killed while sending leaves the row "sending"; the sweeper marks it failed and never
sends it again (a second email hurts trust more than a missed one).

Nothing is said about anyone who is gone: counts are read at send time from active shares
only, so a client who deleted their account, or stopped sharing, is in no email after that.
"""

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from nudges.services import STALE_AFTER, TRANSPORT_ERRORS

from . import emails, selectors, services
from .models import Comment, DigestDelivery, NoticePreference, Share

log = logging.getLogger(__name__)

# The day's notice may go from this hour on, in the recipient's time zone.
DIGEST_HOUR = 18
# A notice still unsent this long after its claim is not sent at all: it would say "today".
GIVE_UP_AFTER = timedelta(hours=6)
Kind = DigestDelivery.Kind
Status = DigestDelivery.Status


# What is new ---------------------------------------------------------------------------------


def _since(user: User, kind: str, turned_on: datetime | None) -> datetime:
    """New means after the last notice of this kind, or after it was turned on."""
    last = (
        DigestDelivery.objects.filter(user=user, kind=kind, status=Status.SENT)
        .order_by("-claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    moments = [m for m in (last, turned_on) if m]
    return max(moments) if moments else datetime.min.replace(tzinfo=UTC)


def new_comment_count(*, client: User, since: datetime) -> int:
    """Entries of the client's with a therapist's message, unread and written since `since`."""
    unread = Comment.objects.filter(
        entry__user=client,
        entry__deleted_at__isnull=True,
        read_by_client_at__isnull=True,
        created_at__gt=since,
    ).exclude(author=client)
    return unread.values("entry").distinct().count()


def _counts(delivery: DigestDelivery, preference: NoticePreference) -> dict[str, int]:
    user = delivery.user
    if delivery.kind == Kind.COMMENTS:
        since = _since(user, Kind.COMMENTS, preference.comments_since)
        count = new_comment_count(client=user, since=since)
        return {"entries": count} if count else {}
    since = _since(user, Kind.ENTRIES, preference.entries_since)
    counts = selectors.new_entry_counts(therapist=user, since=since)
    return {str(pk): n for pk, n in counts.items()}


# Dispatcher ----------------------------------------------------------------------------------


def _wanted(preference: NoticePreference) -> list[str]:
    kinds = [Kind.COMMENTS] if preference.comments_email else []
    return kinds + ([Kind.ENTRIES] if preference.entries_email else [])


def _has_news(user: User, kind: str, preference: NoticePreference) -> bool:
    probe = DigestDelivery(user=user, kind=kind)
    return bool(_counts(probe, preference))


@transaction.atomic
def digests_dispatch(*, now: datetime) -> list[int]:
    """Claim today's notice for every opted-in user past DIGEST_HOUR with something new;
    returns the deliveries created, queued for sending once this commits."""
    preferences = NoticePreference.objects.filter(
        Q(comments_email=True) | Q(entries_email=True),
        user__is_active=True,
        user__in=EmailAddress.objects.filter(primary=True, verified=True).values("user"),
    ).select_related("user")
    due: list[DigestDelivery] = []
    for preference in preferences:
        local = now.astimezone(preference.user.zone)
        if local.hour < DIGEST_HOUR:
            continue
        taken = set(
            DigestDelivery.objects.filter(
                user=preference.user, local_date=local.date()
            ).values_list("kind", flat=True)
        )
        due += [
            DigestDelivery(
                user=preference.user,
                kind=kind,
                local_date=local.date(),
                claimed_at=now,
                queued_at=now,
            )
            for kind in _wanted(preference)
            if kind not in taken and _has_news(preference.user, kind, preference)
        ]
    DigestDelivery.objects.bulk_create(due, ignore_conflicts=True)  # once per user, kind, day
    created = list(
        DigestDelivery.objects.filter(
            user_id__in={d.user_id for d in due}, claimed_at=now
        ).values_list("pk", flat=True)
    )
    for delivery_id in created:
        transaction.on_commit(partial(_queue_send, delivery_id))
    return created


def _queue_send(delivery_id: int) -> None:
    from .tasks import send_digest  # tasks import this module

    send_digest.delay(delivery_id=delivery_id)


# Sender --------------------------------------------------------------------------------------


def handle_one_digest(*, delivery_id: int) -> bool:
    """Send one claimed notice; True only if this call handed it to the mail server.

    Raises one of TRANSPORT_ERRORS when the server could not take it; the delivery is then
    claimed again for the task's retry.
    """
    delivery = _claim(delivery_id)
    if delivery is None:
        return False
    message = _message(delivery)
    if message is None:
        _finish(delivery, status=Status.SKIPPED)
        return False
    try:
        sent = message.send()
    except smtplib.SMTPRecipientsRefused as error:
        _finish(delivery, status=Status.FAILED, error=_describe(error))
        return False
    except TRANSPORT_ERRORS as error:
        DigestDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
            status=Status.CLAIMED, sending_at=None, error=_describe(error)
        )
        raise
    if not sent:
        _finish(delivery, status=Status.FAILED, error="The mail server took no message.")
        return False
    _finish(delivery, status=Status.SENT, sent_at=timezone.now())
    return True


@transaction.atomic
def _claim(delivery_id: int) -> DigestDelivery | None:
    """Move the delivery from claimed to sending, with its counts and the access-log rows
    that say it was emailed; None when another task has it, or it is done."""
    now = timezone.now()
    taken = DigestDelivery.objects.filter(pk=delivery_id, status=Status.CLAIMED).update(
        status=Status.SENDING, sending_at=now
    )
    if not taken:
        return None
    delivery = DigestDelivery.objects.select_related("user__notice_preference").get(pk=delivery_id)
    if now - delivery.claimed_at > GIVE_UP_AFTER:
        _finish(delivery, status=Status.FAILED, error="Too late to send.")
        return None
    if not delivery.counts:  # a retry keeps what the first try counted and logged
        delivery.counts = _counts(delivery, delivery.user.notice_preference)
        delivery.save(update_fields=["counts"])
        if delivery.kind == Kind.ENTRIES:
            _log_for_clients(delivery)
    return delivery


def _log_for_clients(delivery: DigestDelivery) -> None:
    """One row in each client's access log: the counts emailed to their therapist."""
    shares = Share.objects.filter(pk__in=[int(pk) for pk in delivery.counts])
    for share in shares:
        n = delivery.counts[str(share.pk)]
        services.access_log_write(
            share=share,
            therapist=delivery.user,
            what=f"Summary of new entries emailed: {n} new entr{'y' if n == 1 else 'ies'}, "
            "counts only",
            path="(email)",
        )


def _message(delivery: DigestDelivery):
    """The email, or None when there is nothing (left) to say."""
    user = delivery.user
    if delivery.kind == Kind.COMMENTS:
        count = delivery.counts.get("entries", 0)
        return emails.comments_digest(user=user, entries=count) if count else None
    # Only clients who still share with them: nothing about anyone gone since the count.
    shares = Share.objects.filter(
        pk__in=[int(pk) for pk in delivery.counts], therapist=user, status=Share.Status.ACTIVE
    ).select_related("client")
    lines = [(str(share.client), delivery.counts[str(share.pk)]) for share in shares]
    return emails.entries_digest(user=user, clients=sorted(lines)) if lines else None


def _finish(delivery: DigestDelivery, *, status: str, **fields) -> None:
    DigestDelivery.objects.filter(pk=delivery.pk).update(status=status, **fields)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


# Sweeper -------------------------------------------------------------------------------------


@transaction.atomic
def digests_sweep(*, now: datetime) -> tuple[int, int]:
    """Queue again what was claimed but never sent; mark lost what a dead worker held.
    Returns (requeued, lost)."""
    lost = DigestDelivery.objects.filter(
        status=Status.SENDING, sending_at__lt=now - STALE_AFTER
    ).update(
        status=Status.FAILED,
        error="The worker stopped while sending. Not tried again, so it is never sent twice.",
    )
    stale = DigestDelivery.objects.filter(status=Status.CLAIMED, queued_at__lt=now - STALE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    DigestDelivery.objects.filter(pk__in=ids, status=Status.CLAIMED).update(queued_at=now)
    for delivery_id in ids:
        transaction.on_commit(partial(_queue_send, delivery_id))
    return len(ids), lost
