from django import forms

from accounts.models import User
from core.forms import TextField

from .models import SWITCH_FIELDS, Link


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Your partner's email",
        help_text="They get a link that works once, for seven days.",
        max_length=254,
    )

    def __init__(self, *args, reader: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == self.reader.email.lower():
            raise forms.ValidationError("That is your own address. Enter your partner's.")
        return email


class SwitchesForm(forms.ModelForm):
    class Meta:
        model = Link
        fields = SWITCH_FIELDS


def _text(label: str, help_text: str) -> TextField:
    return TextField(
        label=label,
        help_text=help_text,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a few words, or skip it."},
    )


class PairAnswerForm(forms.Form):
    text = _text("Your answer", "Only the two of you see it, once you have both answered.")


class PlanForm(forms.Form):
    text = _text(
        "The one thing you'll do together this week",
        "Agree it first, then one of you writes it here. Both of you see it until the next "
        "check-in.",
    )
