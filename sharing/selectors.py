"""Reads for sharing. Every therapist read of client data starts at `share_for_therapist`."""

import hashlib
from datetime import date, timedelta

from django.core import signing
from django.db.models import Count, F, Max, Q, QuerySet

from accounts.models import User
from core.paging import Page, page_of
from journal import insights
from journal import selectors as journal_selectors
from journal.kinds import KINDS
from journal.models import Entry

from .models import AccessLog, Comment, Invitation, Share

# The dashboard shows clients a page at a time, so it costs the same for 5 clients or 500.
CLIENTS_PER_PAGE = 25
CLIENT_ORDER = ("client__display_name", "client__email", "pk")

INVITATION_SALT = "sharing.invitation"
INVITATION_MAX_AGE = timedelta(days=7)


# --- The therapist's gate -------------------------------------------------------------------


def share_for_therapist(*, therapist: User, client_id: int) -> Share | None:
    """The active Share from this client to this therapist, read now; None otherwise.

    Call it inside the request's transaction: on PostgreSQL the row stays locked until the
    page is rendered, so a revoke waits for reads in flight and none can start after it.
    """
    return (
        Share.objects.select_for_update(of=("self",))
        .select_related("client")
        .filter(therapist=therapist, client_id=client_id, status=Share.Status.ACTIVE)
        .first()
    )


def shared_entries(
    *,
    share: Share,
    kind: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Entry]:
    """The client's live entries this share opens: kinds in scope, from its day, never private."""
    kinds = share.kinds
    if kind:
        kinds = [kind] if kind in kinds else []
    entries = Entry.objects.filter(
        user_id=share.client_id, kind__in=kinds, day__gte=share.shared_from, is_private=False
    )
    if start:
        entries = entries.filter(day__gte=start)
    if end:
        entries = entries.filter(day__lte=end)
    return entries.order_by("-day", "-created_at")


def shared_entry(*, share: Share, entry_id: int) -> Entry | None:
    return shared_entries(share=share).filter(pk=entry_id).first()


def own_comment(*, entry: Entry, author: User, comment_id: int) -> Comment | None:
    return Comment.objects.filter(pk=comment_id, entry=entry, author=author).first()


def comments_by_author(*, entry: Entry, author: User) -> QuerySet[Comment]:
    """A therapist sees only their own comments: another therapist's would reveal them."""
    return Comment.objects.filter(entry=entry, author=author)


def insights_for_share(*, share: Share, today: date) -> insights.Insights:
    """The client's insights pictures drawn from exactly what `shared_entries` opens."""
    return journal_selectors.insights_for(
        user=share.client,
        kinds=set(share.kinds),
        today=today,
        include_private=False,
        since=share.shared_from,
    )


def _shared_entry_condition(prefix: str) -> Q:
    """`shared_entries` as a condition on a Share's joined entries (`prefix` names the join)."""
    in_scope = Q()
    for value, kind in KINDS.items():
        in_scope |= Q(**{f"{prefix}kind": value, kind.scope: True})
    return in_scope & Q(
        **{
            f"{prefix}deleted_at__isnull": True,  # a join skips the live-entries manager
            f"{prefix}is_private": False,
            f"{prefix}day__gte": F("shared_from"),
        }
    )


def client_shares_page(
    *, therapist: User, page: str | None = None, size: int = CLIENTS_PER_PAGE
) -> Page:
    """A page of the therapist's active Shares (their pk and client_id only), in one query."""
    active = Share.objects.filter(therapist=therapist, status=Share.Status.ACTIVE)
    return page_of(active.order_by(*CLIENT_ORDER).only("pk", "client_id"), page, size=size)


def clients_with_figures(*, share_ids: list[int], today: date) -> list[Share]:
    """These Shares with each client's figures, in one query however many clients.

    The week runs from Monday to `today`. Unread entries are shared ones written since the
    therapist last opened that client's journal.
    """
    prefix = "client__entries__"
    shared = _shared_entry_condition(prefix)
    week_start = today - timedelta(days=today.weekday())
    this_week = shared & Q(**{f"{prefix}day__gte": week_start, f"{prefix}day__lte": today})
    unread = shared & (
        Q(therapist_last_visit_at__isnull=True)
        | Q(**{f"{prefix}created_at__gt": F("therapist_last_visit_at")})
    )
    return list(
        Share.objects.filter(pk__in=share_ids)
        .select_related("client")
        .annotate(
            last_entry_day=Max(f"{prefix}day", filter=shared),
            entries_this_week=Count(f"{prefix}id", filter=this_week),
            days_practised_this_week=Count(f"{prefix}day", filter=this_week, distinct=True),
            unread_entries=Count(f"{prefix}id", filter=unread),
        )
        .order_by(*CLIENT_ORDER)
    )


# --- The client's side ----------------------------------------------------------------------


def shares_for_client(*, client: User) -> QuerySet[Share]:
    return Share.objects.filter(client=client).select_related("therapist").order_by("-created_at")


def share_for_client(*, client: User, share_id: int) -> Share | None:
    return shares_for_client(client=client).filter(pk=share_id).first()


def active_share_with_email(*, client: User, email: str) -> Share | None:
    """The client's active Share with whoever owns this address, if there is one."""
    return (
        Share.objects.filter(client=client, status=Share.Status.ACTIVE)
        .filter(Q(therapist__email__iexact=email) | Q(invited_email__iexact=email))
        .first()
    )


def access_logs_for_client(*, client: User) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(share__client=client).order_by("-created_at", "-id")


def access_logs_for_share(*, share: Share) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(share=share).order_by("-created_at", "-id")


def comments_for_client(*, client: User) -> QuerySet[Comment]:
    """Every comment on the client's live entries, newest first."""
    return (
        Comment.objects.filter(entry__user=client, entry__deleted_at__isnull=True)
        .select_related("author", "entry")
        .order_by("-created_at", "-id")
    )


def unread_comment_count(*, client: User) -> int:
    return comments_for_client(client=client).filter(read_by_client_at__isnull=True).count()


def comments_on_entry(*, entry: Entry) -> QuerySet[Comment]:
    """All therapists' comments on an entry, for its owner."""
    return Comment.objects.filter(entry=entry).select_related("author")


def invitations_sent_since(*, client: User, since) -> int:
    return Invitation.objects.filter(share__client=client, created_at__gte=since).count()


# --- Invitations ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationExpired(Exception):
    """The link's signature is genuine but older than seven days."""


def invitation_for_link(*, signed: str) -> Invitation | None:
    """The Invitation a link points to; None for a link we never made.

    Raises InvitationExpired for a genuine link past its seven days.
    """
    try:
        token = signing.loads(signed, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationExpired from None
    except signing.BadSignature:
        return None
    if not isinstance(token, str):
        return None
    return (
        Invitation.objects.select_related("share__client")
        .filter(token_hash=token_hash(token))
        .first()
    )
