"""The nudge email: three templates (subject, plain text, HTML) built by one function."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

from .models import CheckInReminder, ReminderSchedule
from .selectors import Suggestion
from .tokens import unsubscribe_token


@dataclass(frozen=True)
class Links:
    """The links every nudge carries, resolved once for a whole batch of emails."""

    gratitude_url: str
    settings_url: str
    help_url: str
    unsubscribe_around: tuple[str, str]  # the unsubscribe URL before and after its token

    @classmethod
    def build(cls) -> "Links":
        before, after = reverse("nudges:unsubscribe", args=["TOKEN"]).split("TOKEN")
        return cls(
            gratitude_url=_absolute(reverse("journal:gratitude_new")),
            settings_url=_absolute(reverse("nudges:settings")),
            help_url=_absolute(reverse("get_help")),
            unsubscribe_around=(_absolute(before), after),
        )

    def unsubscribe_url(self, user: User) -> str:
        # The token's characters (base62, base64url and ":") need no quoting in a path.
        before, after = self.unsubscribe_around
        return before + unsubscribe_token(user=user) + after


def nudge_email(
    *, user: User, schedule: ReminderSchedule, suggestion: Suggestion, links: Links | None = None
) -> EmailMultiAlternatives:
    """Today's nudge for `user`, with RFC 8058 one-click unsubscribe headers."""
    links = links or Links.build()
    unsubscribe_url = links.unsubscribe_url(user)
    context = {
        "name": user.display_name,
        "suggestion": suggestion.text,
        "suggestion_url": _absolute(suggestion.path),
        "gratitude_url": links.gratitude_url,
        "settings_url": links.settings_url,
        "help_url": links.help_url,
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


def check_in_reminder_email(*, user: User, reminder: CheckInReminder) -> EmailMultiAlternatives:
    """The weekly check-in reminder: no journal text in it, ever (not even last week's plan)."""
    context = {
        "name": user.display_name,
        "check_in_url": _absolute(reverse("journal:check_in_new")),
        "together_url": _absolute(reverse("journal:check_in_together")),
        "settings_url": _absolute(reverse("journal:check_in_reminder")),
        "help_url": _absolute(reverse("get_help")),
        "reminder": reminder,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/check_in_reminder-subject.txt", context).strip(),
        body=render_to_string("emails/check_in_reminder-body.txt", context),
        to=[user.email],
    )
    html = render_to_string("emails/check_in_reminder-body.html", context)
    message.attach_alternative(html, "text/html")
    return message
