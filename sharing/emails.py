"""Emails about sharing, built by `core.emails.email_build`."""

from django.conf import settings
from django.urls import reverse

from core.emails import email_build

from .models import Invitation


def send_invitation(*, invitation: Invitation, signed: str) -> None:
    """Send the link that lets the invited therapist accept. `signed` is never stored."""
    share = invitation.share
    context = {
        "client_name": str(share.client),
        "share": share,
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("sharing:accept", args=[signed]),
    }
    email_build("invitation", to=invitation.email, context=context).send()
