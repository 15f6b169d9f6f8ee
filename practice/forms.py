"""The practice tools' forms: a break's return, the day's answer, the weekly check-in, the
two self-checks and the ladder. The declared fields come from the kinds (practice/kinds.py)
through the journal's entry forms."""

from datetime import UTC, date

from django import forms
from django.utils import timezone

from accounts.models import User
from core.forms import CarriedFields, TextField
from journal.forms import (
    DAY_LOST,
    FORMS,
    LESSON_CARRIED,
    LONG,
    PRIVATE_BY_CHOICE,
    OneEntryForm,
    form_field,
)
from journal.kinds import KINDS

from . import breaks, content


class CarriesTheDay:
    """An entry form whose page carries the day hidden: a refused day becomes today."""

    carried = {**LESSON_CARRIED, "day": DAY_LOST}

    def carried_value(self, name: str) -> str:
        return self.user.local_today().isoformat() if name == "day" else ""


class WallClockField(forms.DateTimeField):
    """A day and time as the user's clock shows it, left without a zone: breaks.return_at
    puts it in theirs, and says what it does with a time the clocks skip or show twice
    (Django's own field refuses both with a message of its own)."""

    def to_python(self, value):
        with timezone.override(UTC):  # a zone without changes: nothing skipped or repeated
            result = super().to_python(value)
        return None if result is None else timezone.make_naive(result, UTC)


class BreakForm(CarriedFields, OneEntryForm):
    """When the user will come back: a few quick choices, or a time they pick (a day at most)."""

    carried = LESSON_CARRIED

    choice = forms.ChoiceField(
        label="When will you come back?",
        choices=breaks.CHOICES,
        widget=forms.RadioSelect(attrs={"class": "chips"}),  # pills a thumb can hit
        error_messages={"required": "Pick when you will come back."},
    )
    chosen = WallClockField(
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


class BreakNoteForm(forms.Form):
    """How a break went, once they have said they came back (coming back early says so)."""

    note = form_field(KINDS["break"].get("note"))


class WentBackForm(BreakNoteForm):
    went_back = form_field(KINDS["break"].get("went_back"))
    field_order = ["went_back", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["went_back"].required = True
        self.fields["went_back"].error_messages["required"] = "Pick one: there is no wrong answer."


class QuestionDayForm(CarriesTheDay, CarriedFields, forms.Form):
    """The day of the question a page showed, carried hidden: an answer or a skip sent after
    midnight is about the question read before it, not the next day's."""

    day = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_day(self) -> date | None:
        day = self.cleaned_data["day"]
        if day and day > self.user.local_today():
            raise forms.ValidationError("A day still to come.")  # the user reads DAY_LOST
        return day

    def shown_day(self) -> date | None:
        """The day the page carried; None on a new page, or for a day refused."""
        if not self.is_bound:
            return None
        self.is_valid()  # cleans every field, the day among them
        return self.cleaned_data.get("day")


class AnswerForm(QuestionDayForm, OneEntryForm):
    answer = form_field(KINDS["answer"].get("answer"))
    is_private = forms.BooleanField(
        label="Keep private",
        required=False,
        help_text=PRIVATE_BY_CHOICE,
    )
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)


# The practice tools over weeks -------------------------------------------------------------


class CheckInForm(CarriesTheDay, FORMS["check_in"]):
    """The whole weekly check-in; its view shows one step a screen and carries the rest.

    Someone without a partner (`User.practises_alone`) is asked the steps' alone wording.
    """

    def __init__(self, *args, alone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if alone:
            for step in content.check_in().steps:
                self.fields[step.key].label = step.alone_prompt


RATING_MESSAGE = "Pick how much this is like you, from 1 to 5."


def _rating_field(label: str) -> forms.TypedChoiceField:
    scale = content.four_abilities().scale
    return forms.TypedChoiceField(
        label=label,
        choices=[(value, f"{value} · {words}") for value, words in scale],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_MESSAGE, "invalid_choice": RATING_MESSAGE},
    )


class FourAbilitiesForm(CarriedFields, OneEntryForm):
    """One 1-to-5 rating per statement, every one of them needed for a score."""

    carried = LESSON_CARRIED

    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (_, _, text) in enumerate(content.four_abilities().statements):
            self.fields[f"rating_{number}"] = _rating_field(text)

    def groups(self) -> list[tuple[content.Ability, list[forms.BoundField]]]:
        """Each ability with its statements' fields, as the page shows them."""
        fields = iter(self[f"rating_{n}"] for n, _ in enumerate(self._statements()))
        return [(a, [next(fields) for _ in a.statements]) for a in self._abilities()]

    def ratings(self) -> list[int]:
        return [self.cleaned_data[f"rating_{n}"] for n, _ in enumerate(self._statements())]

    @staticmethod
    def _abilities():
        return content.four_abilities().abilities

    @staticmethod
    def _statements():
        return content.four_abilities().statements


class LoveLanguagesForm(CarriedFields, OneEntryForm):
    """The five languages in order, for oneself and for the other person: one choice a place."""

    carried = LESSON_CARRIED

    PLACES = ("1st", "2nd", "3rd", "4th", "5th")
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose…")] + [
            (language.key, language.name) for language in content.love_languages().languages
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
                    name = content.love_languages().language(key).name
                    self.add_error(
                        f"{who}_{n}",
                        f"{name} is already higher up. Each language goes in one place only.",
                    )
                seen.add(key)
        return cleaned

    def order(self, who: str) -> list[str]:
        return [self.cleaned_data[f"{who}_{n}"] for n in range(1, len(self.PLACES) + 1)]


class RungForm(CarriesTheDay, FORMS["rung"]):
    """A new rung. Whether the ladder has room for it is known only under the lock the
    service takes (services.rung_add), so the view says when it is full."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.initial.get("who"):  # the new instance's empty value hides the default
            self.initial["who"] = KINDS["rung"].get("who").initial


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


class RungDoneForm(CarriedFields, forms.Form):
    carried = LESSON_CARRIED

    how_it_went = TextField(
        label="How did it go? (optional)",
        required=False,
        max_length=LONG,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feeling_before = _feeling_field("How nervous were you before? (0 to 10)")
    feeling_after = _feeling_field("And after? (0 to 10)")
    lesson_slug = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
