"""Emails about sharing. Each is three templates under templates/emails/, built by `_send`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

from .models import ClientInvitation, Invitation


def _build(name: str, *, to: str, context: dict) -> EmailMultiAlternatives:
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    return message


def _send(name: str, *, to: str, context: dict) -> None:
    _build(name, to=to, context=context).send()


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
    _send("invitation", to=invitation.email, context=context)


def send_client_invitation(*, invitation: ClientInvitation, signed: str) -> None:
    """Send a therapist's invitation to a client. It names the therapist, nothing else."""
    therapist = invitation.therapist
    context = {
        "therapist_name": str(therapist),
        "therapist_email": therapist.email,
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("sharing:join", args=[signed]),
    }
    _send("client-invitation", to=invitation.email, context=context)


# Notices: counts and names only, never what anyone wrote (see sharing/digests.py).


def comments_digest(*, user: User, entries: int) -> EmailMultiAlternatives:
    """To a client: how many of their entries have new comments."""
    context = {
        "name": user.display_name,
        "entries": entries,
        "comments_url": _absolute("sharing:comments"),
        "settings_url": _absolute("sharing:notices"),
    }
    return _build("comments-digest", to=user.email, context=context)


def entries_digest(*, user: User, clients: list[tuple[str, int]]) -> EmailMultiAlternatives:
    """To a therapist: (client's name, how many new shared entries) for each client."""
    context = {
        "name": user.display_name,
        "clients": clients,
        "clients_url": _absolute("home"),
        "settings_url": _absolute("sharing:notices"),
    }
    return _build("entries-digest", to=user.email, context=context)
