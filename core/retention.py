"""Rows kept for a while, then deleted: a batch at a time, so no transaction holds many."""

from datetime import datetime

from django.db.models import QuerySet

BATCH = 10_000


def delete_before(rows: QuerySet, *, field: str, cutoff: datetime, batch: int = BATCH) -> int:
    """Delete `rows` whose `field` (an indexed time) is before `cutoff`; returns how many."""
    old = rows.filter(**{f"{field}__lt": cutoff}).order_by(field)
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:batch]):
        deleted += rows.model.objects.filter(pk__in=ids).delete()[0]
    return deleted
