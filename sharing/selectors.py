"""Reads for sharing. Every therapist read of client data starts at `share_for_therapist`."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from core import links
from core.paging import Page, page_of
from journal import insights
from journal import selectors as journal_selectors
from journal.export import register_section
from journal.kinds import KINDS, NEGATIVE, POSITIVE, EntryKind, moment_of
from journal.models import Entry
from lessons.models import Progress

from .models import (
    AccessLog,
    ClientInvitation,
    Comment,
    CommentsOff,
    Homework,
    Invitation,
    SessionNote,
    Share,
    ShareMessage,
    TalkAbout,
)

# The dashboard shows clients a page at a time, so it costs the same for 5 clients or 500.
CLIENTS_PER_PAGE = 25
CLIENT_ORDER = ("client__display_name", "client__email", "pk")

INVITATION_SALT = "sharing.invitation"
CLIENT_INVITATION_SALT = "sharing.client-invitation"


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


def share_ended_for_therapist(*, therapist: User, client_id: int) -> bool:
    """Whether this client once shared with this therapist and has stopped (or the
    therapist did): what lets their old links say so rather than a bare 404."""
    ended = [Share.Status.REVOKED, Share.Status.ENDED]
    return Share.objects.filter(therapist=therapist, client_id=client_id, status__in=ended).exists()


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


def thread_for_therapist(*, entry: Entry, therapist: User) -> QuerySet[Comment]:
    """A therapist's conversation with the client on an entry: their comments and the
    client's replies to them. Another therapist's conversation would reveal that one."""
    return Comment.objects.filter(entry=entry, therapist=therapist).select_related("author")


def comments_open(*, share: Share, entry: Entry) -> bool:
    """Whether new messages may be written on this entry under this share."""
    return share.comments_allowed and not CommentsOff.objects.filter(entry=entry).exists()


def insights_for_share(*, share: Share, today: date) -> insights.Insights:
    """The client's insights pictures drawn from exactly what `shared_entries` opens."""
    return journal_selectors.insights_for(
        user=share.client,
        kinds=set(share.kinds),
        today=today,
        include_private=False,
        since=share.shared_from,
    )


def _shared_entry_condition(prefix: str, *, share: str = "") -> Q:
    """`shared_entries` as a condition on joined entries (`prefix` names their join) and the
    Share that opens them (`share` names its join; empty when the query is of Shares)."""
    in_scope = Q()
    for value, kind in KINDS.items():
        in_scope |= Q(**{f"{prefix}kind": value, f"{share}{kind.scope}": True})
    return in_scope & Q(
        **{
            f"{prefix}deleted_at__isnull": True,  # a join skips the live-entries manager
            f"{prefix}is_private": False,
            f"{prefix}day__gte": F(f"{share}shared_from"),
        }
    )


def client_shares_page(
    *, therapist: User, page: str | None = None, size: int = CLIENTS_PER_PAGE
) -> Page:
    """A page of the therapist's active shares, as rows of their pk, client_id and the
    client's time zone (what the access log and the figures of a dashboard visit start
    from), in one query."""
    shares = shares_received(therapist=therapist).values_list(
        "pk", "client_id", "client_time_zone", named=True
    )
    return page_of(shares, page, size=size)


def shares_received(*, therapist: User) -> QuerySet[Share]:
    """The therapist's active shares with their clients, each with `client_time_zone` for
    the access log (services.access_logs_count_visit)."""
    return (
        Share.objects.filter(therapist=therapist, status=Share.Status.ACTIVE)
        .select_related("client")
        .annotate(client_time_zone=F("client__time_zone"))
        .order_by(*CLIENT_ORDER)
    )


def clients_with_figures(*, share_ids: list[int], today: date) -> list[Share]:
    """These Shares with each client's figures, in one query however many clients.

    The week runs from Monday to `today`. Unread entries are shared ones written since the
    therapist last opened that client's journal.
    """
    # The shared condition goes once into the join rather than into each figure: Django
    # built the query (every kind in each of four figures) slower than the database ran it.
    shared = FilteredRelation(
        "client__entries", condition=_shared_entry_condition("client__entries__")
    )
    # The client's unread replies join those same entries, rather than a subquery building
    # the shared condition again (2 ms a visit); a reply repeats its entry's row, so the
    # figures count distinct entries.
    replies = FilteredRelation(
        "shared__comments",
        condition=Q(
            shared__comments__author=F("client"),
            shared__comments__therapist=F("therapist"),
            shared__comments__read_by_therapist_at__isnull=True,
        ),
    )
    week_start = today - timedelta(days=today.weekday())
    this_week = Q(shared__day__gte=week_start, shared__day__lte=today)
    unread = Q(therapist_last_visit_at__isnull=True) | Q(
        shared__created_at__gt=F("therapist_last_visit_at")
    )
    return list(
        Share.objects.filter(pk__in=share_ids)
        .select_related("client")
        .annotate(shared=shared, replies=replies)
        .annotate(
            last_entry_day=Max("shared__day"),
            entries_this_week=Count("shared__id", filter=this_week, distinct=True),
            days_practised_this_week=Count("shared__day", filter=this_week, distinct=True),
            unread_entries=Count("shared__id", filter=unread, distinct=True),
            unread_messages=Count("replies__id", distinct=True) + _unread_share_messages(),
        )
        .order_by(*CLIENT_ORDER)
    )


def _count_per_row(rows: QuerySet, *, group_by: str) -> Coalesce:
    """How many of `rows` (filtered on OuterRef) there are, as an expression; 0 for none."""
    counted = rows.order_by().values(group_by).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), 0)


def _unread_replies() -> QuerySet[Comment]:
    """Clients' replies their therapist has not read, on entries the client's active share
    with that therapist opens now: a reply on an entry since made private, or out of the
    share's scopes, cannot be opened, so it is not counted."""
    through = "entry__user__shares_given__"
    share = {"therapist": F("therapist"), "status": Share.Status.ACTIVE}
    return Comment.objects.filter(
        # One filter() call, so that every condition on the client's shares is on one share.
        _shared_entry_condition("entry__", share=through),
        author=F("entry__user"),
        read_by_therapist_at__isnull=True,
        **{f"{through}{name}": value for name, value in share.items()},
    )


def _unread_share_messages() -> Coalesce:
    """For a Share: the client's messages about the share that its therapist has not read,
    as an expression inside the Share's own query."""
    messages = ShareMessage.objects.filter(
        therapist=OuterRef("therapist"),
        client=OuterRef("client"),
        by_therapist=False,
        read_at__isnull=True,
    )
    return _count_per_row(messages, group_by="client")


def new_entry_counts(*, therapist: User, since: datetime) -> dict[int, int]:
    """{share id: shared entries written since `since` and since the therapist last looked},
    for each active share with any, in one query."""
    prefix = "client__entries__"
    new = _shared_entry_condition(prefix) & Q(**{f"{prefix}created_at__gt": since})
    new &= Q(therapist_last_visit_at__isnull=True) | Q(
        **{f"{prefix}created_at__gt": F("therapist_last_visit_at")}
    )
    shares = (
        Share.objects.filter(therapist=therapist, status=Share.Status.ACTIVE)
        .annotate(new=Count(f"{prefix}id", filter=new))
        .filter(new__gt=0)
    )
    return dict(shares.values_list("pk", "new"))


def reads_any_journal(*, therapist: User) -> bool:
    """Whether anyone shares their journal with this person now."""
    return Share.objects.filter(therapist=therapist, status=Share.Status.ACTIVE).exists()


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
    """Every therapist's message on the client's live entries, newest first."""
    return (
        Comment.objects.filter(entry__user=client, entry__deleted_at__isnull=True)
        .exclude(author=client)
        .select_related("author", "entry")
        .order_by("-created_at", "-id")
    )


def unread_comment_count(*, client: User) -> int:
    return comments_for_client(client=client).filter(read_by_client_at__isnull=True).count()


def comments_on_entry(*, entry: Entry) -> QuerySet[Comment]:
    """Every conversation on an entry, for its owner."""
    return Comment.objects.filter(entry=entry).select_related("author", "therapist")


@dataclass
class Thread:
    """The owner's conversation with one therapist on one of their entries."""

    therapist: User
    messages: list[Comment] = field(default_factory=list)
    share: Share | None = None  # the active share that still shows them this entry

    @property
    def can_reply(self) -> bool:
        return self.share is not None and self.share.comments_allowed


def threads_for_owner(*, entry: Entry) -> list[Thread]:
    """The entry's conversations, one per therapist, each with whether the owner can reply."""
    threads: dict[int, Thread] = {}
    for comment in comments_on_entry(entry=entry):
        threads.setdefault(comment.therapist_id, Thread(comment.therapist)).messages.append(comment)
    if not threads:
        return []
    shares = Share.objects.filter(
        client_id=entry.user_id, therapist_id__in=threads, status=Share.Status.ACTIVE
    )
    off = CommentsOff.objects.filter(entry=entry).exists()
    for share in shares:
        if not off and entry.pk in _shared_ids(share, [entry.pk]):
            threads[share.therapist_id].share = share
    return list(threads.values())


def _shared_ids(share: Share, entry_ids: list[int]) -> set[int]:
    return set(shared_entries(share=share).filter(pk__in=entry_ids).values_list("pk", flat=True))


def reply_target(*, entry: Entry, therapist_id: int) -> tuple[User, Share | None] | None:
    """The therapist whose conversation the owner answers, and the active share that still
    shows them this entry (None when it no longer does). None when there is no such
    conversation."""
    first = (
        Comment.objects.filter(entry=entry, therapist_id=therapist_id)
        .select_related("therapist")
        .first()
    )
    if first is None:
        return None
    share = Share.objects.filter(
        client_id=entry.user_id, therapist_id=therapist_id, status=Share.Status.ACTIVE
    ).first()
    if share and entry.pk not in _shared_ids(share, [entry.pk]):
        share = None
    return first.therapist, share


def own_reply(*, client: User, comment_id: int) -> Comment | None:
    """One of the client's own replies, on one of their live entries."""
    return (
        Comment.objects.filter(pk=comment_id, author=client, entry__user=client)
        .select_related("entry", "therapist")
        .first()
    )


def entry_comments_off(*, entry: Entry) -> bool:
    return CommentsOff.objects.filter(entry=entry).exists()


def _client_invitations_open(*, user: User) -> QuerySet[ClientInvitation]:
    """Therapists' invitations to share a journal nobody has answered, withdrawn or let
    expire, but the user's own."""
    return ClientInvitation.objects.filter(
        used_at__isnull=True,
        declined_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exclude(therapist=user)


def _share_invitations_open(*, user: User) -> QuerySet[Invitation]:
    """Clients' invitations to read their journal that can still be accepted, but the
    user's own."""
    return Invitation.objects.filter(
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        share__status=Share.Status.INVITED,
    ).exclude(share__client=user)


def _sent_to(user: User) -> Exists:
    """The invitation's address is one of the user's confirmed ones, in any case of theirs,
    as the link takes it."""
    theirs = EmailAddress.objects.filter(user=user, verified=True, email__iexact=OuterRef("email"))
    return Exists(theirs)


def client_invitations_for(*, user: User) -> QuerySet[ClientInvitation]:
    """Invitations from therapists to any of the user's confirmed addresses that they can
    still answer, newest first: what Today (or a therapist's list of clients) shows until
    they answer."""
    invitations = _client_invitations_open(user=user).filter(_sent_to(user))
    return invitations.select_related("therapist").order_by("-created_at")


def client_invitations_pending(*, therapist: User) -> QuerySet[ClientInvitation]:
    """The therapist's invitations still without a share: waiting, expired or declined,
    newest first. Answered ones are not listed: the client is in the list of clients while
    they share, and nowhere once they stop."""
    return ClientInvitation.objects.filter(
        therapist=therapist, used_at__isnull=True, withdrawn_at__isnull=True
    ).order_by("-created_at")


def client_invitation_of_therapist(
    *, therapist: User, invitation_id: int
) -> ClientInvitation | None:
    return client_invitations_pending(therapist=therapist).filter(pk=invitation_id).first()


def share_invitations_for(*, user: User) -> QuerySet[Invitation]:
    """Clients' invitations to read their journal, sent to any of the user's confirmed
    addresses, that they can still accept, newest first: what their list of clients (or
    Today, before they are a therapist) shows until they answer. The mirror of
    `client_invitations_for`."""
    invitations = _share_invitations_open(user=user).filter(_sent_to(user))
    return invitations.select_related("share__client").order_by("-created_at")


def share_invitation_declinable(*, user: User, invitation: Invitation) -> bool:
    """Whether the user may decline this invitation: it is open and sent to them, one of
    `share_invitations_for`. One they may not accept (they already read the client's
    journal) they may still turn down, so it leaves their list and the client's instead of
    waiting until it expires."""
    return share_invitations_for(user=user).filter(pk=invitation.pk).exists()


# Who sent each kind of invitation: never the one who answers it, and named on its page.
SENDER = {ClientInvitation: "therapist", Invitation: "share__client"}


def invitation_sent_to[T: (ClientInvitation, Invitation)](
    kind: type[T], *, user: User, invitation_id: int
) -> T | None:
    """One invitation of `kind` sent by someone else to one of the user's confirmed
    addresses, open or not (a second tap finds it answered, and its page says so); None for
    anyone else's: how the app opens one, where the link has a token instead."""
    invitations = kind.objects.filter(_sent_to(user), pk=invitation_id)
    sender = SENDER[kind]
    return invitations.exclude(**{sender: user}).select_related(sender).first()


# Anyone may invite any address, so a page lists at most this many, newest first.
INVITATIONS_WAITING_SHOWN = 10


@dataclass(frozen=True)
class InvitationsWaiting:
    """Both kinds of invitation waiting for one person's answer, newest first."""

    to_share: list[ClientInvitation]  # from therapists, to share the person's journal
    to_read: list[Invitation]  # from clients, to read theirs


def invitations_waiting(*, user: User) -> InvitationsWaiting:
    """What Today, or a therapist's list of clients, shows until the person answers, in one
    query when nothing waits (most visits of most people), and one more for each kind that
    does."""
    sent_here = {"email__iexact": OuterRef("email")}
    per_address = EmailAddress.objects.filter(user=user, verified=True).values_list(
        Exists(_client_invitations_open(user=user).filter(**sent_here)),
        Exists(_share_invitations_open(user=user).filter(**sent_here)),
    )
    waiting = list(per_address)
    to_share = any(share for share, _ in waiting)
    to_read = any(read for _, read in waiting)
    shown = INVITATIONS_WAITING_SHOWN
    return InvitationsWaiting(
        to_share=list(client_invitations_for(user=user)[:shown]) if to_share else [],
        to_read=list(share_invitations_for(user=user)[:shown]) if to_read else [],
    )


def invitations_sent_since(*, client: User, since) -> int:
    return Invitation.objects.filter(share__client=client, created_at__gte=since).count()


# --- Invitations ----------------------------------------------------------------------------


token_hash = links.token_hash


def client_invitation_for_link(*, signed: str) -> ClientInvitation | None:
    """The therapist's invitation a link points to (core.links)."""
    hashed = links.hash_from_link(
        signed, salt=CLIENT_INVITATION_SALT, max_age=links.INVITATION_MAX_AGE
    )
    if hashed is None:
        return None
    invitations = ClientInvitation.objects.select_related("therapist")
    return invitations.filter(token_hash=hashed).first()


def invitation_for_link(*, signed: str) -> Invitation | None:
    """The client's Invitation a link points to (core.links)."""
    hashed = links.hash_from_link(signed, salt=INVITATION_SALT, max_age=links.INVITATION_MAX_AGE)
    if hashed is None:
        return None
    return Invitation.objects.select_related("share__client").filter(token_hash=hashed).first()


# --- Session preparation --------------------------------------------------------------------


@dataclass(frozen=True)
class KindSummary:
    """How many entries of one shared kind fall in the range, and how its choices split."""

    kind: EntryKind
    count: int
    # (a choice field's label, [(a choice's words, count)]) for each radio or select field.
    splits: list[tuple[str, list[tuple[str, int]]]]


@dataclass(frozen=True)
class SessionSummary:
    start: date
    end: date
    kinds: list[KindSummary]
    positive: int
    negative: int
    lessons_done: list[Progress] | None  # None when lesson progress is not shared

    @property
    def total(self) -> int:
        return sum(k.count for k in self.kinds)

    @property
    def ratio(self) -> str:
        return insights.ratio_text(self.positive, self.negative)


def _choice_fields(kinds: list[EntryKind]) -> list[str]:
    names: list[str] = []
    for kind in kinds:
        names += [f.name for f in kind.fields if f.input in ("radio", "select")]
    return sorted(set(names))


def _kind_summary(kind: EntryKind, rows: list[dict]) -> KindSummary:
    mine = [row for row in rows if row["kind"] == kind.value]
    splits = []
    for spec in kind.fields:
        if spec.input not in ("radio", "select"):
            continue
        counts: dict[str, int] = {}
        for row in mine:
            counts[row[spec.name]] = counts.get(row[spec.name], 0) + row["n"]
        values = [value for value, _ in spec.choices.choices if counts.get(value)]
        splits.append(
            (spec.label.they, [(spec.words_for(value, "they"), counts[value]) for value in values])
        )
    return KindSummary(kind=kind, count=sum(row["n"] for row in mine), splits=splits)


def session_summary(*, share: Share, start: date, end: date) -> SessionSummary:
    """Counts for the shared entries between two days, in one query (two with progress).

    Every kind the share opens is summed, and each of its radio and select fields split
    by value, as the kinds registry (journal/kinds/) declares them: a new kind needs nothing
    here.
    """
    kinds = [KINDS[value] for value in share.kinds]
    rows = list(
        shared_entries(share=share, start=start, end=end)
        .values("kind", *_choice_fields(kinds))
        .annotate(n=Count("id"))
        .order_by()
    )
    moments = {POSITIVE: 0, NEGATIVE: 0}
    for row in rows:
        moment = moment_of(row["kind"], row)
        if moment:
            moments[moment] += row["n"]
    return SessionSummary(
        start=start,
        end=end,
        kinds=[_kind_summary(kind, rows) for kind in kinds],
        positive=moments[POSITIVE],
        negative=moments[NEGATIVE],
        lessons_done=_lessons_done(share, start, end) if share.share_progress else None,
    )


def _lessons_done(share: Share, start: date, end: date) -> list[Progress]:
    zone = share.client.zone
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return list(
        Progress.objects.filter(user_id=share.client_id, done_at__gte=since, done_at__lt=until)
        .select_related("lesson")
        .order_by("done_at")
    )


def session_entries(*, share: Share, start: date, end: date) -> QuerySet[Entry]:
    """The range's shared entries, oldest first, as a session reads them."""
    return shared_entries(share=share, start=start, end=end).order_by("day", "created_at", "pk")


def shares_with_client_email(*, therapist: User, email: str) -> bool:
    """Whether whoever owns this address already shares their journal with the therapist."""
    active = Share.objects.filter(therapist=therapist, status=Share.Status.ACTIVE)
    return active.filter(client__email__iexact=email).exists()


# --- Session notes and "talk about this" ----------------------------------------------------


def session_notes_for(*, therapist: User, client_id: int) -> QuerySet[SessionNote]:
    """The therapist's own notes on one client, newest session first."""
    return SessionNote.objects.filter(therapist=therapist, client_id=client_id)


def session_note_of(*, therapist: User, client_id: int, note_id: int) -> SessionNote | None:
    return session_notes_for(therapist=therapist, client_id=client_id).filter(pk=note_id).first()


def session_notes_export(*, therapist: User) -> QuerySet[SessionNote]:
    """Every note the therapist wrote on a client who shares with them now, for their own
    export. As with the notes page, a client who stops sharing takes theirs out of reach,
    and their name and address with them; the notes are kept for a share to come."""
    return (
        SessionNote.objects.filter(
            therapist=therapist,
            client__shares_given__therapist=therapist,
            client__shares_given__status=Share.Status.ACTIVE,
        )
        .select_related("client")
        .order_by("client__display_name", "client__email", "session_date", "pk")
    )


def talk_about_entries(*, share: Share) -> QuerySet[Entry]:
    """Entries the client flagged to talk about that this share opens, oldest first."""
    return (
        shared_entries(share=share)
        .filter(talk_about__isnull=False)
        .order_by("day", "created_at", "pk")
    )


def entry_talk_about(*, entry: Entry) -> bool:
    return TalkAbout.objects.filter(entry=entry).exists()


# --- Homework -------------------------------------------------------------------------------


def _with_done(homework: QuerySet[Homework]) -> QuerySet[Homework]:
    """Each suggestion with `done`: the lesson finished, or an entry of the tool's kind
    written, since it was suggested. Private entries count for nothing: a therapist must not
    learn that one exists."""
    lesson_done = Progress.objects.filter(
        user_id=OuterRef("client_id"),
        lesson__slug=OuterRef("lesson_slug"),
        done_at__gte=OuterRef("created_at"),
    )
    tool_used = Entry.objects.filter(
        user_id=OuterRef("client_id"),
        kind=OuterRef("kind"),
        created_at__gte=OuterRef("created_at"),
        is_private=False,
    )
    return homework.annotate(done=Exists(lesson_done) | Exists(tool_used))


def homework_for_share(*, share: Share) -> QuerySet[Homework]:
    """What this therapist suggested to this client, newest first, with `done`."""
    return _with_done(Homework.objects.filter(therapist_id=share.therapist_id, client=share.client))


def homework_open_for_client(*, client: User) -> list[Homework]:
    """Suggestions not set aside nor done, from therapists the client still shares with,
    newest first: Today shows the first as the suggested next step."""
    open_homework = Homework.objects.filter(
        client=client, status__in=[Homework.Status.SUGGESTED, Homework.Status.ACCEPTED]
    )
    # Most clients have none: ask the plain question first, since building `done`'s two
    # subqueries costs Today several milliseconds a visit (scripts/bench), and the shares'
    # subquery too: 0.8 ms of CPU with it, 0.4 without.
    if not open_homework.exists():
        return []
    active = Share.objects.filter(client=client, status=Share.Status.ACTIVE).values("therapist")
    homework = open_homework.filter(therapist__in=active).select_related("therapist")
    return [h for h in _with_done(homework) if not h.done]


def homework_of_client(*, client: User, homework_id: int) -> Homework | None:
    return next((h for h in homework_open_for_client(client=client) if h.pk == homework_id), None)


# --- Inbox and conversations ----------------------------------------------------------------


def _unread_from_clients(therapist: User) -> tuple[QuerySet[Comment], QuerySet[ShareMessage]]:
    """The replies on entries and the messages about a share, from clients who share with
    the therapist now, that the therapist has not read."""
    clients = Share.objects.filter(therapist=therapist, status=Share.Status.ACTIVE).values("client")
    replies = _unread_replies().filter(therapist=therapist)
    messages = ShareMessage.objects.filter(
        therapist=therapist, client__in=clients, by_therapist=False, read_at__isnull=True
    )
    return replies, messages


def unread_for_therapist(*, therapist: User) -> dict[int, int]:
    """{client id: how many of their replies and messages the therapist has not read}, in
    two queries."""
    replies, messages = _unread_from_clients(therapist)
    unread: dict[int, int] = {}
    for rows in (replies.values_list("author"), messages.values_list("client")):
        for client_id, n in rows.annotate(n=Count("id")).order_by():
            unread[client_id] = unread.get(client_id, 0) + n
    return unread


def new_reply_count(*, therapist: User, since: datetime) -> int:
    """The client replies and messages the therapist has not read, written since `since`:
    what the therapist's notice counts, without names."""
    replies, messages = _unread_from_clients(therapist)
    recent = {"created_at__gt": since}
    return replies.filter(**recent).count() + messages.filter(**recent).count()


def entries_with_unread_replies(*, share: Share) -> QuerySet[Entry]:
    """The shared entries where the client replied and the therapist has not read it yet."""
    unread = Comment.objects.filter(
        therapist_id=share.therapist_id,
        author_id=share.client_id,
        read_by_therapist_at__isnull=True,
    )
    return (
        shared_entries(share=share)
        .filter(pk__in=unread.values("entry"))
        .annotate(
            unread=Count(
                "comments",
                filter=Q(
                    comments__therapist_id=share.therapist_id,
                    comments__author_id=share.client_id,
                    comments__read_by_therapist_at__isnull=True,
                ),
            )
        )
    )


def conversation(*, client_id: int, therapist_id: int) -> QuerySet[ShareMessage]:
    return ShareMessage.objects.filter(client_id=client_id, therapist_id=therapist_id)


def unread_from_therapists(*, client: User) -> dict[int, int]:
    """{therapist id: their messages about the share the client has not read}."""
    active = Share.objects.filter(client=client, status=Share.Status.ACTIVE).values("therapist")
    rows = (
        ShareMessage.objects.filter(
            client=client, therapist__in=active, by_therapist=True, read_at__isnull=True
        )
        .values_list("therapist")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def who(therapist: User) -> str:
    """A therapist as their clients know them (the access log, the export): name and address."""
    if therapist.display_name:
        return f"{therapist.display_name} ({therapist.email})"
    return therapist.email


@register_section("comments")
def comments_for_export(*, user: User) -> list[dict]:
    """The conversations on the user's live entries, both sides: what the owner's pages show."""
    rows = Comment.objects.filter(entry__user=user, entry__deleted_at__isnull=True)
    return [
        {
            "entry_id": row.entry_id,
            "therapist": who(row.therapist),
            "by_you": row.author_id == user.pk,
            "body": row.body,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
        for row in rows.select_related("entry", "therapist").order_by("created_at", "id")
    ]


@register_section("messages")
def messages_for_export(*, user: User) -> list[dict]:
    """The user's conversations with their therapists about sharing as a whole."""
    rows = ShareMessage.objects.filter(client=user).select_related("therapist")
    return [
        {
            "therapist": who(row.therapist),
            "by_you": not row.by_therapist,
            "body": row.body,
            "created_at": row.created_at,
        }
        for row in rows.order_by("created_at", "id")
    ]
