"""Writes for the partner link: inviting, confirming, ending, what passes through it, and
the day's question for two."""

import random
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core import links
from journal.models import Entry
from journal.services import entry_mark
from practice import questions

from . import emails, notices, selectors
from .models import SWITCH_FIELDS, Appreciation, Link, PairAnswer, PairQuestion, Plan


@transaction.atomic
def link_invite(*, reader: User, email: str = "") -> tuple[Link, str]:
    """A new invitation from `reader`, emailed to `email` or, without one, returned for the
    reader to hand over; it replaces one still waiting. Returns the link and its signed
    token (never stored). Raises TooManyInvitations past the hourly limit."""
    User.objects.select_for_update().filter(pk=reader.pk).first()
    now = timezone.now()
    if Link.objects.filter(reader=reader, created_at__gte=now - timedelta(hours=1)).count() >= (
        links.INVITATIONS_PER_HOUR
    ):
        raise links.TooManyInvitations
    Link.objects.filter(reader=reader, status=Link.Status.INVITED).update(
        status=Link.Status.ENDED, ended_at=now
    )
    link, signed = links.invitation_create(
        Link, salt=selectors.INVITATION_SALT, reader=reader, invited_email=email
    )
    if email:
        transaction.on_commit(lambda: emails.send_invitation(link=link, signed=signed))
    return link, signed


def invitation_problem(*, link: Link) -> str | None:
    """Why nobody can confirm this invitation any more, or None while it is open."""
    return links.invitation_closed(
        used=link.status == Link.Status.ACTIVE,
        withdrawn=link.status == Link.Status.ENDED,
        expires_at=link.expires_at,
    )


def invitation_refusal(*, link: Link, user: User) -> str | None:
    """Why this user cannot confirm this invitation now, or None if they can."""
    if problem := invitation_problem(link=link):
        return problem
    if user.pk == link.reader_id:
        return "This is your own invitation. Send it to your partner instead."
    if link.invited_email and (
        refusal := links.sent_elsewhere(user=user, email=link.invited_email, answer="confirm")
    ):
        return refusal
    if selectors.active_link(user=user):
        return "You already have a link with someone. End it first to make a new one."
    if selectors.active_link(user=link.reader):
        return "This invitation cannot be used any more."
    return None


@transaction.atomic
def link_accept(*, link: Link, user: User) -> Link:
    """Confirm the link for `user`, its partner. Raises core.links.InvitationRefused."""
    locked = [link.reader_id, user.pk]
    list(User.objects.select_for_update().filter(pk__in=sorted(locked)))
    link = links.locked_unless_refused(
        Link.objects.select_related("reader"),
        link.pk,
        lambda locked: invitation_refusal(link=locked, user=user),
    )
    link.status = Link.Status.ACTIVE
    link.partner = user
    link.accepted_at = timezone.now()
    try:
        with transaction.atomic():
            link.save(update_fields=["status", "partner", "accepted_at"])
    except IntegrityError:  # a link made at the same moment: at most one each
        raise links.InvitationRefused("You already have a link with someone.") from None
    return link


@transaction.atomic
def link_end(*, link: Link, by: User) -> None:
    """End the link at once: everything shared through it goes, and the other person is
    told only that it has ended. A waiting invitation is withdrawn."""
    told = None if link.status == Link.Status.INVITED else link.other(by)
    updated = Link.objects.filter(pk=link.pk).exclude(status=Link.Status.ENDED)
    if not updated.update(status=Link.Status.ENDED, ended_at=timezone.now(), ended_tell=told):
        return
    PairQuestion.objects.filter(link=link).delete()
    Appreciation.objects.filter(link=link).delete()
    Plan.objects.filter(link=link).delete()


@transaction.atomic
def links_end_for_leaving_user(*, user: User, **signal) -> None:
    """Receiver of accounts.signals.account_deleting: the leaver's active link ends as if
    they had ended it, and every link whose other person is still to be told so keeps
    only that: the leaver is taken off it (address included), so it outlives their
    account. Their other links go with the account."""
    if link := selectors.active_link(user=user):
        link_end(link=link, by=user)
    to_tell = Link.objects.filter(status=Link.Status.ENDED, ended_tell__isnull=False).exclude(
        ended_tell=user
    )
    to_tell.filter(reader=user).update(reader=None, invited_email="")
    to_tell.filter(partner=user).update(partner=None, invited_email="")


def ended_notice_take(*, user: User) -> bool:
    """Whether `user` is to be told that a link has ended; True once, then never again."""
    return bool(Link.objects.filter(selectors.is_ended_untold(user)).update(ended_tell=None))


def switches_update(*, link: Link, **switches: bool) -> Link:
    unknown = set(switches) - set(SWITCH_FIELDS)
    if unknown:
        raise TypeError(f"No switch {', '.join(sorted(unknown))}")
    for name, on in switches.items():
        setattr(link, name, on)
    link.save(update_fields=list(switches))
    return link


# The day's question for two ----------------------------------------------------------------


def _for_two() -> list[questions.Question]:
    """The questions both can answer: asked of both and without a note about childhood or
    old hurt (not for answering to each other), lightest first."""
    return sorted(
        (q for q in questions.deck().values() if q.ask == "both" and not q.content_note),
        key=lambda q: (questions.DEPTHS.index(q.depth), q.id),
    )


@transaction.atomic
def question_for_link(*, link: Link, day: date) -> PairQuestion:
    """The link's question for `day`: picked once, the same for both all day. The light
    questions come first, and each depth opens once the link has had every lighter one;
    none comes back until the link has had them all. The depth follows the link alone:
    opened by either one's lessons, it would tell the other how far they have got."""
    Link.objects.select_for_update().filter(pk=link.pk).first()
    existing = PairQuestion.objects.filter(link=link, day=day).first()
    if existing:
        return existing
    pool = _for_two()
    seen = set(PairQuestion.objects.filter(link=link).values_list("question_id", flat=True))
    unseen = [q for q in pool if q.id not in seen]
    lightest = [q for q in unseen if q.depth == unseen[0].depth] if unseen else pool
    question = random.Random(f"link:{link.pk}:{day.isoformat()}").choice(lightest)
    return PairQuestion.objects.create(link=link, day=day, question_id=question.id)


@transaction.atomic
def pair_answer(*, question: PairQuestion, user: User, text: str) -> PairAnswer:
    """Save `user`'s answer; an answer given is kept as it was (no edits to compare). The
    other, if they answered first, now has the two answers to see."""
    # Two answers at the same moment queue on the question, so the second sees the first
    # and tells its author, rather than each missing the other's and nobody being told.
    PairQuestion.objects.select_for_update().filter(pk=question.pk).first()
    answer, created = PairAnswer.objects.get_or_create(
        question=question, user=user, defaults={"text": text}
    )
    link = question.link
    other = link.other(user)
    if created and question.answers.filter(user=other, skipped=False).exists():
        notices.notice_queue(link=link, user=other)
    return answer


def pair_skip(*, question: PairQuestion, user: User) -> PairAnswer:
    answer, _ = PairAnswer.objects.get_or_create(
        question=question, user=user, defaults={"skipped": True}
    )
    return answer


# Appreciation ------------------------------------------------------------------------------


@transaction.atomic
def appreciation_send(*, link: Link, entry: Entry) -> Appreciation:
    """Send the gratitude entry's words to the other person's Today, once; the entry then
    counts as told."""
    appreciation, _ = Appreciation.objects.get_or_create(
        entry=entry, defaults={"link": link, "sender": entry.user, "words": entry.tell_them_text}
    )
    entry_mark(entry=entry, told_partner=True)
    notices.notice_queue(link=link, user=link.other(entry.user))
    return appreciation


def appreciation_react(*, appreciation: Appreciation, reaction: str) -> bool:
    """Keep the receiver's reaction; False when the appreciation is gone (the link ended
    between their page loading it and this save)."""
    return bool(Appreciation.objects.filter(pk=appreciation.pk).update(reaction=reaction))


# The check-in plan for two -----------------------------------------------------------------


@transaction.atomic
def plan_save(*, link: Link, by: User, text: str) -> Plan:
    """The plan both agreed, replacing last week's."""
    plan, _ = Plan.objects.update_or_create(
        link=link, defaults={"text": text, "written_by": by, "agreed_on": selectors.link_day(link)}
    )
    notices.notice_queue(link=link, user=link.other(by))
    return plan


def notices_turn(*, link: Link, user: User, on: bool) -> None:
    """Turn `user`'s own notices about the link on or off."""
    field = "reader_notices" if user.pk == link.reader_id else "partner_notices"
    Link.objects.filter(pk=link.pk).update(**{field: on})
