"""An entry's fields as its kind declares them, in the voice of whoever reads them."""

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from ..kinds import EntryField, Words
from ..models import Entry

register = template.Library()


def _value(entry: Entry, spec: EntryField, voice: str) -> str | SafeString:
    value = getattr(entry, spec.name)
    if spec.input == "checkbox":
        return "Yes" if value else "Not yet"
    if spec.input == "choices":
        return ", ".join(spec.words_for(v, voice) for v in value)
    if spec.input in ("radio", "select"):
        return spec.words_for(value, voice)
    if spec.input == "time":
        return value.strftime("%H:%M") if value else ""
    if spec.input != "text":  # a tool's value: scores, ratings, order, feeling, date
        return linebreaksbr(spec.text_of(value), autoescape=True)
    return linebreaksbr(value, autoescape=True)


@register.simple_tag
def entry_fields(entry: Entry, voice: str = "you") -> list[tuple[str, SafeString, bool]]:
    """(label, value, is_block) for each field with something in it, in declared order.

    Fields that are parts of an assembled text (the apology) come as one block where the
    first of them stands. A therapist sees only the fields declared as shown to them.
    """
    kind = entry.spec
    rows, assembled = [], False
    for spec in kind.fields:
        if voice == "they" and not spec.shown_to_therapist:
            continue
        if spec.part_of:
            if not assembled:
                text = linebreaks_filter(entry.assembled(spec.part_of), autoescape=True)
                rows.append((getattr(kind.assembled, voice), text, True))
                assembled = True
            continue
        value = _value(entry, spec, voice)
        if value:
            rows.append((getattr(spec.label, voice), conditional_escape(value), False))
    return rows


@register.simple_tag
def entry_card_line(entry: Entry, voice: str = "you") -> str:
    """The line under a card's headline: its kind's card fields, and ticked checkboxes."""
    kind = entry.spec
    parts = [kind.get(name).words_for(getattr(entry, name), voice) for name in kind.card]
    ticked: list[Words] = [f.card for f in kind.fields if f.card and getattr(entry, f.name)]
    return " · ".join([*parts, *(getattr(words, voice) for words in ticked)])
