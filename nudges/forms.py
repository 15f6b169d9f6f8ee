from datetime import date

from django import forms

from accounts.models import User

from .models import WEEKDAY_NAMES, ReminderSchedule

TIME_MESSAGE = "Enter a time between 00:00 and 23:59, like 20:00."


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

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["paused_until"].widget.attrs["min"] = user.local_today().isoformat()

    @classmethod
    def initial_for(cls, schedule: ReminderSchedule, *, today: date) -> dict:
        paused = schedule.paused_until
        return {
            "enabled": schedule.enabled,
            "local_time": schedule.local_time,
            "weekdays": schedule.weekday_list,
            "paused_until": paused if paused and paused >= today else None,
            "skip_if_written": schedule.skip_if_written,
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
