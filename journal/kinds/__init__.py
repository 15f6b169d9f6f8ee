"""Every kind of journal entry, declared once, in one registry.

A kind lists its fields in order. Each field says how the form asks for it, what it is
called in each voice (the owner's pages, the owner's printout, the therapist's pages), and
whether it is editable, searchable, exported and shown to a therapist. The kind says how it
counts toward the 5:1 ratio and which share scope opens it. Forms, services, search, export,
print, the entry pages and cards, insights, the share scopes and the lessons' practice kinds
all read from here: adding a field is one edit to its declaration plus a migration.

The journal declares its own kinds (gratitude, bids, apologies: journal/kinds/own.py). A
feature above it declares its kinds beside its own code and registers them from its
AppConfig module, e.g. practice/apps.py:

    kinds.register(*practice.kinds.KINDS)

The journal never imports those features. Registration happens while Django imports the
app configs, before any models: Entry's kind choices, its column choices and its check
constraint are built from the registry when journal/models.py loads, and must list every
kind, or `makemigrations --check` would see a change. `register()` refuses a late call.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.dateformat import format as date_format


class Words(NamedTuple):
    """One label in the three voices a journal is read in."""

    you: str  # the owner, on their own pages
    i: str  # the owner's printout, in the first person
    they: str  # the therapist, reading a client's entry

    @classmethod
    def same(cls, text: str) -> "Words":
        return cls(text, text, text)


VOICES = Words._fields
POSITIVE, NEGATIVE = "positive", "negative"


@dataclass(frozen=True)
class EntryField:
    """One field of a kind. `name` is the Entry column that stores it.

    `input` is how the form asks for it: text, choices (tick any), radio, select, checkbox,
    time. Fields a tool fills in itself (editable=False) may also be scores (a self-check's
    result per ability), ratings (its answers), order (keys, first to last), feeling (0 to
    10), date, or position (a place in a list: stored and exported, never shown); `as_text`
    says a tool's own value (scores, ratings, order) in words.
    `part_of` names the kind's assembled text this field is a paragraph of (the
    apology is shown as one text, not as six fields). `card` is the line a list card shows
    for a ticked checkbox.
    """

    name: str
    question: str
    label: Words
    input: str = "text"
    required: bool = False
    required_message: str = ""  # what an empty required field says, in our words
    help_text: str = ""
    placeholder: str = ""
    rows: int = 3
    choices: type[TextChoices] | None = None
    choice_words: dict[str, Words] = field(default_factory=dict)
    editable: bool = True
    exported: bool = True
    shown_to_therapist: bool = True
    part_of: str = ""
    card: Words | None = None
    initial: str = ""
    as_text: Callable[[Any], str] | None = None

    @property
    def searchable(self) -> bool:
        return self.input == "text"

    def words_for(self, value: str, voice: str) -> str:
        if value in self.choice_words:
            return getattr(self.choice_words[value], voice)
        return dict(self.choices.choices).get(value, "") if self.choices else value

    def text_of(self, value) -> str:
        """A tool's value (scores, ratings, order, feeling, date) as plain text."""
        if value in (None, "", [], {}) or self.input == "position":
            return ""
        if self.as_text:
            return self.as_text(value)
        if self.input == "feeling":
            return f"{value} of 10"
        if self.input == "date":
            return date_format(value, "j F Y")
        if self.input == "datetime":  # in the reader's zone, as every time on a page is
            return date_format(timezone.localtime(value), "l j F Y, H:i")
        return str(value)


@dataclass(frozen=True)
class EntryKind:
    """A kind of entry: its fields, its words, its scope and how it counts."""

    value: str
    label: str  # a badge, a filter choice: "Gratitude"
    noun: str  # in a sentence: "gratitude entry"
    practice_label: str  # a lesson's practice of this kind
    practice_action: str  # the lesson's button that opens the form
    url_segment: str  # /journal/<url_segment>/new/
    form_title: str  # the new-entry page's title and heading, and a line under it
    form_heading: str
    form_lead: str
    fields: tuple[EntryField, ...]
    scope: str  # the Share flag that opens it to a therapist
    scope_label: str
    headline: tuple[str, ...]  # the first of these with a value heads a list card
    # Ticked on a new share. Off unless a kind asks (the journal's own do): what a new share
    # opens is chosen, never left to a forgotten line, and a tool's own scope starts off.
    shared_by_default: bool = False
    card: tuple[str, ...] = ()  # choice fields shown under the headline, joined by " · "
    # How an entry counts toward the 5:1 ratio: always one way, or by a field's value.
    moment: str = ""
    moment_field: str = ""
    moments: dict[str, str] = field(default_factory=dict)
    # At least one of these fields must be filled; the message goes on the last one.
    one_of: tuple[tuple[str, ...], str, str] | None = None
    assembled: Words | None = None  # the heading of the fields that are `part_of` it
    preview_before_save: bool = False
    # Where this stops: who the practice is not for. Every screen that shows the kind's form
    # renders it with the help link (templates/_where_this_stops.html).
    safety_note: str = ""
    saved_to_home: bool = False  # after saving, back to Today rather than to the entry
    private_by_default: bool = False  # "Keep private" starts ticked
    actions: str = ""  # a template with what can be done on an entry's page (tell them, …)
    # The dotted path of a function(entry, now) -> dict: what `actions` needs to show.
    actions_context: str = ""
    # The new-entry page of the feature that declares the kind, which a lesson's practice
    # opens; without one, the journal serves journal:<value>_new.
    practice_page: str = ""

    @property
    def own_pages(self) -> bool:
        """The kind's feature serves its new-entry page (practice_page), not the journal."""
        return bool(self.practice_page)

    @property
    def new_page(self) -> str:
        """The URL name of the page that starts an entry of this kind."""
        return self.practice_page or f"journal:{self.value}_new"

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def editable_names(self) -> list[str]:
        return [f.name for f in self.fields if f.editable]

    def get(self, name: str) -> EntryField:
        return next(f for f in self.fields if f.name == name)

    def moment_condition(self, moment: str) -> Q | None:
        """The entries of this kind that are `moment` (positive or negative), as a Q."""
        if self.moment:
            return Q(kind=self.value) if self.moment == moment else None
        values = [value for value, m in self.moments.items() if m == moment]
        if not values:
            return None
        return Q(kind=self.value, **{f"{self.moment_field}__in": values})

    def moment_of(self, values: dict) -> str | None:
        if self.moment:
            return self.moment
        return self.moments.get(values.get(self.moment_field) or "")


# The registry: filled in order, the journal's own kinds first. The lists are the same
# objects all along, so a module that imported them early sees every kind.
KINDS: dict[str, EntryKind] = {}
CHOICES: list[tuple[str, str]] = []
# A lesson's practice is a kind of entry or a reflection (an answer kept with the lesson).
REFLECTION = "reflection"
PRACTICE_CHOICES: list[tuple[str, str]] = [(REFLECTION, "Reflection")]


def register(*kinds: EntryKind) -> None:
    """Add kinds to the registry; call it from an AppConfig module (see the docstring)."""
    if apps.apps_ready:
        raise ImproperlyConfigured(
            "Register entry kinds while app configs load (from an apps.py): Entry's choices "
            "and constraint are built from the registry when models load."
        )
    _add(kinds)


def _add(kinds: tuple[EntryKind, ...]) -> None:
    for kind in kinds:
        if kind.value in KINDS:
            raise ImproperlyConfigured(f"The entry kind {kind.value!r} is registered twice.")
        KINDS[kind.value] = kind
        CHOICES.append((kind.value, kind.label))
        PRACTICE_CHOICES.insert(-1, (kind.value, kind.practice_label))


def field_choices(name: str) -> list[tuple[str, str]]:
    """The choices of the Entry column `name`, as the kind that declares it lists them."""
    for kind in KINDS.values():
        for each in kind.fields:
            if each.name == name and each.choices:
                return each.choices.choices
    return []


def moment_condition(moment: str) -> Q:
    """Every kind's entries that count as `moment` (positive or negative), as one Q."""
    condition = Q(pk__in=[])
    for kind in KINDS.values():
        part = kind.moment_condition(moment)
        if part is not None:
            condition |= part
    return condition


def moment_of(kind: str, values: dict) -> str | None:
    """'positive', 'negative' or None for an entry of `kind` with these field values."""
    return KINDS[kind].moment_of(values) if kind in KINDS else None


def moment_fields() -> list[str]:
    """The fields any kind's ratio rule reads, so a count query can group by them."""
    return sorted({k.moment_field for k in KINDS.values() if k.moment_field})


def counted_kinds() -> set[str]:
    """The kinds that can count toward the 5:1 ratio."""
    return {k.value for k in KINDS.values() if k.moment or k.moments}


def searchable_fields() -> list[str]:
    names: list[str] = []
    for kind in KINDS.values():
        names += [f.name for f in kind.fields if f.searchable and f.name not in names]
    return names


def exported_fields() -> set[str]:
    return {f.name for kind in KINDS.values() for f in kind.fields if f.exported}


from .own import (  # noqa: E402  the journal's own kinds come first, and always
    APOLOGY,
    BID,
    GRATITUDE,
    ApologyStatus,
    MadeBy,
    MomentKind,
    Response,
)

_add((GRATITUDE, BID, APOLOGY))

__all__ = [
    "APOLOGY",
    "BID",
    "CHOICES",
    "GRATITUDE",
    "KINDS",
    "NEGATIVE",
    "POSITIVE",
    "PRACTICE_CHOICES",
    "REFLECTION",
    "VOICES",
    "ApologyStatus",
    "EntryField",
    "EntryKind",
    "MadeBy",
    "MomentKind",
    "Response",
    "Words",
    "counted_kinds",
    "exported_fields",
    "field_choices",
    "moment_condition",
    "moment_fields",
    "moment_of",
    "register",
    "searchable_fields",
]
