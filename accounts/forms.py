from django import forms

import nudges.services
from nudges.forms import ReminderForm
from nudges.models import ReminderSchedule

from .models import User
from .timezones import time_zone_choices


class _ProfileFields(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text="What the app calls you. You can leave it empty.",
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        initial="UTC",
        help_text="Used for your journal days and the time of your daily reminder.",
        widget=forms.Select(attrs={"data-browser-time-zone": "true"}),
    )


def _situation_field() -> forms.ChoiceField:
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


class SignupForm(_ProfileFields):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    field_order = ["display_name", "email", "password1", "password2", "time_zone"]

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])
        nudges.services.schedule_create_default(user=user)


class FirstRunForm(forms.Form):
    """The step after sign-up: where the reader is, and when the daily reminder comes."""

    situation = _situation_field()
    reminder = forms.BooleanField(label="Send me a daily reminder", required=False)
    local_time = ReminderForm.base_fields["local_time"]

    @staticmethod
    def initial_for(user: User, schedule: ReminderSchedule) -> dict:
        return {
            "situation": user.situation,
            "reminder": schedule.enabled,
            "local_time": schedule.local_time,
        }


class ProfileForm(forms.ModelForm):
    time_zone = _ProfileFields.base_fields["time_zone"]
    situation = _situation_field()

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "situation"]
        labels = {"display_name": "Your name"}


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
