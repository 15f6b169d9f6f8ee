"""Emails about sharing. Each is three templates under templates/emails/, built by `_send`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import ClientInvitation, Invitation


def _send(name: str, *, to: str, context: dict) -> None:
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    message.send()


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
