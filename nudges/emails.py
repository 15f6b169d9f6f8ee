"""The nudge email, built by `core.emails`: rendered once per suggestion and schedule,
then given each user's name and unsubscribe link."""

from dataclasses import dataclass, replace
from datetime import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from core.emails import RenderedEmail, email_build, email_message, email_render
from journal.situations import words_for
from outbox.discreet import discreet_email, sender

from .models import CheckInReminder, ReminderSchedule
from .selectors import Suggestion
from .tokens import unsubscribe_token

# Stand-ins for what differs per user, put in after rendering. Letters only: escaping and
# the templates leave them as they are.
NAME = "NudgeNameGoesHereQx"
UNSUBSCRIBE = "NudgeUnsubscribeGoesHereQx"


@dataclass(frozen=True)
class Links:
    """The links every nudge carries, resolved once for a whole batch of emails."""

    gratitude_url: str
    settings_url: str
    unsubscribe_around: tuple[str, str]  # the unsubscribe URL before and after its token

    @classmethod
    def build(cls) -> "Links":
        before, after = reverse("nudges:unsubscribe", args=["TOKEN"]).split("TOKEN")
        return cls(
            gratitude_url=_absolute(reverse("journal:gratitude_new")),
            settings_url=_absolute(reverse("nudges:settings")),
            unsubscribe_around=(_absolute(before), after),
        )

    def unsubscribe_url(self, user: User) -> str:
        # The token's characters (base62, base64url and ":") need no quoting in a path.
        before, after = self.unsubscribe_around
        return before + unsubscribe_token(user=user) + after


class NudgeEmails:
    """Nudge emails for a batch: each distinct text is rendered once (a batch shares a few
    suggestions and reminder times), then each user's name and unsubscribe link go in."""

    def __init__(self) -> None:
        self.links = Links.build()
        self._rendered: dict[tuple[Suggestion, time, str, str, bool], RenderedEmail] = {}

    def build(
        self, *, user: User, schedule: ReminderSchedule, suggestion: Suggestion
    ) -> EmailMultiAlternatives:
        """Today's nudge for `user`, with RFC 8058 one-click unsubscribe headers."""
        unsubscribe_url = self.links.unsubscribe_url(user)
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if user.discreet_reminders:
            return discreet_email(user=user, unsubscribe_url=unsubscribe_url, headers=headers)
        prompt = words_for(user).nudge_suggestion
        # Said once: a reader who has done every lesson may already have it as the suggestion.
        prompt = "" if prompt == suggestion.text else prompt
        named = bool(user.display_name)
        key = (suggestion, schedule.local_time, schedule.days_label, prompt, named)
        if key not in self._rendered:
            self._rendered[key] = self._render(schedule, suggestion, prompt, named=named)
        rendered = self._rendered[key]

        def put_in(text: str, name: str) -> str:  # the link first: a name is never rescanned
            return text.replace(UNSUBSCRIBE, unsubscribe_url).replace(NAME, name)

        personal = replace(
            rendered,
            text=put_in(rendered.text, user.display_name),
            html=put_in(rendered.html, escape(user.display_name)),
        )
        return email_message(personal, to=user.email, headers=headers, from_email=sender(user))

    def _render(
        self, schedule: ReminderSchedule, suggestion: Suggestion, prompt: str, *, named: bool
    ) -> RenderedEmail:
        context = {
            "name": NAME if named else "",
            "suggestion": suggestion.text,
            "suggestion_url": _absolute(suggestion.path),
            "gratitude_prompt": prompt,
            "gratitude_url": self.links.gratitude_url,
            "settings_url": self.links.settings_url,
            "unsubscribe_url": UNSUBSCRIBE,
            "schedule": schedule,
        }
        return email_render("nudge", context=context)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def check_in_reminder_email(*, user: User, reminder: CheckInReminder) -> EmailMultiAlternatives:
    """The weekly check-in reminder: no journal text in it, ever (not even last week's plan)."""
    if user.discreet_reminders:
        return discreet_email(user=user)
    context = {
        "name": user.display_name,
        "check_in_url": _absolute(reverse("practice:check_in_new")),
        "together_url": _absolute(reverse("practice:check_in_together")),
        "settings_url": _absolute(reverse("practice:check_in_reminder")),
        "reminder": reminder,
    }
    return email_build("check_in_reminder", to=user.email, context=context, from_email=sender(user))
