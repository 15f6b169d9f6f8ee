"""Template tags for the pieces of sharing that appear on other apps' pages."""

from django import template

from .. import selectors
from ..models import Share

register = template.Library()


@register.simple_tag(takes_context=True)
def conversations_for_owner(context, entry) -> dict:
    """The entry's conversations with therapists, only when the person looking owns it:
    {"threads": [selectors.Thread], "off": comments off for it, "shared": shares with anyone,
    "talk_about": flagged for a session}.
    """
    user = context.get("user")
    if user is None or not user.is_authenticated or entry.user_id != user.pk:
        return {"threads": [], "off": False, "shared": False, "talk_about": False}
    threads = selectors.threads_for_owner(entry=entry)
    shared = bool(threads) or user.shares_given.filter(status=Share.Status.ACTIVE).exists()
    off = shared and selectors.entry_comments_off(entry=entry)
    talk_about = shared and selectors.entry_talk_about(entry=entry)
    return {"threads": threads, "off": off, "shared": shared, "talk_about": talk_about}


@register.simple_tag(takes_context=True)
def unread_comment_count(context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_comment_count(client=user)


@register.simple_tag(takes_context=True)
def invitations_waiting(context) -> selectors.InvitationsWaiting:
    """Invitations the person looking can still answer, from therapists and from clients
    (Today shows them, and a therapist's list of clients)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return selectors.InvitationsWaiting(to_share=[], to_read=[])
    return selectors.invitations_waiting(user=user)
