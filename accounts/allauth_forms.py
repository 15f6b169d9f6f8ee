"""allauth's account forms with their labels in our words and sentence case (ACCOUNT_FORMS in
settings). Apart from forms.py, which the sign-up form imports while allauth's forms load."""

from allauth.account import forms as allauth_forms


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
