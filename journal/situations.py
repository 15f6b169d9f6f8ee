"""The journal's words for where the reader is ("Right now I am…"): journal/content/prompts.yaml.

A reader without a partner is asked about the people close to them, never about a partner
they do not have. A reader who has not answered yet keeps the partner wording, which is
also what journal/kinds/own.py declares.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from accounts.models import User

PROMPTS = Path(__file__).resolve().parent / "content" / "prompts.yaml"
DEFAULT = User.Situation.TOGETHER


@dataclass(frozen=True)
class SituationWords:
    gratitude_heading: str
    gratitude_placeholder: str
    gratitude_why_label: str
    told_label: str
    nudge_suggestion: str
    home_next_step: str


@cache
def _prompts() -> dict:
    return yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))


def words_for_situation(situation: str) -> SituationWords:
    prompts = _prompts()
    return SituationWords(**prompts.get(situation) or prompts[DEFAULT])


def words_for(user: User) -> SituationWords:
    """The words the home page, the gratitude form and the nudge use for `user`."""
    return words_for_situation(user.situation)
