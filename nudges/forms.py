import base64
import binascii
import ipaddress
import re
from datetime import date, time
from urllib.parse import urlsplit

from django import forms

from accounts.models import User

from . import push
from .models import WEEKDAY_NAMES, Channel, CheckInReminder, ReminderSchedule

TIME_MESSAGE = "Enter a time between 00:00 and 23:59, like 20:00."
BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(label="Send me a daily reminder", required=False)
    local_time = forms.TimeField(
        label="At what time?",
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": TIME_MESSAGE, "invalid": TIME_MESSAGE},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On which days?",
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paused_until = forms.DateField(
        label="Pause until",
        required=False,
        help_text="No reminders up to and including this day. Leave it empty to keep them going.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    skip_if_written = forms.BooleanField(
        label="Skip the reminder on days I have already written in my journal", required=False
    )
    # Offered only when the operator has configured web push (VAPID keys).
    channel = forms.ChoiceField(
        label="How should the reminder reach you?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose email or a browser notification."},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["paused_until"].widget.attrs["min"] = user.local_today().isoformat()
        if not push.is_configured():
            del self.fields["channel"]

    @classmethod
    def initial_for(cls, schedule: ReminderSchedule, *, today: date) -> dict:
        paused = schedule.paused_until
        return {
            "enabled": schedule.enabled,
            "local_time": schedule.local_time,
            "weekdays": schedule.weekday_list,
            "paused_until": paused if paused and paused >= today else None,
            "skip_if_written": schedule.skip_if_written,
            "channel": schedule.channel,
        }

    def clean_paused_until(self) -> date | None:
        day = self.cleaned_data["paused_until"]
        if day and day < self.user.local_today():
            raise forms.ValidationError(
                "That day has passed. Pick today or a later day, or leave it empty."
            )
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("enabled") and "weekdays" in data and not data["weekdays"]:
            self.add_error("weekdays", "Choose at least one day, or turn the reminder off.")
        return data

    def clean_channel(self) -> str:
        channel = self.cleaned_data["channel"]
        if channel == Channel.PUSH and not push.subscriptions_for_user(user=self.user).exists():
            raise forms.ValidationError(
                "No browser shows your reminders yet. Press “Send reminders to this browser” "
                "first, or choose email."
            )
        return channel


class PushSubscriptionForm(forms.Form):
    """A browser's push subscription, as its PushSubscription.toJSON() gives it."""

    endpoint = forms.URLField(
        max_length=1000,
        error_messages={
            "required": "The subscription has no endpoint.",
            "invalid": "The endpoint must be a push service's https:// address.",
        },
    )
    p256dh = forms.CharField(
        max_length=100, error_messages={"required": "The subscription has no p256dh key."}
    )
    auth = forms.CharField(
        max_length=50, error_messages={"required": "The subscription has no auth secret."}
    )

    @classmethod
    def from_subscription(cls, data: dict) -> "PushSubscriptionForm":
        keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
        fields = {"endpoint": data.get("endpoint"), **keys}
        return cls({name: fields.get(name) for name in ("endpoint", "p256dh", "auth")})

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        # The server POSTs to this address: a public push service's, never one on our network.
        if not _is_push_service(endpoint):
            raise forms.ValidationError(self.fields["endpoint"].error_messages["invalid"])
        return endpoint

    def clean_p256dh(self) -> str:
        key = self.cleaned_data["p256dh"]
        decoded = _base64url(key)
        if len(decoded) != 65 or decoded[0] != 4:
            raise forms.ValidationError("The p256dh key must be a P-256 public key in base64url.")
        return key

    def clean_auth(self) -> str:
        secret = self.cleaned_data["auth"]
        if len(_base64url(secret)) != 16:
            raise forms.ValidationError("The auth secret must be 16 bytes in base64url.")
        return secret


def _base64url(text: str) -> bytes:
    """The bytes `text` encodes, or b"" when it is not base64url."""
    if not BASE64URL.fullmatch(text):
        return b""
    bare = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4))
    except binascii.Error:
        return b""


def _is_push_service(url: str) -> bool:
    """An https address on the default port with a public-looking name (not an IP address)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    if parts.scheme != "https" or port not in (None, 443) or "." not in host:
        return False
    if host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


class CheckInReminderForm(forms.Form):
    """The weekly check-in reminder: on or off, one weekday, one time."""

    enabled = forms.BooleanField(label="Remind me to do the weekly check-in", required=False)
    weekday = forms.TypedChoiceField(
        label="On which day?",
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        error_messages={
            "required": "Choose a day of the week.",
            "invalid_choice": "Choose a day of the week.",
        },
    )
    local_time = forms.TimeField(
        label="At what time?",
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": TIME_MESSAGE, "invalid": TIME_MESSAGE},
    )

    @staticmethod
    def initial_for(reminder: CheckInReminder | None) -> dict:
        if reminder is None:
            return {"enabled": False, "weekday": 6, "local_time": time(19, 0)}
        return {
            "enabled": reminder.enabled,
            "weekday": reminder.weekday,
            "local_time": reminder.local_time,
        }
