from datetime import date

from django import forms

from accounts.models import User

from .models import ApologyStatus, Entry, MadeBy, MomentKind, Response

SHORT = 300
LONG = 3000


def _text(
    label: str,
    *,
    max_length: int = LONG,
    required: bool = False,
    rows: int = 3,
    help_text: str = "",
    placeholder: str = "",
) -> forms.CharField:
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs=attrs),
    )


class EntryForm(forms.ModelForm):
    """Fields every kind shares: the day (never in the future), the lesson and the privacy flag."""

    day = forms.DateField(
        label="Which day is this about?",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
    is_private = forms.BooleanField(
        label="Keep private",
        required=False,
        help_text="Private entries are never shared with a therapist, whatever you share.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        today = user.local_today()
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound and not self.instance.pk and not self.initial.get("day"):
            # A new entry's instance has day=None, which ModelForm copies into initial.
            self.initial["day"] = today

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > self.user.local_today():
            raise forms.ValidationError(
                "That day hasn't happened yet. Pick today or an earlier day."
            )
        if day.year < 1900:
            raise forms.ValidationError("Pick a day from 1900 onwards.")
        return day


class GratitudeForm(EntryForm):
    moment_kinds = forms.MultipleChoiceField(
        label="What did they do?",
        choices=MomentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip"}),
    )
    moments = _text(
        "In a few words", max_length=LONG, rows=2, placeholder="They made me tea before I asked"
    )
    why = _text("Why are you glad they are in your life?", rows=2)
    told_partner = forms.BooleanField(label="I told them", required=False)

    class Meta:
        model = Entry
        fields = [
            "moment_kinds",
            "moments",
            "why",
            "told_partner",
            "day",
            "is_private",
            "lesson_slug",
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("moment_kinds") and not cleaned.get("moments"):
            self.add_error("moments", "Tap what they did, or write a few words about it.")
        return cleaned


class BidForm(EntryForm):
    made_by = forms.ChoiceField(
        label="Who made the bid?", choices=MadeBy.choices, widget=forms.RadioSelect
    )
    what = _text(
        "What was the bid?",
        max_length=LONG,
        required=True,
        rows=2,
        placeholder="They showed me a photo from their walk",
    )
    response = forms.ChoiceField(
        label="How was it answered?", choices=Response.choices, widget=forms.RadioSelect
    )
    at_time = forms.TimeField(
        label="Roughly when? (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    note = _text("What could you do next time? (optional)", rows=2)

    class Meta:
        model = Entry
        fields = [
            "made_by",
            "what",
            "response",
            "day",
            "at_time",
            "note",
            "is_private",
            "lesson_slug",
        ]


class ApologyForm(EntryForm):
    acknowledgement = _text(
        "Step 1 · Acknowledgement: what did you do?",
        required=True,
        help_text="Name it plainly, without “but”. For example: I'm sorry I went quiet "
        "and left the room when you wanted to talk.",
    )
    empathy = _text(
        "Step 2 · Empathy: how did it make them feel?",
        required=True,
        help_text="For example: I know that when I shut down, you feel alone and unimportant.",
    )
    reassurance = _text(
        "Step 3 · Reassurance: what do you want them to know?",
        rows=2,
        help_text="For example: You matter to me and I want us to be close.",
    )
    why_it_happened = _text("Why it happened (without excusing it)", rows=2)
    next_time = _text("What you will do differently next time", rows=2)
    their_needs = _text(
        "Ask what they need from you now",
        rows=2,
        placeholder="What would help you feel better about this?",
    )
    status = forms.ChoiceField(
        label="Status", choices=ApologyStatus.choices, initial=ApologyStatus.DRAFT
    )

    class Meta:
        model = Entry
        fields = [
            "acknowledgement",
            "empathy",
            "reassurance",
            "why_it_happened",
            "next_time",
            "their_needs",
            "status",
            "day",
            "is_private",
            "lesson_slug",
        ]

    def clean(self):
        cleaned = super().clean()
        restitution = ("reassurance", "why_it_happened", "next_time", "their_needs")
        if not any(cleaned.get(field) for field in restitution):
            self.add_error("reassurance", "Write at least one part of step 3 before saving.")
        return cleaned


class ApologyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ApologyStatus.choices)
    follow_up = _text("How did it go? (optional)", rows=2)


FORMS = {"gratitude": GratitudeForm, "bid": BidForm, "apology": ApologyForm}


class PrintRangeForm(forms.Form):
    """The days a printout covers: today or earlier, start on or before end, a year at most."""

    MAX_DAYS = 366

    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Pick the first day to print.", "invalid": "Enter a date."},
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Pick the last day to print.", "invalid": "Enter a date."},
    )
    hide_private = forms.BooleanField(label="Leave out private entries", required=False)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].widget.attrs["max"] = user.local_today().isoformat()

    def _not_future(self, name: str) -> date:
        day = self.cleaned_data[name]
        if day > self.user.local_today():
            raise forms.ValidationError(
                "That day hasn't happened yet. Pick today or an earlier day."
            )
        return day

    def clean_start(self) -> date:
        return self._not_future("start")

    def clean_end(self) -> date:
        return self._not_future("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day is before the first. Pick a later day.")
        elif start and end and (end - start).days >= self.MAX_DAYS:
            self.add_error("end", "Pick a range of a year or less.")
        return cleaned
