"""Every email is three templates under templates/emails/ (`<name>-subject.txt`, `-body.txt`,
`-body.html`), built into a message by the functions here."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(name: str, *, context: dict) -> RenderedEmail:
    # Help is one tap away in every email, as on every page: each body ends with this link.
    context = {"help_url": settings.SITE_URL + reverse("get_help"), **context}
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    return RenderedEmail(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        text=render_to_string(f"emails/{name}-body.txt", context),
        html=render_to_string(f"emails/{name}-body.html", context),
    )


def email_message(
    rendered: RenderedEmail,
    *,
    to: str,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """`from_email` None: DEFAULT_FROM_EMAIL."""
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=from_email,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def email_build(
    name: str,
    *,
    to: str,
    context: dict,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """The email `name` for one recipient, ready to send."""
    rendered = email_render(name, context=context)
    return email_message(rendered, to=to, headers=headers, from_email=from_email)
