"""The urge to leave: what the log says back once it is saved."""

from dataclasses import dataclass

from . import texts
from .models import Entry


@dataclass(frozen=True)
class Line:
    text: str
    lesson: str  # the slug of the lesson it comes from


def after_saving(entry: Entry) -> list[Line]:
    """One line for what they did (or a general one), and one for the story, if they wrote it."""
    lines = texts.load("urges")["after_saving"]
    chosen = [lines.get(entry.action) or lines["default"]]
    if entry.story:
        chosen.append(lines["story"])
    return [Line(line["text"], line["lesson"]) for line in chosen]
