"""Breaks called off before the entry recorded it (journal 0006 added `called_off_at`).

Until then calling a break off only cancelled its reminder, so a cancelled break_end reminder
is the one trace of it. No one recorded when, so those breaks take their own start as the
time they were called off: the earliest it can have been, and the only instant known.
From then on they count, show and export as called off like any other.
"""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import F, Q

BATCH = 500


def record_called_off_breaks(apps, schema_editor):
    OneOffReminder = apps.get_model("nudges", "OneOffReminder")
    Entry = apps.get_model("journal", "Entry")
    cancelled = OneOffReminder.objects.filter(purpose="break_end", status="cancelled")
    rows = [
        (user, int(key)) for user, key in cancelled.values_list("user_id", "key") if key.isdigit()
    ]
    for start in range(0, len(rows), BATCH):
        owned = reduce(or_, (Q(user_id=user, pk=pk) for user, pk in rows[start : start + BATCH]))
        Entry.objects.filter(owned, kind="break", called_off_at__isnull=True).update(
            called_off_at=F("created_at")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("nudges", "0008_nudge_due_index"),
        ("journal", "0006_break_called_off_and_bids_by_someone_close"),
    ]

    operations = [
        migrations.RunPython(record_called_off_breaks, migrations.RunPython.noop, elidable=True)
    ]
