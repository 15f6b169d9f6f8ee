"""A question a day: the deck (practice/content/questions.yaml) and which question comes next.

Pure choices over the deck; `services.question_for_day` stores the day's pick so it stays
the same all day. Questions get deeper as the user finishes lessons, none comes back until
the user has seen every question open to them, and a reader without a partner never gets
one that only makes sense with a partner. Each question says who it is for (`ask`): the
user, the other person, or both, with a wording of its own for the user when its text
speaks as "I" or "us"."""

import random
from dataclasses import dataclass
from datetime import date

from . import content

DEPTHS = ("light", "warmer", "deep")
# Lessons done before each depth opens.
DEPTH_AFTER = {"light": 0, "warmer": 8, "deep": 20}
# Who a question is for: the user (answered in the journal), the other person, or both.
ASKS = ("yourself", "them", "both")


@dataclass(frozen=True)
class Question:
    id: str
    depth: str
    lessons: tuple[str, ...]
    ask: str
    text: str  # to the other person when it can be asked of them, else to the user
    yourself: str = ""  # the wording to answer it yourself, when `text` reads wrongly so
    partner_only: bool = False
    content_note: str = ""  # shown, with a way to skip, before the question

    @property
    def asks_yourself(self) -> bool:
        return self.ask in ("yourself", "both")

    @property
    def asks_them(self) -> bool:
        return self.ask in ("them", "both")

    @property
    def for_journal(self) -> str:
        """The wording an answer is kept with, and the page shows first."""
        return (self.yourself or self.text) if self.asks_yourself else self.text

    @property
    def to_send(self) -> str:
        """What "Ask them" sends: the question, and that they need not answer it."""
        return f"{self.text} {content.text('questions', 'ask_them_ending')}"


def deck() -> dict[str, Question]:
    data = content.load("questions")
    return {q["id"]: _question(q, data["content_notes"]) for q in data["questions"]}


def _question(data: dict, notes: dict[str, str]) -> Question:
    note = notes[data["content_note"]] if "content_note" in data else ""  # a bad name fails
    return Question(**data | {"lessons": tuple(data["lessons"]), "content_note": note})


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
