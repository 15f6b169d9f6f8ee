from collections.abc import Iterable
from datetime import date
from uuid import UUID

from django.db.models import Count, QuerySet

from accounts.models import User

from . import insights, search
from .kinds import moment_fields
from .models import Entry


def entries_for_user(*, user: User, kind: str | None = None, query: str = "") -> QuerySet[Entry]:
    """The user's live entries, newest first, optionally one kind and matching a search."""
    entries = Entry.objects.filter(user=user)
    if kind:
        entries = entries.filter(kind=kind)
    if query:
        entries = search.matching(entries, user_id=user.pk, query=query)
    return entries.order_by("-day", "-created_at")


def entries_for_day(*, user: User, day: date) -> QuerySet[Entry]:
    return Entry.objects.filter(user=user, day=day).order_by("-created_at")


def entry_for_user(*, user: User, pk: int) -> Entry | None:
    return Entry.objects.filter(user=user, pk=pk).first()


def deleted_entry_for_user(*, user: User, pk: int) -> Entry | None:
    """One of the user's entries deleted and not yet removed for good (Undo still can)."""
    return Entry.with_deleted.filter(user=user, pk=pk, deleted_at__isnull=False).first()


def entries_made_by(*, user: User, submissions: Iterable[UUID | None]) -> QuerySet[Entry]:
    """The user's entries made by forms with these one-time tokens, deleted or not: such a
    form sent again makes nothing more (journal.services.entry_create)."""
    return Entry.with_deleted.filter(user=user, submission__in=[s for s in submissions if s])


def insights_for(
    *,
    user: User,
    kinds: set[str],
    today: date,
    include_private: bool = True,
    since: date | None = None,
) -> insights.Insights:
    """The insights pictures for the given kinds of the user's entries, in two queries (and
    those of the cards other features draw for their own kinds: journal.insights.CARD_PROVIDERS).

    A therapist's view passes the shared kinds, include_private=False and the share's
    from-date as `since`, so the pictures show nothing the client has not shared.
    """
    entries = Entry.objects.filter(user=user, kind__in=kinds, day__lte=today)
    if not include_private:
        entries = entries.filter(is_private=False)
    if since:
        entries = entries.filter(day__gte=since)
    counts = (
        entries.filter(day__gte=insights.window_start(today))
        .values("day", "kind", *moment_fields())
        .annotate(n=Count("id"))
        .order_by()
    )
    cards = (card(entries=entries, kinds=kinds, today=today) for card in insights.CARD_PROVIDERS)
    return insights.build_insights(
        today=today,
        kinds=kinds,
        counts=counts,
        cards=[card for card in cards if card],
    )


def days_practised_this_week(*, user: User, today: date) -> int:
    """Local days from Monday to today with at least one entry of any kind."""
    start = insights.week_start(today)
    entries = Entry.objects.filter(user=user, day__gte=start, day__lte=today)
    return entries.values("day").distinct().count()


def entries_for_export(*, user: User) -> QuerySet[Entry]:
    """Every live entry of the user, oldest first, as export and print read them."""
    return Entry.objects.filter(user=user).order_by("day", "created_at", "pk")


def entries_between(
    *, user: User, start: date, end: date, include_private: bool = True
) -> QuerySet[Entry]:
    entries = entries_for_export(user=user).filter(day__gte=start, day__lte=end)
    return entries if include_private else entries.filter(is_private=False)
