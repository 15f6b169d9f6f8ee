"""Notice emails without content: "New comments from your therapist" to a client,
"New activity from a client" to a therapist. Each is opt-in (NoticePreference) and goes at
most once a day, from DIGEST_HOUR in the recipient's time zone, when there is something new.

Exactly once per recipient, kind and local date, as a purpose of the outbox
(outbox/services.py): the dispatcher creates one `DigestDelivery` per (user, kind,
local date), a unique triple, for each opted-in user with something new, and the outbox
queues, claims, sends, records and sweeps them. In the claim's commit, before any email
goes, `_prepare` counts what is new and, for a therapist's digest, writes one row in each
client's access log; a retry after a transport error keeps both, so neither is written
twice. A notice with nothing (left) to say is skipped.

Nothing is said about anyone who is gone: counts are read at send time from active shares
only, so a client who deleted their account, or stopped sharing, is in no email after that.
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from outbox import services as outbox
from outbox.selectors import reachable_addresses

from . import emails, selectors, services
from .models import Comment, DigestDelivery, NoticePreference, Share

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
    counts = {
        str(pk): n for pk, n in selectors.new_entry_counts(therapist=user, since=since).items()
    }
    replies = selectors.new_reply_count(therapist=user, since=since)
    return counts | ({REPLIES: replies} if replies else {})


REPLIES = "replies"  # in a therapist's counts, beside one number per share id


def _share_counts(delivery: DigestDelivery) -> dict[int, int]:
    return {int(pk): n for pk, n in delivery.counts.items() if pk != REPLIES}


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
        user__in=reachable_addresses().values("user"),
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
                due_at=now,
                claimed_at=now,
                queued_at=now,
            )
            for kind in _wanted(preference)
            if kind not in taken and _has_news(preference.user, kind, preference)
        ]
    DigestDelivery.objects.bulk_create(due, ignore_conflicts=True)  # once per user, kind, day
    return outbox.claimed_queue(purpose=NOTICE, user_ids={d.user_id for d in due}, now=now)


# What the outbox needs -----------------------------------------------------------------------


def _prepare(delivery: DigestDelivery) -> None:
    """In the claim's commit: count what is new and, for a therapist, write the access-log
    rows that say it was emailed."""
    if delivery.counts:  # a retry keeps what the first try counted and logged
        return
    delivery.counts = _counts(delivery, delivery.user.notice_preference)
    delivery.save(update_fields=["counts"])
    if delivery.kind == Kind.ENTRIES:
        _log_for_clients(delivery)


def _log_for_clients(delivery: DigestDelivery) -> None:
    """One row in each client's access log: the counts emailed to their therapist."""
    counts = _share_counts(delivery)
    for share in Share.objects.filter(pk__in=list(counts)):
        n = counts[share.pk]
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
    counts = _share_counts(delivery)
    shares = Share.objects.filter(pk__in=list(counts), therapist=user, status=Share.Status.ACTIVE)
    entries = [counts[share.pk] for share in shares]
    replies = delivery.counts.get(REPLIES, 0)
    if not (entries or replies):
        return None
    return emails.entries_digest(user=user, counts=entries, replies=replies)


def _send(delivery: DigestDelivery) -> dict | None:
    message = _message(delivery)
    return None if message is None else outbox.email_hand_over(message)


# A send task each: one notice's retry (and its backoff) holds up no one else's.
NOTICE = outbox.register(
    outbox.Purpose(
        model=DigestDelivery,
        send=_send,
        prepare=_prepare,
        give_up_after=GIVE_UP_AFTER,
        send_batch=1,
    )
)
