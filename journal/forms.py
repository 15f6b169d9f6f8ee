from datetime import date

from django import forms

from accounts.models import User

from . import breaks, situations, tool_content
from .kinds import KINDS, ApologyStatus, Field, Kind
from .models import Entry
from .services import LADDER_MAX

LONG = 3000
SCALE = range(1, 11)


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
        if not self.is_bound and not self.instance.pk:
            self.initial["is_private"] = self.kind.private_by_default
        self.heading = self.kind.form_heading
        if self.kind.value == "gratitude":
            self._in_words_of(situations.words_for(user))

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


def _form_field(spec: Field) -> forms.Field:
    """The form field that asks for one declared field."""
    common = {"label": spec.question, "required": spec.required, "help_text": spec.help_text}
    if spec.input == "text":
        attrs = {"rows": spec.rows} | (
            {"placeholder": spec.placeholder} if spec.placeholder else {}
        )
        widget = forms.Textarea(attrs=attrs)
        return forms.CharField(max_length=LONG, strip=True, widget=widget, **common)
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
        messages = {"invalid_choice": f"Pick a number from {SCALE[0]} to {SCALE[-1]}."}
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


def _form_class(kind: Kind) -> type[EntryForm]:
    """A ModelForm for one kind: its editable fields in order, then the shared ones."""
    names = kind.editable_names
    attrs = {name: _form_field(kind.get(name)) for name in names}
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
    follow_up = _form_field(KINDS["apology"].get("follow_up"))


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


class BreakForm(forms.Form):
    """When the user will come back: a few quick choices, or a time they pick (a day at most)."""

    choice = forms.ChoiceField(
        label="When will you come back?",
        choices=breaks.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Pick when you will come back."},
    )
    chosen = forms.DateTimeField(
        label="The time you choose",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Within the next 24 hours.",
        error_messages={"invalid": "Enter a day and a time, like 2026-12-01 20:00."},
    )
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, now, **kwargs):
        self.user, self.now = user, now
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("choice")
        if not choice or self.has_error("chosen"):
            return cleaned
        try:
            cleaned["return_at"] = breaks.return_at(
                choice, now=self.now, zone=self.user.zone, chosen=cleaned.get("chosen")
            )
        except breaks.NotAReturn as problem:
            self.add_error("chosen" if choice == "choose" else "choice", str(problem))
        return cleaned


class WentBackForm(forms.Form):
    went_back = _form_field(KINDS["break"].get("went_back"))
    note = _form_field(KINDS["break"].get("note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["went_back"].required = True
        self.fields["went_back"].error_messages["required"] = "Pick one: there is no wrong answer."


class AnswerForm(forms.Form):
    answer = _form_field(KINDS["answer"].get("answer"))
    is_private = forms.BooleanField(
        label="Keep private",
        required=False,
        help_text="Private entries are never shared with a therapist, whatever you share.",
    )
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].error_messages["required"] = (
            "Write a few words to save an answer, or skip the question: skipping is fine."
        )


# The practice tools over weeks -------------------------------------------------------------


class CheckInForm(FORMS["check_in"]):
    """The whole weekly check-in; its view shows one step a screen and carries the rest.

    Someone without a partner (`User.practises_alone`) is asked the steps' alone wording.
    """

    def __init__(self, *args, alone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if alone:
            for step in tool_content.check_in().steps:
                self.fields[step.key].label = step.alone_prompt


RATING_MESSAGE = "Pick how much this is like you, from 1 to 5."


def _rating_field(label: str) -> forms.TypedChoiceField:
    scale = tool_content.four_abilities().scale
    return forms.TypedChoiceField(
        label=label,
        choices=[(value, f"{value} · {words}") for value, words in scale],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_MESSAGE, "invalid_choice": RATING_MESSAGE},
    )


class FourAbilitiesForm(forms.Form):
    """One 1-to-5 rating per statement, every one of them needed for a score."""

    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (_, _, text) in enumerate(tool_content.four_abilities().statements):
            self.fields[f"rating_{number}"] = _rating_field(text)

    def groups(self) -> list[tuple[tool_content.Ability, list[forms.BoundField]]]:
        """Each ability with its statements' fields, as the page shows them."""
        fields = iter(self[f"rating_{n}"] for n, _ in enumerate(self._statements()))
        return [(a, [next(fields) for _ in a.statements]) for a in self._abilities()]

    def ratings(self) -> list[int]:
        return [self.cleaned_data[f"rating_{n}"] for n, _ in enumerate(self._statements())]

    @staticmethod
    def _abilities():
        return tool_content.four_abilities().abilities

    @staticmethod
    def _statements():
        return tool_content.four_abilities().statements


class LoveLanguagesForm(forms.Form):
    """The five languages in order, for oneself and for the other person: one choice a place."""

    PLACES = ("1st", "2nd", "3rd", "4th", "5th")
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose…")] + [
            (language.key, language.name) for language in tool_content.love_languages().languages
        ]
        message = "Choose one of the five languages for this place."
        for who in ("mine", "theirs"):
            for n, place in enumerate(self.PLACES, start=1):
                self.fields[f"{who}_{n}"] = forms.ChoiceField(
                    label=place,
                    choices=choices,
                    error_messages={"required": message, "invalid_choice": message},
                )

    @property
    def mine(self) -> list[forms.BoundField]:
        return [self[f"mine_{n}"] for n in range(1, len(self.PLACES) + 1)]

    @property
    def theirs(self) -> list[forms.BoundField]:
        return [self[f"theirs_{n}"] for n in range(1, len(self.PLACES) + 1)]

    def clean(self):
        cleaned = super().clean()
        for who in ("mine", "theirs"):
            seen: set[str] = set()
            for n in range(1, len(self.PLACES) + 1):
                key = cleaned.get(f"{who}_{n}")
                if not key:
                    continue  # its own message says it is missing
                if key in seen:
                    name = tool_content.love_languages().language(key).name
                    self.add_error(
                        f"{who}_{n}",
                        f"{name} is already higher up. Each language goes in one place only.",
                    )
                seen.add(key)
        return cleaned

    def order(self, who: str) -> list[str]:
        return [self.cleaned_data[f"{who}_{n}"] for n in range(1, len(self.PLACES) + 1)]


class RungForm(FORMS["rung"]):
    """A new rung; a ladder holds LADDER_MAX at most."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.initial.get("who"):  # the new instance's empty value hides the default
            self.initial["who"] = KINDS["rung"].get("who").initial

    def clean(self):
        cleaned = super().clean()
        rungs = Entry.objects.filter(user=self.user, kind="rung").count()
        if rungs >= LADDER_MAX:
            raise forms.ValidationError(
                f"Your ladder has {LADDER_MAX} rungs, the most it can hold. Tick or delete "
                "one before adding another."
            )
        return cleaned


FEELING = [(n, str(n)) for n in range(11)]
FEELING_MESSAGE = "Pick a number from 0 to 10."


def _feeling_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=FEELING,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect(attrs={"class": "chip"}),
        help_text="0 is calm, 10 the most nervous you can imagine.",
        error_messages={"invalid_choice": FEELING_MESSAGE},
    )


class RungDoneForm(forms.Form):
    how_it_went = forms.CharField(
        label="How did it go? (optional)",
        required=False,
        max_length=LONG,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feeling_before = _feeling_field("How nervous were you before? (0 to 10)")
    feeling_after = _feeling_field("And after? (0 to 10)")
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
