"""The journal's words for where the reader is ("Right now I am…"): journal/content/prompts.yaml.

A reader without a partner is asked about the people close to them, never about a partner
they do not have. A reader who has not answered yet keeps the partner wording, which is
also what journal/kinds.py declares.
"""

from dataclasses import dataclass

from accounts.models import User

from . import texts

DEFAULT = User.Situation.TOGETHER


@dataclass(frozen=True)
class SituationWords:
    gratitude_heading: str
    gratitude_placeholder: str
    gratitude_why_label: str
    told_label: str
    nudge_suggestion: str
    home_next_step: str


def words_for_situation(situation: str) -> SituationWords:
    prompts = texts.load("prompts")
    return SituationWords(**prompts.get(situation) or prompts[DEFAULT])


def words_for(user: User) -> SituationWords:
    """The words the home page, the gratitude form and the nudge use for `user`."""
    return words_for_situation(user.situation)
