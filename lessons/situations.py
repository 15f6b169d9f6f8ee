"""The order the path suggests for where the reader is, and the sentence that says why.

Every module stays on the path for everyone; only the order changes
(lessons/content/suggested_order.yaml). Progress is kept by lesson, so a changed situation
moves nothing but the order.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import yaml

from .content import CONTENT_ROOT
from .models import Lesson

ORDERS = CONTENT_ROOT / "suggested_order.yaml"


@dataclass(frozen=True)
class SuggestedOrder:
    first: tuple[str, ...]  # module slugs that come first, in this order
    why: str


@cache
def suggested_orders() -> dict[str, SuggestedOrder]:
    data = yaml.safe_load(ORDERS.read_text(encoding="utf-8"))
    return {
        situation: SuggestedOrder(first=tuple(order["first"]), why=order["why"].strip())
        for situation, order in data.items()
    }


def suggested_order(situation: str) -> SuggestedOrder | None:
    """The order for this situation; None where the modules' own order is the suggestion."""
    return suggested_orders().get(situation)


def in_suggested_order(lessons: Iterable[Lesson], situation: str) -> list[Lesson]:
    """`lessons` (in their own order, with their modules) as the situation suggests reading
    them: the modules it names first, then the others; lessons keep their order inside."""
    order = suggested_order(situation)
    if order is None:
        return list(lessons)
    rank = {slug: index for index, slug in enumerate(order.first)}
    return sorted(lessons, key=lambda lesson: rank.get(lesson.module.slug, len(rank)))
