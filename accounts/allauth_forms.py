"""allauth's account and two-step forms with their labels and refusals in our words and
sentence case (ACCOUNT_FORMS and MFA_FORMS in settings). Apart from forms.py, which the
sign-up form imports while allauth's forms load."""

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms


class _OurLabels:
    """Relabels the fields named in `labels`."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label


# "again" without allauth's brackets, so the second box takes a colon as the first does.
NEW_PASSWORD = {"password1": "New password", "password2": "New password again"}


class SignupForm(_OurLabels, allauth_forms.SignupForm):
    labels = {"password2": "Password again"}


class LoginForm(_OurLabels, allauth_forms.LoginForm):
    labels = {"remember": "Keep me logged in on this device"}


class ChangePasswordForm(_OurLabels, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": "Current password", **NEW_PASSWORD}


class ResetPasswordKeyForm(_OurLabels, allauth_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD


class _OurIncorrectCode:
    """Refuses a wrong code with `incorrect`, which says what to type instead, in place of
    allauth's "Incorrect code."; its other refusals (too many tries) pass unchanged."""

    incorrect = ""

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            if error.code == "incorrect_code":
                raise forms.ValidationError(self.incorrect, code="incorrect_code") from error
            raise


class ConfirmEmailCodeForm(
    _OurIncorrectCode, _OurLabels, allauth_forms.ConfirmEmailVerificationCodeForm
):
    """The code emailed to confirm an address: nine digits, so phones show the number pad
    and offer the code from the email."""

    labels = {"code": "Code from the email"}
    incorrect = "That is not the code in the email. Check it and type it again."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs = {"autocomplete": "one-time-code", "inputmode": "numeric"}


# The second step of a log-in, or of confirming it is them, takes an app code or a recovery code.
APP_OR_RECOVERY_CODE = (
    "That code did not work. Type the code your authenticator app shows now (each one works "
    "once), or one of your recovery codes."
)


class ActivateTOTPForm(_OurIncorrectCode, _OurLabels, totp_forms.ActivateTOTPForm):
    labels = {"code": "Code from your app"}
    incorrect = (
        "That code did not match. Type the six digits your app shows for Closer now: "
        "it makes a new code every 30 seconds."
    )


class AuthenticateForm(_OurIncorrectCode, _OurLabels, mfa_forms.AuthenticateForm):
    labels = {"code": "Code from your authenticator app"}
    incorrect = APP_OR_RECOVERY_CODE


class ReauthenticateForm(_OurIncorrectCode, mfa_forms.ReauthenticateForm):
    incorrect = APP_OR_RECOVERY_CODE
