"""Reads for the partner link: a person's link, the invitation behind a link, the day's
question for two. Every read goes through one of the two people on an active link."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core import links
from journal.export import register_section
from journal.models import Entry
from practice.kinds import BREAK, CAME_BACK, WentBack
from practice.questions import deck

from .models import Appreciation, Link, PairAnswer, PairQuestion, Plan

INVITATION_SALT = "partners.invitation"


def offered_to(user: User) -> bool:
    """A reader who told us they are single is not offered the link."""
    return user.situation != User.Situation.SINGLE


def is_active_for(user: User) -> Q:
    """The condition of a user's active link, whichever side of it they are on."""
    return (Q(reader=user) | Q(partner=user)) & Q(status=Link.Status.ACTIVE)


def is_ended_untold(user: User) -> Q:
    """The condition of a link that ended and `user` is still to be told so."""
    return Q(status=Link.Status.ENDED, ended_tell=user)


def active_link(*, user: User) -> Link | None:
    """The user's one active link, whichever side of it they are on."""
    return Link.objects.select_related("reader", "partner").filter(is_active_for(user)).first()


def today_links(*, user: User) -> tuple[Link | None, bool]:
    """The user's active link, and whether one of their links ended and they are still to
    be told: one query for what Today asks on every visit (`services.ended_notice_take`
    tells them)."""
    rows = list(Link.objects.filter(is_active_for(user) | is_ended_untold(user)))
    active = next((link for link in rows if link.status == Link.Status.ACTIVE), None)
    if active:  # the viewer's side is known; the other person is read when shown
        if active.reader_id == user.pk:
            active.reader = user
        else:
            active.partner = user
    return active, any(link.status == Link.Status.ENDED for link in rows)


def waiting_link(*, user: User) -> Link | None:
    """The invitation the user made that nobody has confirmed yet."""
    return Link.objects.filter(reader=user, status=Link.Status.INVITED).first()


def link_for_invitation(*, signed: str) -> Link | None:
    """The link an invitation's URL points at; None for a forged or unknown one.
    Raises core.links.LinkExpired for a genuine one past seven days."""
    hashed = links.hash_from_link(signed, salt=INVITATION_SALT, max_age=links.INVITATION_MAX_AGE)
    if hashed is None:
        return None
    return Link.objects.select_related("reader").filter(token_hash=hashed).first()


def link_day(link: Link) -> date:
    """The day the link's shared things belong to: the reader's local day."""
    return link.reader.local_today()


@dataclass(frozen=True)
class QuestionState:
    """The day's question for two as one of the two people sees it."""

    question: PairQuestion
    mine: PairAnswer | None
    theirs: PairAnswer | None  # only once both have answered, else None

    @property
    def both_answered(self) -> bool:
        return self.theirs is not None


def question_state(*, link: Link, user: User, question: PairQuestion) -> QuestionState:
    """What `user` may see of the day's question: their own answer, and the other's only
    once both have answered (a skip by either shows nothing of the other's)."""
    answers = {a.user_id: a for a in PairAnswer.objects.filter(question=question)}
    mine = answers.get(user.pk)
    theirs = answers.get(link.other(user).pk)
    shown = mine and theirs and not mine.skipped and not theirs.skipped
    return QuestionState(question=question, mine=mine, theirs=theirs if shown else None)


def todays_question(*, link: Link, user: User) -> QuestionState | None:
    """The day's question for two as `user` sees it, once either has opened it today."""
    daily = PairQuestion.objects.filter(link=link, day=link_day(link)).first()
    return question_state(link=link, user=user, question=daily) if daily else None


# What a break shows the partner: only its return time, then "Back". Never why, never what
# the reader wrote about it.
BREAK_SHOWN_FOR = timedelta(days=1)


@dataclass(frozen=True)
class BreakLine:
    back: bool  # the reader said they went back
    return_at: object  # aware datetime


def shows_break(*, link: Link, entry: Entry) -> bool:
    """Whether this break of the reader's reaches their partner's Today (`break_line`): the
    reader lets breaks through, and took it since the link began."""
    return (
        link.breaks_on and entry.user_id == link.reader_id and entry.created_at >= link.accepted_at
    )


def break_line(*, link: Link, viewer: User) -> BreakLine | None:
    """The reader's latest break as their partner may see it, if the reader lets breaks
    through: taking a break and back by when, or back once they said so."""
    if not link.breaks_on or viewer.pk != link.partner_id:
        return None
    latest = (
        Entry.objects.filter(
            user_id=link.reader_id,
            kind=BREAK.value,
            created_at__gte=link.accepted_at,
            return_at__gt=timezone.now() - BREAK_SHOWN_FOR,
        )
        .only("return_at", "called_off_at", "went_back")
        .order_by("-created_at")
        .first()
    )
    if latest is None or latest.called_off_at or latest.went_back == WentBack.NO:
        return None
    back = latest.went_back in CAME_BACK
    return BreakLine(back=back, return_at=timezone.localtime(latest.return_at, viewer.zone))


# Appreciation: what arrived on a Today in the last week, and what can be sent.
APPRECIATION_SHOWN_FOR = timedelta(days=7)


def can_send(*, link: Link | None, entry: Entry) -> bool:
    """Whether the entry's words may go through the link: a gratitude entry of one of the
    two, not private, not sent before, while the reader lets appreciation through."""
    return bool(
        link
        and link.appreciation_on
        and entry.kind == "gratitude"
        and not entry.is_private
        and entry.user_id in (link.reader_id, link.partner_id)
        and not Appreciation.objects.filter(entry=entry).exists()
    )


def appreciations_recent(*, link: Link):
    """The appreciation sent through the link in the last week, newest first."""
    if not link.appreciation_on:
        return Appreciation.objects.none()
    since = timezone.now() - APPRECIATION_SHOWN_FOR
    return Appreciation.objects.filter(link=link, created_at__gte=since)[:5]


def appreciation_received(*, user: User, pk: int) -> Appreciation | None:
    """An appreciation sent to `user` through their active link; None for anyone else."""
    link = active_link(user=user)
    if link is None or not link.appreciation_on:
        return None
    return Appreciation.objects.filter(link=link, pk=pk).exclude(sender=user).first()


# The plan agreed at the weekly check-in together, shown until the next one is due.
PLAN_SHOWN_FOR = timedelta(days=7)


def current_plan(*, link: Link) -> Plan | None:
    if not link.plan_on:
        return None
    since = link_day(link) - PLAN_SHOWN_FOR
    return Plan.objects.filter(link=link, agreed_on__gt=since).first()


# The JSON export (journal/export.py): what the user wrote through their links, and the plan
# both agreed. Nothing of the other person's own but the plan they agreed to together.


@register_section("partner_answers")
def answers_for_export(*, user: User) -> list[dict]:
    rows = PairAnswer.objects.filter(user=user).select_related("question")
    questions = deck()
    return [
        {
            "day": row.question.day,
            "question": getattr(questions.get(row.question.question_id), "text", ""),
            "answer": row.text,
            "skipped": row.skipped,
            "created_at": row.created_at,
        }
        for row in rows.order_by("question__day", "id")
    ]


@register_section("appreciations_sent")
def appreciations_for_export(*, user: User) -> list[dict]:
    rows = Appreciation.objects.filter(sender=user).order_by("created_at", "id")
    return [
        {
            "entry_id": row.entry_id,
            "words": row.words,
            "created_at": row.created_at,
            "reaction": row.reaction,
        }
        for row in rows
    ]


@register_section("partner_plans")
def plans_for_export(*, user: User) -> list[dict]:
    rows = Plan.objects.filter(Q(link__reader=user) | Q(link__partner=user))
    return [
        {
            "text": row.text,
            "agreed_on": row.agreed_on,
            "written_by_you": row.written_by_id == user.pk,
        }
        for row in rows.order_by("agreed_on", "id")
    ]
