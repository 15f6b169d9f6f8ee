"""Pages of a long list without counting it: one query however many rows there are."""

from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet
from django.http import HttpRequest

from .http import number_from

# Far past the end of any list, and small enough that the row offset fits the database's
# integers (a larger number in the address was a 500).
MAX_PAGE = 1_000_000


class Sliceable(Protocol):
    def __getitem__(self, rows: slice) -> list: ...


@dataclass
class Page:
    """The slice of Paginator's Page API the templates use, minus the total count."""

    items: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_of(queryset: QuerySet | Sliceable, raw_number: str | None, *, size: int) -> Page:
    """Page `raw_number` (1 for anything that isn't a positive number) of an ordered queryset
    (or of anything that answers a slice with a list, as a queryset does).

    Counting every row of a long journal costs more than rendering a page of it, so the page
    asks for one row more than it shows to learn whether there is a next one.
    """
    number = min(number_from(raw_number) or 1, MAX_PAGE)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(items=rows[:size], number=number, has_next=len(rows) > size)


def query_without_page(request: HttpRequest) -> str:
    """The list's other parameters (filters, search), URL-encoded, for its page links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
