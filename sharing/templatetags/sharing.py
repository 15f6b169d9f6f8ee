"""Template tags for the pieces of sharing that appear on other apps' pages."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_for_owner(context, entry):
    """Therapists' comments on an entry, only when the person looking owns it."""
    user = context.get("user")
    if user is None or not user.is_authenticated or entry.user_id != user.pk:
        return []
    return list(selectors.comments_on_entry(entry=entry))


@register.simple_tag(takes_context=True)
def unread_comment_count(context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_comment_count(client=user)
