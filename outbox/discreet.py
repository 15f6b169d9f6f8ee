"""What each person chose about the messages the app sends them: who the emails come from,
and discreet words for a phone others may see.

With discreet reminders on, every email and notification the app sends them on its own (the
daily nudge, the end of a break, the weekly check-in, the notices about sharing) says only
"A moment for you", with a link: nothing of what Closer is for, no partner, no therapist.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import User
from core.emails import email_build

from .selectors import address_owner

TITLE = "A moment for you"
BODY = "Open it when you have a minute."


def sender(user: User) -> str:
    """The From header of an email to `user`: their chosen name, our address."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((user.sender_name or name, address))


def push_words(user: User, *, title: str, body: str) -> tuple[str, str]:
    """A notification's title and body as `user` wants them shown."""
    return (TITLE, BODY) if user.discreet_reminders else (title, body)


def discreet_email(
    *,
    user: User,
    url: str = "",
    unsubscribe_url: str = "",
    headers: dict[str, str] | None = None,
    to: str = "",
) -> EmailMultiAlternatives:
    """The one email a user with discreet reminders gets, whatever it is for: a link to `url`
    (absolute; Today by default) and, with `unsubscribe_url`, one that stops it without
    signing in. It goes to their main address, or to `to`, another one of theirs."""
    context = {
        "name": user.display_name,
        "title": TITLE,
        "body": BODY,
        "url": url or _absolute(reverse("home")),
        "settings_url": _absolute(reverse("home:profile")),
        "unsubscribe_url": unsubscribe_url,
    }
    return email_build(
        "discreet", to=to or user.email, context=context, headers=headers, from_email=sender(user)
    )


def email_to_address(name: str, *, to: str, url: str, context: dict) -> EmailMultiAlternatives:
    """The email `name` (core.emails) to an address that may be someone's here: in discreet
    words if the person who confirmed it asked for them (the link to `url` kept), from their
    sender name. Any of their confirmed addresses is theirs, as an invitation's link acts
    for any of them (core.links.sent_elsewhere)."""
    person = address_owner(to)
    if person and person.discreet_reminders:
        return discreet_email(user=person, url=url, to=to)
    return email_build(name, to=to, context=context, from_email=sender(person) if person else None)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path
