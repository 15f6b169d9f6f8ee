"""Everything a user wrote, as JSON or CSV: every entry, every field, streamed row by row.

The JSON holds the rest of what they wrote and chose too: each feature above the journal
(lessons, sharing, partners, reminders) adds its part as a section (`register_section`),
so that one download answers a request for all of a person's data.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.utils import timezone

from accounts.models import User

from .kinds import exported_fields
from .models import Entry

# The fields every entry has, then each kind's exported fields, in the table's order.
COMMON = {"id", "kind", "day", "lesson_slug", "is_private", "created_at", "updated_at"}
FIELDS = [
    field.name for field in Entry._meta.concrete_fields if field.name in COMMON | exported_fields()
]
FORMAT = "closer-journal"
VERSION = 1

# The JSON's sections after the entries, by name, in the order the features register them:
# each gives the user's rows as dicts, dates and times as objects.
Rows = Callable[..., list[dict]]
SECTIONS: dict[str, Rows] = {}


def register_section(name: str) -> Callable[[Rows], Rows]:
    """Add the decorated `rows(user=...)` to the JSON export as `name`.

    Use it on the feature's selector, in a module its app's ready() imports.
    """

    def register(rows: Rows) -> Rows:
        SECTIONS[name] = rows
        return rows

    return register


def _json_ready(value, zone):
    """Dates and times in ISO 8601, timestamps in the user's zone."""
    if isinstance(value, datetime):
        return timezone.localtime(value, zone).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def entry_as_dict(entry: Entry, *, zone) -> dict:
    return {name: _json_ready(getattr(entry, name), zone) for name in FIELDS}


def json_chunks(*, user: User, entries: Iterable[Entry], exported_at: datetime) -> Iterator[str]:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.localtime(exported_at, user.zone).isoformat(),
        "user": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
        },
    }
    # The header as JSON without its closing brace, then the entries one by one.
    yield json.dumps(header, ensure_ascii=False, indent=2)[:-2] + ',\n  "entries": ['
    for n, entry in enumerate(entries):
        row = json.dumps(entry_as_dict(entry, zone=user.zone), ensure_ascii=False)
        yield ("," if n else "") + "\n    " + row
    yield "\n  ]"
    for name, rows in SECTIONS.items():
        ready = [{k: _json_ready(v, user.zone) for k, v in row.items()} for row in rows(user=user)]
        yield f",\n  {json.dumps(name)}: " + json.dumps(ready, ensure_ascii=False)
    yield "\n}\n"


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(map(str, value))  # fixed words (choices, orders) and ratings
    if isinstance(value, dict):
        return ";".join(f"{key}={score}" for key, score in value.items())  # self-check scores
    return "" if value is None else str(value)


def csv_chunks(*, user: User, entries: Iterable[Entry]) -> Iterator[str]:
    """One header row, then one row per entry. Starts with a BOM so spreadsheets read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(FIELDS)
    yield "\ufeff" + flush()
    for entry in entries:
        row = entry_as_dict(entry, zone=user.zone)
        writer.writerow([_csv_value(row[name]) for name in FIELDS])
        yield flush()


def filename(user: User, extension: str) -> str:
    return f"closer-journal-{user.local_today():%Y-%m-%d}.{extension}"
