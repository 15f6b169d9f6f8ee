"""A question a day: the deck (practice/content/questions.yaml) and which question comes next.

Pure choices over the deck; `services.question_for_day` stores the day's pick so it stays
the same all day. Questions get deeper as the user finishes lessons, none comes back until
the user has seen every question open to them, and a reader without a partner never gets
one that only makes sense with a partner.
"""

import random
from dataclasses import dataclass
from datetime import date

from . import content

DEPTHS = ("light", "warmer", "deep")
# Lessons done before each depth opens.
DEPTH_AFTER = {"light": 0, "warmer": 8, "deep": 20}


@dataclass(frozen=True)
class Question:
    id: str
    depth: str
    lesson: str
    text: str
    partner_only: bool = False


def deck() -> dict[str, Question]:
    return {q["id"]: Question(**q) for q in content.load("questions")}


def depth_for(lessons_done: int) -> str:
    """The deepest level the user's progress has opened."""
    return [d for d in DEPTHS if lessons_done >= DEPTH_AFTER[d]][-1]


def pick(
    *, seen: set[str], lessons_done: int, has_partner: bool, seed: str
) -> tuple[Question, bool]:
    """The next question, and whether the deck starts over (everything open was seen).

    It comes from the deepest open level that still has unseen questions, else the nearest
    shallower one; `seed` (the user and the day) makes the pick the same on every call.
    """
    depth = depth_for(lessons_done)
    opened = [
        q
        for q in deck().values()
        if DEPTHS.index(q.depth) <= DEPTHS.index(depth) and (has_partner or not q.partner_only)
    ]
    unseen = [q for q in opened if q.id not in seen]
    starts_over = not unseen
    pool = opened if starts_over else unseen
    for level in reversed(DEPTHS[: DEPTHS.index(depth) + 1]):
        at_level = sorted((q for q in pool if q.depth == level), key=lambda q: q.id)
        if at_level:
            return random.Random(seed).choice(at_level), starts_over
    raise LookupError("The question deck is empty")


def seed_for(user_id: int, day: date) -> str:
    return f"{user_id}:{day.isoformat()}"
