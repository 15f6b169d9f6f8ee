"""Writes for sharing: invitations, scopes, revoking, the access log and comments."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from core import links
from core.retention import delete_before
from journal.models import Entry

from . import emails, selectors
from .models import (
    SCOPE_FIELDS,
    AccessLog,
    ClientInvitation,
    Comment,
    CommentsOff,
    Homework,
    Invitation,
    NoticePreference,
    SessionNote,
    Share,
    ShareMessage,
    TalkAbout,
)

INVITATION_DECLINED = "This invitation was declined. Nothing was shared."


def _shares_with(*, client_id: int, therapist: User) -> bool:
    return Share.objects.filter(
        client_id=client_id, therapist=therapist, status=Share.Status.ACTIVE
    ).exists()


@transaction.atomic
def share_invite(
    *,
    client: User,
    email: str,
    shared_from: date,
    **scopes: bool,
) -> Share:
    """Create a Share waiting for `email` and send its invitation once the rows are saved.

    A new invitation to an address with one still waiting replaces it.
    Raises TooManyInvitations past the hourly limit.
    """
    # Lock the client's row so parallel requests count invitations one after another.
    User.objects.select_for_update().filter(pk=client.pk).first()
    now = timezone.now()
    sent = selectors.invitations_sent_since(client=client, since=now - timedelta(hours=1))
    if sent >= links.INVITATIONS_PER_HOUR:
        raise links.TooManyInvitations
    for waiting in Share.objects.filter(
        client=client, status=Share.Status.INVITED, invited_email__iexact=email
    ):
        share_revoke(share=waiting, by=client)
    share = Share.objects.create(
        client=client, invited_email=email, shared_from=shared_from, **_scopes(scopes)
    )
    invitation, signed = links.invitation_create(
        Invitation, salt=selectors.INVITATION_SALT, share=share, email=email
    )
    transaction.on_commit(lambda: emails.send_invitation(invitation=invitation, signed=signed))
    return share


def invitation_problem(*, invitation: Invitation) -> str | None:
    """Why nobody can accept this invitation any more, or None while it is open."""
    share = invitation.share
    if share.declined:
        return INVITATION_DECLINED
    return links.invitation_closed(
        used=bool(invitation.used_at) or share.status in (Share.Status.ACTIVE, Share.Status.ENDED),
        withdrawn=bool(invitation.revoked_at) or share.status == Share.Status.REVOKED,
        withdrawn_by=str(share.client),
        expires_at=invitation.expires_at,
    )


def invitation_refusal(*, invitation: Invitation, user: User) -> str | None:
    """Why this user cannot accept this invitation now, or None if they can."""
    if problem := invitation_problem(invitation=invitation):
        return problem
    if refusal := invitation_not_for(invitation=invitation, user=user, answer="accept"):
        return refusal
    share = invitation.share
    if _shares_with(client_id=share.client_id, therapist=user):
        return f"You can already read {share.client}'s journal."
    return None


def invitation_not_for(
    *, invitation: Invitation, user: User, answer: str = "decline"
) -> str | None:
    """Why this user may not `answer` (accept, decline) this invitation: it is their own, or
    it was emailed to an address that is not one of theirs, confirmed. None when it is
    theirs."""
    if user.pk == invitation.share.client_id:
        return "This is your own invitation. Send the link to your therapist instead."
    return links.sent_elsewhere(user=user, email=invitation.email, answer=answer)


def invitation_decline(*, invitation: Invitation) -> bool:
    """Decline a client's invitation: its share ends without ever opening, so the client no
    longer sees it waiting and its link says it was declined. False when it was already
    answered or withdrawn."""
    ended = Share.objects.filter(pk=invitation.share_id, status=Share.Status.INVITED).update(
        status=Share.Status.ENDED, ended_at=timezone.now()
    )
    return ended == 1


def _lock_therapist(therapist_id: int) -> None:
    """Every write that opens a share takes the therapist's row first: two yeses between the
    same two people queue, so the second sees the first's share and is refused (rather than
    meeting share_one_active_per_pair), and a yes and a resend never deadlock."""
    User.objects.lock(therapist_id)


def _therapist_role_given(user: User) -> None:
    """Whoever reads a client's journal has the therapist's pages from then on."""
    if user.role != User.Role.THERAPIST:
        User.objects.filter(pk=user.pk).update(role=User.Role.THERAPIST)
        user.role = User.Role.THERAPIST


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Share:
    """Open the Share to `user` and give them the therapist role. Raises
    core.links.InvitationRefused."""
    _lock_therapist(user.pk)
    # Then the share's row, then its invitation's: the order share_revoke writes them in,
    # so an accept and a revoke at the same moment wait for each other, never deadlock.
    Share.objects.select_for_update().filter(pk=invitation.share_id).first()
    invitation = links.locked_unless_refused(
        Invitation.objects.select_related("share__client"),
        invitation.pk,
        lambda locked: invitation_refusal(invitation=locked, user=user),
    )
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now)
    share = invitation.share
    share.status = Share.Status.ACTIVE
    share.therapist = user
    share.accepted_at = now
    share.save(update_fields=["status", "therapist", "accepted_at"])
    _therapist_role_given(user)
    return share


def _scopes(scopes: dict[str, bool]) -> dict[str, bool]:
    """Every scope flag (sharing.models.SCOPES), off unless given; unknown flags are an error."""
    unknown = set(scopes) - set(SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"No share scope {', '.join(sorted(unknown))}")
    return {flag: bool(scopes.get(flag)) for flag in SCOPE_FIELDS}


@transaction.atomic
def share_update_scopes(*, share: Share, shared_from: date, **scopes: bool) -> Share:
    for flag, on in _scopes(scopes).items():
        setattr(share, flag, on)
    share.shared_from = shared_from
    share.save(update_fields=[*SCOPE_FIELDS, "shared_from"])
    return share


@transaction.atomic
def share_revoke(*, share: Share, by: User) -> None:
    """Close the Share at once: revoked when the client does it, ended when the therapist does.

    Waiting invitations die with it.
    """
    status = Share.Status.REVOKED if by.pk == share.client_id else Share.Status.ENDED
    now = timezone.now()
    Share.objects.filter(
        pk=share.pk, status__in=[Share.Status.INVITED, Share.Status.ACTIVE]
    ).update(status=status, ended_at=now)
    Invitation.objects.filter(share=share, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    share.refresh_from_db(fields=["status", "ended_at"])


def shares_end_for_leaving_therapist(*, user: User, **signal) -> None:
    """Receiver of accounts.signals.account_deleting: the shares this therapist reads end,
    as if they had ended them, so each client sees it ended and may invite the address again.
    (The database then empties Share.therapist.)"""
    ended = Share.objects.filter(therapist=user, status=Share.Status.ACTIVE)
    ended.update(status=Share.Status.ENDED, ended_at=timezone.now())


def access_log_write(*, share: Share, therapist: User, what: str, path: str) -> AccessLog:
    return AccessLog.objects.create(
        share=share, therapist=therapist, who=selectors.who(therapist), what=what, path=path[:500]
    )


def access_logs_count_visit(*, shares: list, therapist: User, what: str, path: str) -> None:
    """A visit to a page that shows several clients (the list of clients): one row per
    therapist, client and the client's own day, counting the visits, in two queries whatever
    the page holds (`shares`: each with its pk and its client's `client_time_zone`, as
    selectors.client_shares_page's rows).
    """
    now = timezone.now()
    days = {share.pk: now.astimezone(ZoneInfo(share.client_time_zone)).date() for share in shares}
    row = {"who": selectors.who(therapist), "what": what[:200], "path": path[:500]}
    try:
        _daily_rows_count(days, therapist, row, now=now)
    except IntegrityError:  # a client on the page deleted their account as it was read
        kept = set(Share.objects.filter(pk__any=list(days)).values_list("pk", flat=True))
        _daily_rows_count({pk: days[pk] for pk in kept}, therapist, row, now=now)


@transaction.atomic
def _daily_rows_count(days: dict[int, date], therapist: User, row: dict, *, now: datetime) -> None:
    """The first visit of a client's day makes its row (at a count of 0), each visit adds
    one; two visits at once each add theirs, as the unique constraint leaves one row to add
    to. `days`: each share's client's day now."""
    if not days:
        return
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                share_id=pk, therapist=therapist, daily=True, day=day, **row, count=0, last_at=now
            )
            for pk, day in days.items()
        ],
        ignore_conflicts=True,
    )
    by_day = defaultdict(list)
    for pk, day in days.items():
        by_day[day].append(pk)
    todays = reduce(or_, (Q(day=day, share_id__any=pks) for day, pks in by_day.items()))
    AccessLog.objects.filter(todays, therapist=therapist, daily=True).update(
        count=F("count") + 1, last_at=now
    )


def access_logs_expire(*, now: datetime) -> int:
    """Delete the access-log rows older than ACCESS_LOG_RETENTION_DAYS, a batch at a time so
    no transaction holds many locks; returns how many went."""
    cutoff = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    return delete_before(AccessLog.objects.all(), field="created_at", cutoff=cutoff)


def share_mark_visited(*, share: Share) -> None:
    Share.objects.filter(pk=share.pk).update(therapist_last_visit_at=timezone.now())


def access_logs_for_entries(
    *, share: Share, therapist: User, summary: str, entries: list[Entry], path: str
) -> None:
    """A page that shows several entries: one row for the page, then one per entry shown,
    in one query."""
    who, path = selectors.who(therapist), path[:500]
    whats = [summary] + [f"Entry: {entry}" for entry in entries]
    AccessLog.objects.bulk_create(
        AccessLog(share=share, therapist=therapist, who=who, what=what[:200], path=path)
        for what in whats
    )


def session_range_remember(*, share: Share, start: date, end: date) -> None:
    Share.objects.filter(pk=share.pk).update(prep_start=start, prep_end=end)
    share.prep_start, share.prep_end = start, end


def comment_create(*, entry: Entry, author: User, therapist: User, body: str) -> Comment:
    """A message in `therapist`'s conversation on `entry`: theirs, or the client's reply.

    The client's own messages are read by them the moment they write them.
    """
    now = timezone.now()
    by_client = author.pk == entry.user_id
    return Comment.objects.create(
        entry=entry,
        author=author,
        therapist=therapist,
        body=body,
        read_by_client_at=now if by_client else None,
        read_by_therapist_at=None if by_client else now,
    )


def comment_update(*, comment: Comment, body: str) -> bool:
    """Change the text; False when the comment is gone (deleted in another tab meanwhile)."""
    comment.body = body
    try:
        with transaction.atomic():  # a savepoint, so the view's transaction can go on
            comment.save(update_fields=["body", "updated_at"])
    except Comment.NotUpdated:
        return False
    return True


def comment_delete(*, comment: Comment) -> None:
    comment.delete()


def entry_comments_turn(*, entry: Entry, on: bool) -> None:
    """Open or close an entry to new messages from every therapist (and replies to them)."""
    if on:
        CommentsOff.objects.filter(entry=entry).delete()
    else:
        CommentsOff.objects.get_or_create(entry=entry)


def share_comments_turn(*, share: Share, on: bool) -> None:
    Share.objects.filter(pk=share.pk).update(comments_allowed=on)
    share.comments_allowed = on


def notice_preference_update(*, user: User, comments_email: bool, entries_email: bool) -> None:
    """Save which notice emails the user wants; one turned on counts from now."""
    now = timezone.now()
    preference, _ = NoticePreference.objects.get_or_create(user=user)
    if comments_email and not preference.comments_email:
        preference.comments_since = now
    if entries_email and not preference.entries_email:
        preference.entries_since = now
    preference.comments_email = comments_email
    preference.entries_email = entries_email
    preference.save()


# --- A therapist's invitation to a client ---------------------------------------------------


@transaction.atomic
def client_invite(*, therapist: User, email: str) -> ClientInvitation:
    """Email `email` a link to share their journal with `therapist`; nothing is shared until
    they choose what and confirm. A new invitation to an address with one still unanswered
    replaces it, whose link then stops working. Raises TooManyInvitations past the hourly
    limit, which counts a person's invitations of both kinds."""
    User.objects.select_for_update().filter(pk=therapist.pk).first()
    now = timezone.now()
    since = now - timedelta(hours=1)
    sent = selectors.invitations_sent_since(client=therapist, since=since)
    sent += ClientInvitation.objects.filter(therapist=therapist, created_at__gte=since).count()
    if sent >= links.INVITATIONS_PER_HOUR:
        raise links.TooManyInvitations
    ClientInvitation.objects.filter(
        therapist=therapist,
        email__iexact=email,
        used_at__isnull=True,
        declined_at__isnull=True,
        withdrawn_at__isnull=True,
    ).update(withdrawn_at=now)
    invitation, signed = links.invitation_create(
        ClientInvitation, salt=selectors.CLIENT_INVITATION_SALT, therapist=therapist, email=email
    )
    transaction.on_commit(
        lambda: emails.send_client_invitation(invitation=invitation, signed=signed)
    )
    return invitation


def client_invitation_withdraw(*, invitation: ClientInvitation) -> bool:
    """Take back an invitation not yet answered; False when it already was."""
    withdrawn = ClientInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    return withdrawn == 1


def client_invitation_resend(*, invitation: ClientInvitation) -> ClientInvitation:
    """A new link for seven more days, in place of this one, which stops working (as any new
    invitation to its address replaces it). Raises TooManyInvitations past the hourly
    limit, leaving this one as it was."""
    return client_invite(therapist=invitation.therapist, email=invitation.email)


def client_invitation_problem(*, invitation: ClientInvitation) -> str | None:
    """Why nobody can answer this invitation any more, or None while it is open."""
    if invitation.used_at:
        return "This invitation has already been answered. Each invitation works once."
    if invitation.withdrawn_at:
        return f"{invitation.therapist} has withdrawn this invitation. Nothing was shared."
    if invitation.declined_at:
        return INVITATION_DECLINED
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired. Nothing was shared. Invitations last seven days."
    return None


def client_invitation_not_for(*, invitation: ClientInvitation, user: User) -> str | None:
    """Why this user may not answer (confirm or decline) this invitation: it was emailed to
    an address that is not one of theirs, confirmed. None when it is theirs."""
    return links.sent_elsewhere(user=user, email=invitation.email, answer="answer")


def client_invitation_refusal(*, invitation: ClientInvitation, user: User) -> str | None:
    if problem := client_invitation_problem(invitation=invitation):
        return problem
    therapist = invitation.therapist
    if user.pk == therapist.pk:
        return "This is your own invitation. Send the link to your client instead."
    if refusal := client_invitation_not_for(invitation=invitation, user=user):
        return refusal
    if _shares_with(client_id=user.pk, therapist=therapist):
        return f"You already share your journal with {therapist}. Change what they see below."
    return None


@transaction.atomic
def client_invitation_confirm(
    *, invitation: ClientInvitation, client: User, shared_from: date, **scopes: bool
) -> Share:
    """The client's own choice: open a Share with what they picked. Raises
    core.links.InvitationRefused."""
    _lock_therapist(invitation.therapist_id)  # then the invitation, as client_invite does
    invitation = links.locked_unless_refused(
        ClientInvitation.objects.select_related("therapist"),
        invitation.pk,
        lambda locked: client_invitation_refusal(invitation=locked, user=client),
    )
    now = timezone.now()
    therapist = invitation.therapist
    share = Share.objects.create(
        client=client,
        therapist=therapist,
        invited_email=therapist.email,
        shared_from=shared_from,
        status=Share.Status.ACTIVE,
        accepted_at=now,
        **_scopes(scopes),
    )
    ClientInvitation.objects.filter(pk=invitation.pk).update(used_at=now, share=share)
    _therapist_role_given(therapist)
    return share


def client_invitation_decline(*, invitation: ClientInvitation) -> bool:
    """Decline an open invitation; False when it was already answered."""
    updated = ClientInvitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, declined_at__isnull=True
    ).update(declined_at=timezone.now())
    return updated == 1


def comments_mark_read(*, client: User, comment_ids: list[int]) -> int:
    """Mark these comments on the client's entries read; anyone else's ids are ignored."""
    return Comment.objects.filter(
        pk__in=comment_ids, entry__user=client, read_by_client_at__isnull=True
    ).update(read_by_client_at=timezone.now())


# --- Session notes and "talk about this" ----------------------------------------------------


def session_note_save(
    *, therapist: User, client: User, session_date: date, body: str
) -> SessionNote:
    """The therapist's note on this client's session of that day: one per day, replaced."""
    note, _ = SessionNote.objects.update_or_create(
        therapist=therapist, client=client, session_date=session_date, defaults={"body": body}
    )
    return note


def session_note_delete(*, note: SessionNote) -> None:
    note.delete()


def entry_talk_about_turn(*, entry: Entry, on: bool) -> None:
    """Flag an entry for the next session, or take the flag back."""
    if on:
        TalkAbout.objects.get_or_create(entry=entry)
    else:
        TalkAbout.objects.filter(entry=entry).delete()


# --- Homework -------------------------------------------------------------------------------


def homework_suggest(
    *, therapist: User, client: User, lesson_slug: str, kind: str, note: str, due_on: date | None
) -> Homework:
    """Suggest one lesson (`lesson_slug`) or one practice tool (`kind`) to a client."""
    return Homework.objects.create(
        therapist=therapist,
        client=client,
        lesson_slug=lesson_slug,
        kind=kind,
        note=note,
        due_on=due_on,
    )


def homework_answer(*, homework: Homework, accept: bool) -> None:
    status = Homework.Status.ACCEPTED if accept else Homework.Status.SET_ASIDE
    Homework.objects.filter(pk=homework.pk).update(status=status, answered_at=timezone.now())
    homework.status = status


# --- Conversations about the share as a whole ----------------------------------------------


def share_message_create(*, share: Share, by_therapist: bool, body: str) -> ShareMessage:
    return ShareMessage.objects.create(
        client_id=share.client_id,
        therapist_id=share.therapist_id,
        by_therapist=by_therapist,
        body=body,
    )


def conversation_mark_read(*, share: Share, reader_is_therapist: bool) -> None:
    """The other person's messages about the share, read by this one now."""
    ShareMessage.objects.filter(
        client_id=share.client_id,
        therapist_id=share.therapist_id,
        by_therapist=not reader_is_therapist,
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def replies_mark_read(*, share: Share, entry: Entry) -> None:
    """The client's replies on this entry, read by the therapist now."""
    Comment.objects.filter(
        entry=entry,
        therapist_id=share.therapist_id,
        author_id=share.client_id,
        read_by_therapist_at__isnull=True,
    ).update(read_by_therapist_at=timezone.now())
