"""The practice tools' words, kept as data in journal/content/*.yaml.

Each file says at its top what it holds and how the app uses it. Files are read once per
process; a test checks every one of them (tests/journal/test_texts.py).
"""

from functools import cache
from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parent / "content"


@cache
def load(name: str) -> dict | list:
    """journal/content/<name>.yaml, parsed."""
    return yaml.safe_load((CONTENT / f"{name}.yaml").read_text(encoding="utf-8"))


def text(name: str, *keys: str) -> str:
    """One text from a file, by its keys: text("breaks", "safety")."""
    value = load(name)
    for key in keys:
        value = value[key]
    return value
