"""The forms of the pages that ask for a profile and a reminder together."""

from django import forms

from accounts.forms import ProfileFields, here_for_field, sender_name_clean, situation_field
from accounts.models import User
from core.forms import TextField
from nudges.forms import ReminderForm
from nudges.models import ReminderSchedule
from sharing import selectors as sharing_selectors

from . import services


class SignupForm(ProfileFields):
    """Extra fields on allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    here_for = here_for_field()
    field_order = ["display_name", "email", "password1", "password2", "time_zone", "here_for"]

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])
        here_for = self.cleaned_data["here_for"] or User.HereFor.MYSELF
        services.here_for_save(user=user, here_for=here_for)


class FirstRunForm(forms.Form):
    """The step after sign-up: where the reader is, and when the daily reminder comes."""

    situation = situation_field()
    reminder = forms.BooleanField(label="Send me a daily reminder", required=False)
    local_time = ReminderForm.base_fields["local_time"]

    @staticmethod
    def initial_for(user: User, schedule: ReminderSchedule) -> dict:
        return {
            "situation": user.situation,
            "reminder": schedule.enabled,
            "local_time": schedule.local_time,
        }


# What the time zone is for, as the profile says it to each person (sign-up, before the
# answer, says it for everyone).
TIME_ZONE_HELP = {
    User.HereFor.MYSELF: "Used for your journal days and the time of your daily reminder.",
    User.HereFor.PRACTICE: (
        "Used for the times on your clients' pages, and for your email notices: once a day,"
        " in the evening, if you turn them on."
    ),
    User.HereFor.BOTH: (
        "Used for your journal days, your daily reminder and the times on your clients'"
        " pages, and for your email notices: once a day, in the evening, if you turn them on."
    ),
}


class ProfileForm(forms.ModelForm):
    time_zone = ProfileFields.base_fields["time_zone"]
    situation = situation_field()
    here_for = here_for_field(on_profile=True)

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "situation", "discreet_reminders", "sender_name"]
        field_classes = {"display_name": TextField, "sender_name": TextField}
        labels = {
            "display_name": "Your name",
            "discreet_reminders": "Discreet reminders",
            "sender_name": "Emails come from",
        }
        help_texts = {
            "discreet_reminders": (
                "For a phone others may see: every reminder and notice, by email or"
                " notification, says only “A moment for you”, with a link; emails about your"
                " account keep only their code or link. Nothing about what Closer is for."
            ),
            "sender_name": (
                "The name shown as the sender of our emails to you, e.g. “A. Reader”."
                " Leave it empty for “Closer”. The address stays ours."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["here_for"] = self.instance.here_for
        self.fields["time_zone"].help_text = TIME_ZONE_HELP[self.instance.here_for]
        if not self.instance.journal_prompts:
            del self.fields["situation"]  # the reader's own relationship: kept as it is

    def clean(self) -> dict:
        cleaned_data = super().clean()
        cleaned_data.setdefault("situation", self.instance.situation)
        return cleaned_data

    def clean_here_for(self) -> str:
        here_for = self.cleaned_data["here_for"] or self.instance.here_for
        reads = sharing_selectors.reads_any_journal(therapist=self.instance)
        if here_for == User.HereFor.MYSELF and reads:
            raise forms.ValidationError(
                "Clients still share their journals with you. Choose “Both”, or end those "
                "shares first from each client's page."
            )
        return here_for

    def clean_sender_name(self) -> str:
        return sender_name_clean(self.cleaned_data["sender_name"])
