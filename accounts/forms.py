from django import forms

import nudges.services

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


class SignupForm(_ProfileFields):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    field_order = ["display_name", "email", "password1", "password2", "time_zone"]

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])
        nudges.services.schedule_create_default(user=user)


class ProfileForm(forms.ModelForm):
    time_zone = _ProfileFields.base_fields["time_zone"]

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
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
