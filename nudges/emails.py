"""The nudge email, built by `core.emails.email_build`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from accounts.models import User
from core.emails import email_build
from journal.situations import words_for

from .models import ReminderSchedule
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
    gratitude_prompt = words_for(user).nudge_suggestion
    context = {
        "name": user.display_name,
        "suggestion": suggestion.text,
        "suggestion_url": _absolute(suggestion.path),
        # Said once: a reader who has done every lesson may already have it as the suggestion.
        "gratitude_prompt": "" if gratitude_prompt == suggestion.text else gratitude_prompt,
        "gratitude_url": links.gratitude_url,
        "settings_url": links.settings_url,
        "help_url": links.help_url,
        "unsubscribe_url": unsubscribe_url,
        "schedule": schedule,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return email_build("nudge", to=user.email, context=context, headers=headers)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path
