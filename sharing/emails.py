"""Emails about sharing, built by `core.emails.email_build`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import User
from core.emails import email_build
from outbox.discreet import discreet_email, email_to_address, sender

from .models import ClientInvitation, Invitation


def _absolute(name: str) -> str:
    return settings.SITE_URL + reverse(name)


def send_invitation(*, invitation: Invitation, signed: str) -> None:
    """Send the link that lets the invited therapist accept. `signed` is never stored."""
    share = invitation.share
    context = {
        "client_name": str(share.client),
        "share": share,
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("sharing:accept", args=[signed]),
    }
    email_to_address("invitation", to=invitation.email, url=context["link"], context=context).send()


def send_client_invitation(*, invitation: ClientInvitation, signed: str) -> None:
    """Send a therapist's invitation to a client. It names the therapist, nothing else."""
    therapist = invitation.therapist
    context = {
        "therapist_name": str(therapist),
        "therapist_email": therapist.email,
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("sharing:join", args=[signed]),
    }
    email_to_address(
        "client-invitation", to=invitation.email, url=context["link"], context=context
    ).send()


# Notices: counts only, never a client's name nor what anyone wrote (see sharing/digests.py).


def _notice(name: str, *, user: User, **context) -> EmailMultiAlternatives:
    """A notice to `user`, with their name and the link to turn such notices off."""
    if user.discreet_reminders:
        return discreet_email(user=user)
    context = {
        "name": user.display_name,
        **context,
        "settings_url": _absolute("sharing:notices"),
    }
    return email_build(name, to=user.email, context=context, from_email=sender(user))


def comments_digest(*, user: User, entries: int) -> EmailMultiAlternatives:
    """To a client: how many of their entries have new comments."""
    return _notice(
        "comments-digest", user=user, entries=entries, comments_url=_absolute("sharing:comments")
    )


def entries_digest(*, user: User, counts: list[int], replies: int = 0) -> EmailMultiAlternatives:
    """To a therapist: how many clients shared new entries, and how many in all (`counts`:
    one number per client), and how many replies and messages came from clients. No name:
    a subject shows on a lock screen."""
    return _notice(
        "entries-digest",
        user=user,
        clients=len(counts),
        entries=sum(counts),
        replies=replies,
        clients_url=_absolute("home"),
    )
