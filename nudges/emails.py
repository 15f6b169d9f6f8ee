"""The nudge email: three templates (subject, plain text, HTML) built by one function."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

from .models import ReminderSchedule
from .selectors import Suggestion
from .tokens import unsubscribe_token


def nudge_email(
    *, user: User, schedule: ReminderSchedule, suggestion: Suggestion
) -> EmailMultiAlternatives:
    """Today's nudge for `user`, with RFC 8058 one-click unsubscribe headers."""
    unsubscribe_url = _absolute(reverse("nudges:unsubscribe", args=[unsubscribe_token(user=user)]))
    context = {
        "name": user.display_name,
        "suggestion": suggestion.text,
        "suggestion_url": _absolute(suggestion.path),
        "gratitude_url": _absolute(reverse("journal:gratitude_new")),
        "settings_url": _absolute(reverse("nudges:settings")),
        "help_url": _absolute(reverse("get_help")),
        "unsubscribe_url": unsubscribe_url,
        "schedule": schedule,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/nudge-subject.txt", context).strip(),
        body=render_to_string("emails/nudge-body.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("emails/nudge-body.html", context), "text/html")
    return message


def _absolute(path: str) -> str:
    return settings.SITE_URL + path
