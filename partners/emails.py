"""The partner link's one email: the invitation. Its subject names nobody."""

from django.conf import settings
from django.urls import reverse

from outbox.discreet import email_to_address

from .models import Link


def send_invitation(*, link: Link, signed: str) -> None:
    """Send the link that lets the invited partner confirm. `signed` is never stored."""
    context = {
        "reader_name": str(link.reader),
        "link": link,
        "url": settings.SITE_URL + reverse("partners:join", args=[signed]),
    }
    email_to_address(
        "partner-invitation", to=link.invited_email, url=context["url"], context=context
    ).send()
