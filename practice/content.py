"""The practice tools' words, kept as data in practice/content/*.yaml.

Each file says at its top what it holds and how the app uses it. Files are read once per
process. `load` and `text` give a file's plain data (the breaks' messages, the urges' lines,
the question deck); the check-in, the two self-checks and the ladder are read into frozen
dataclasses below, which the tools and their kinds' declarations (practice/kinds.py) use. A
file that does not match its shape fails with a KeyError or TypeError naming the key; the
tests check every file (tests/practice/test_content.py).
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent / "content"
WHO = ("friend", "family", "partner", "anyone")
SCALE = range(1, 6)


@cache
def load(name: str) -> dict | list:
    """practice/content/<name>.yaml, parsed."""
    return yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))


def text(name: str, *keys: str) -> str:
    """One text from a file, by its keys: text("breaks", "safety")."""
    value = load(name)
    for key in keys:
        value = value[key]
    return value


# Weekly check-in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    prompt: str
    alone_prompt: str


@dataclass(frozen=True)
class CheckIn:
    intro: str
    steps: tuple[Step, ...]
    together_intro: str
    did_it_happen: str  # "... {plan} ..."
    happened_choices: tuple[tuple[str, str], ...]
    follow_up: str

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


@cache
def check_in() -> CheckIn:
    data = load("check_in")
    did = data["did_it_happen"]
    return CheckIn(
        intro=data["intro"],
        steps=tuple(Step(**step) for step in data["steps"]),
        together_intro=data["together_intro"],
        did_it_happen=did["prompt"],
        happened_choices=tuple((str(k), v) for k, v in did["choices"].items()),
        follow_up=did["follow_up"],
    )


# Self-checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ability:
    key: str
    name: str
    what_it_is: str
    statements: tuple[str, ...]
    reading: dict[str, str]  # low, middle, high
    lessons: tuple[str, ...]  # lesson slugs, most helpful first


@dataclass(frozen=True)
class FourAbilities:
    not_a_diagnosis: str
    scale: tuple[tuple[int, str], ...]
    abilities: tuple[Ability, ...]

    def ability(self, key: str) -> Ability:
        return next(ability for ability in self.abilities if ability.key == key)

    @property
    def statements(self) -> list[tuple[Ability, int, str]]:
        """(ability, number within it, text) for every statement, in the order asked."""
        return [(a, n, text) for a in self.abilities for n, text in enumerate(a.statements)]


@dataclass(frozen=True)
class Language:
    key: str
    name: str
    what_it_is: str
    acts: tuple[str, ...]


@dataclass(frozen=True)
class LoveLanguages:
    intro: str
    languages: tuple[Language, ...]

    def language(self, key: str) -> Language:
        return next(language for language in self.languages if language.key == key)

    @property
    def keys(self) -> list[str]:
        return [language.key for language in self.languages]


def _ability(data: dict) -> Ability:
    return Ability(
        key=data["key"],
        name=data["name"],
        what_it_is=data["what_it_is"],
        statements=tuple(data["statements"]),
        reading={band: " ".join(text.split()) for band, text in data["reading"].items()},
        lessons=tuple(data["lessons"]),
    )


@cache
def four_abilities() -> FourAbilities:
    data = load("self_checks")["four_abilities"]
    return FourAbilities(
        not_a_diagnosis=data["not_a_diagnosis"],
        scale=tuple((int(k), v) for k, v in data["scale"].items()),
        abilities=tuple(_ability(ability) for ability in data["abilities"]),
    )


@cache
def love_languages() -> LoveLanguages:
    data = load("self_checks")["love_languages"]
    return LoveLanguages(
        intro=data["intro"],
        languages=tuple(
            Language(item["key"], item["name"], item["what_it_is"], tuple(item["acts"]))
            for item in data["languages"]
        ),
    )


# The vulnerability ladder --------------------------------------------------------------------


@dataclass(frozen=True)
class Rung:
    text: str
    who: str


@dataclass(frozen=True)
class Ladder:
    intro: str
    first_rungs: tuple[Rung, ...]
    safety: str


@cache
def ladder() -> Ladder:
    data = load("ladder")
    return Ladder(
        intro=data["intro"],
        first_rungs=tuple(Rung(**rung) for rung in data["first_rungs"]),
        safety=data["safety"],
    )
