"""Template tags for the pieces of the partner link on other pages: Today, the profile and
the Practice page. They show only what the active link lets through to the person looking."""

from django import template

from core.http import page_is_seen

from .. import selectors, services
from ..models import Appreciation

register = template.Library()


@register.simple_tag(takes_context=True)
def partner_link_summary(context) -> dict:
    """{"link": the active link or None, "other": the other person, "offered": may link}."""
    user = context.get("user")
    if user is None or not user.is_authenticated or user.is_therapist:
        return {"link": None, "other": None, "offered": False}
    link = selectors.active_link(user=user)
    return {
        "link": link,
        "other": link.other(user) if link else None,
        "offered": selectors.offered_to(user),
    }


@register.simple_tag(takes_context=True)
def partner_today(context) -> dict:
    """What the link puts on `user`'s Today; "ended" is said once, to someone who reads it."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    link, ended = selectors.today_links(user=user)
    if link is None:
        told = ended and page_is_seen(context["request"])
        return {"ended": told and services.ended_notice_take(user=user)}
    return {
        "link": link,
        "other": link.other(user),
        "question": selectors.todays_question(link=link, user=user) if link.question_on else None,
        "break_line": selectors.break_line(link=link, viewer=user),
        "appreciations": list(selectors.appreciations_recent(link=link)),
        "reactions": Appreciation.Reaction.choices,
        "plan": selectors.current_plan(link=link),
    }


@register.simple_tag(takes_context=True)
def partner_to_tell(context, entry) -> object:
    """The other person on the link when this entry's words may be sent to them, else None."""
    user = context.get("user")
    if user is None or not user.is_authenticated or entry.user_id != user.pk:
        return None
    link = selectors.active_link(user=user)
    return link.other(user) if selectors.can_send(link=link, entry=entry) else None


@register.simple_tag(takes_context=True)
def partner_seeing_break(context, entry) -> object:
    """The partner whose Today shows this break of the user's (when they will be back, never
    why), else None."""
    user = context.get("user")
    if user is None or not user.is_authenticated or entry.user_id != user.pk:
        return None
    link = selectors.active_link(user=user)
    return link.other(user) if link and selectors.shows_break(link=link, entry=entry) else None
