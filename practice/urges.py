"""The urge to leave: what the log says back once it is saved."""

from dataclasses import dataclass
from datetime import datetime

from journal.models import Entry

from . import content


@dataclass(frozen=True)
class Line:
    text: str
    lesson: str  # the slug of the lesson it comes from


def after_saving(entry: Entry) -> list[Line]:
    """One line for what they did (or a general one), and one for the story, if they wrote it."""
    lines = content.load("urges")["after_saving"]
    chosen = [lines.get(entry.action) or lines["default"]]
    if entry.story:
        chosen.append(lines["story"])
    return [Line(line["text"], line["lesson"]) for line in chosen]


def actions_context(entry: Entry, now: datetime) -> dict:
    """What an urge's page shows (URGE.actions_context): the lines after saving."""
    return {"after_saving": after_saving(entry)}
