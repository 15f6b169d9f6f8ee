"""allauth's account forms with their labels in our words and sentence case (ACCOUNT_FORMS in
settings). Apart from forms.py, which the sign-up form imports while allauth's forms load."""

from allauth.account import forms as allauth_forms
from django import forms


class _OurLabels:
    """Relabels the fields named in `labels`."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label


NEW_PASSWORD = {"password1": "New password", "password2": "New password (again)"}


class LoginForm(_OurLabels, allauth_forms.LoginForm):
    labels = {"remember": "Keep me logged in on this device"}


class ChangePasswordForm(_OurLabels, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": "Current password", **NEW_PASSWORD}


class ResetPasswordKeyForm(_OurLabels, allauth_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD


class ConfirmEmailCodeForm(_OurLabels, allauth_forms.ConfirmEmailVerificationCodeForm):
    """The code emailed to confirm an address: nine digits, so phones show the number pad
    and offer the code from the email."""

    labels = {"code": "Code from the email"}
    incorrect = "That is not the code in the email. Check it and type it again."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs = {"autocomplete": "one-time-code", "inputmode": "numeric"}

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            if error.code == "incorrect_code":
                raise forms.ValidationError(self.incorrect, code="incorrect_code") from error
            raise
