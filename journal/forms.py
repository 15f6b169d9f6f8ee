from datetime import date
from uuid import UUID, uuid4

from django import forms

from accounts.models import User
from core.forms import CarriedFields, TextField

from . import situations
from .kinds import KINDS, ApologyStatus, EntryField, EntryKind
from .models import Entry

LONG = 3000
SCALE = range(1, 11)


# Why "Keep private" starts the way it does, under the checkbox.
PRIVATE_FIRST = (
    "Starts ticked, because this is yours to think over first. "
    "Private entries are never shared with a therapist."
)
PRIVATE_BY_CHOICE = (
    "Starts unticked, because a therapist sees only what you choose to share. "
    "Tick it to keep this one out of any share."
)


# What a page that carries the lesson it came from says when that comes back damaged.
LESSON_CARRIED = {
    "lesson_slug": (
        "The link to the lesson this came from was damaged, so it is not tied to a lesson. "
        "What you typed is still here: save again to keep it."
    )
}
# The same for a page that carries the day (the ladder, the check-in), which then keeps today.
DAY_LOST = (
    "The day this page carried could not be used (it was not a date, or one still to come). "
    "What you typed is still here: save again to keep it for today."
)


class SubmissionField(forms.UUIDField):
    """A hidden one-time token, new each time the form is shown. A damaged one counts as
    none: the entry is saved as from a form without it, rather than refused for a field the
    user can neither see nor fix."""

    def __init__(self):
        super().__init__(required=False, initial=uuid4, widget=forms.HiddenInput)

    def to_python(self, value) -> UUID | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class OneEntryForm(forms.Form):
    """A form that makes an entry: sent twice with its token (a double tap on Save, a POST
    the phone sends again), it makes one (journal.services.entry_create's `submission`)."""

    submission = SubmissionField()


class EntryForm(CarriedFields, OneEntryForm, forms.ModelForm):
    """Fields every kind shares: the day (never in the future), the lesson and the privacy flag."""

    carried = LESSON_CARRIED

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
        if self.instance.pk:  # an edit changes the entry it is about, however often sent
            del self.fields["submission"]
        today = user.local_today()
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound and not self.instance.pk and not self.initial.get("day"):
            # A new entry's instance has day=None, which ModelForm copies into initial.
            self.initial["day"] = today
        if not self.is_bound and not self.instance.pk:
            self.initial["is_private"] = self.kind.private_by_default
        self.fields["is_private"].help_text = (
            PRIVATE_FIRST if self.kind.private_by_default else PRIVATE_BY_CHOICE
        )
        self.heading = self.kind.form_heading
        if self.kind.value == "gratitude":
            self._in_words_of(situations.words_for(user))
        if "made_by" in self.fields and not user.has_partner:
            # Not "My partner" to someone without one (an old entry's answer stays offered).
            field = self.fields["made_by"]
            kept = {"me", "someone", self.initial.get("made_by", "")}
            field.choices = [choice for choice in field.choices if choice[0] in kept]

    def _in_words_of(self, words: situations.SituationWords) -> None:
        """Ask about the people the reader has: a partner, or someone close to them."""
        self.heading = words.gratitude_heading
        self.fields["moments"].widget.attrs["placeholder"] = words.gratitude_placeholder
        self.fields["why"].label = words.gratitude_why_label
        self.fields["told_partner"].label = words.told_label

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > self.user.local_today():
            raise forms.ValidationError(
                "That day hasn't happened yet. Pick today or an earlier day."
            )
        if day.year < 1900:
            raise forms.ValidationError("Pick a day from 1900 onwards.")
        return day


def form_field(spec: EntryField) -> forms.Field:
    """The form field that asks for one declared field."""
    common = {"label": spec.question, "required": spec.required, "help_text": spec.help_text}
    if spec.required_message:
        common["error_messages"] = {"required": spec.required_message}
    if spec.input == "text":
        attrs = {"rows": spec.rows} | (
            {"placeholder": spec.placeholder} if spec.placeholder else {}
        )
        widget = forms.Textarea(attrs=attrs)
        return TextField(max_length=LONG, strip=True, widget=widget, **common)
    if spec.input == "choices":
        widget = forms.CheckboxSelectMultiple(attrs={"class": "chips"})
        return forms.MultipleChoiceField(choices=spec.choices.choices, widget=widget, **common)
    if spec.input in ("radio", "select"):
        widget = forms.RadioSelect if spec.input == "radio" else forms.Select
        return forms.ChoiceField(
            choices=spec.choices.choices, widget=widget, initial=spec.initial or None, **common
        )
    if spec.input == "checkbox":
        return forms.BooleanField(**common)
    if spec.input == "scale":
        choices = [(n, str(n)) for n in SCALE]
        pick = f"Pick a number from {SCALE[0]} to {SCALE[-1]}."
        messages = {"required": pick, "invalid_choice": pick} | common.pop("error_messages", {})
        widget = forms.RadioSelect(attrs={"class": "chips"})
        return forms.TypedChoiceField(
            choices=choices, coerce=int, widget=widget, error_messages=messages, **common
        )
    if spec.input == "time":
        widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        return forms.TimeField(widget=widget, **common)
    raise ValueError(f"No form input {spec.input!r} (field {spec.name})")


def _check_one_of(form: EntryForm, cleaned: dict) -> None:
    rule = form.kind.one_of
    if rule and not any(cleaned.get(name) for name in rule[0]):
        form.add_error(rule[1], rule[2])


def _form_class(kind: EntryKind) -> type[EntryForm]:
    """A ModelForm for one kind: its editable fields in order, then the shared ones."""
    names = kind.editable_names
    attrs = {name: form_field(kind.get(name)) for name in names}
    meta = type(
        "Meta", (), {"model": Entry, "fields": [*names, "day", "is_private", "lesson_slug"]}
    )

    def clean(self):
        cleaned = EntryForm.clean(self)
        _check_one_of(self, cleaned)
        return cleaned

    attrs |= {"Meta": meta, "kind": kind, "clean": clean, "__module__": __name__}
    return type(f"{kind.value.title()}Form", (EntryForm,), attrs)


FORMS: dict[str, type[EntryForm]] = {value: _form_class(kind) for value, kind in KINDS.items()}
GratitudeForm = FORMS["gratitude"]


class ApologyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ApologyStatus.choices)
    follow_up = form_field(KINDS["apology"].get("follow_up"))


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
