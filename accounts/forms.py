import re

from django import forms

from core.forms import TextField

from .models import User
from .timezones import time_zone_choices


class ProfileFields(forms.Form):
    """The fields of a person's profile, for the forms of the pages that ask for them."""

    display_name = TextField(
        label="Your name",
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text="What the app calls you. You can leave it empty.",
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        initial="UTC",
        help_text="Used for the days and times Closer shows you, and for when its emails arrive.",
        widget=forms.Select(attrs={"data-browser-time-zone": "true"}),
    )


def here_for_field(*, on_profile: bool = False) -> forms.ChoiceField:
    """The question; on the profile itself it does not send the reader to the profile."""
    later = "" if on_profile else " You can change this on your profile."
    return forms.ChoiceField(
        label="Are you here for yourself, or as a therapist or coach?",
        label_suffix="",
        choices=User.HereFor.choices,
        initial=User.HereFor.MYSELF,
        required=False,  # unanswered: as before (for yourself, on a new account)
        widget=forms.RadioSelect,
        help_text=(
            "A therapist or coach starts on their list of clients. Choose both to keep a "
            "journal of your own as well." + later
        ),
    )


# Letters in any script, digits, spaces and . ' -: a name, never an address or a header.
SENDER_NAME = re.compile(r"[^\W_]+(?:[ .'\u2019-]+[^\W_]+)*\.?")
SENDER_NAME_PROBLEM = (
    "Use letters, numbers, spaces and . ' - only (no email address), 40 characters at most."
)


def sender_name_clean(value: str) -> str:
    """The sender name with its spaces tidied; ValidationError for anything but a name."""
    value = " ".join(value.split())
    if value and not SENDER_NAME.fullmatch(value):
        raise forms.ValidationError(SENDER_NAME_PROBLEM)
    return value


def situation_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Right now I am…",
        label_suffix="",
        choices=User.Situation.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "The lessons' practices, the order of the path and the journal's questions follow"
            " your answer."
        ),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing has been deleted; try again."
            )
        return password
