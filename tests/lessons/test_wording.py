"""What every lesson owes its reader, checked on the content files themselves."""

import re

import frontmatter

from lessons.content import CONTENT_ROOT

# Lessons reviewed as asking nobody to stay, lean in, forgive or fix; every other lesson
# carries the safety note. A new lesson without the note has to be reviewed and added here.
WITHOUT_SAFETY_NOTE = {"romantic-love-stage", "your-own-pace"}
# Lessons that urge hardest, so the banner alone is not enough: the text itself says where
# the advice stops, in one short sentence.
SAY_WHERE_IT_STOPS = {
    "accentuate-the-positive",
    "interest-and-bids",
    "holding-their-pain",
    "why-you-look-for-exits",
}
STOP = re.compile(r"\b(?:hurts?|frightens?|threatens?|controls?) you\b")
# Reassurance that wears thin when every lesson repeats it.
REPEATED_REASSURANCE = {
    "newness, not failure": re.compile(
        r"\bfeels? (?:awkward|clumsy|odd|strange|stiff|uncomfortable|unfamiliar)\b"
        r"|\b(?:new|newness|unfamiliar)\b[^.]{0,40}\b(?:not|than)\b[^.]{0,25}"
        r"\b(?:wrong|failure|failing|danger)\b"
        r"|\bdoing (?:it|something) wrong\b",
        re.IGNORECASE,
    ),
    "not a verdict": re.compile(r"\b(?:not|rather than) a verdict\b", re.IGNORECASE),
}


def _lessons():
    for path in sorted(CONTENT_ROOT.glob("*/[0-9]*.md")):
        yield path, frontmatter.load(path)


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", " ".join(text.split()))


def test_every_lesson_that_urges_carries_the_safety_note():
    without = {post["slug"] for _, post in _lessons() if not post["safety_note"]}

    assert without == WITHOUT_SAFETY_NOTE


def test_lessons_that_urge_hardest_say_in_the_text_where_it_stops():
    stops = {
        post["slug"]: [s for s in _sentences(post.content) if STOP.search(s)]
        for _, post in _lessons()
        if post["slug"] in SAY_WHERE_IT_STOPS
    }

    assert sorted(slug for slug, found in stops.items() if not found) == []
    assert [s for found in stops.values() for s in found if len(s.split()) >= 25] == []
    assert stops.keys() == SAY_WHERE_IT_STOPS


def test_lessons_use_each_stock_reassurance_twice_at_most():
    pages = sorted(CONTENT_ROOT.glob("*/*.md"))
    counts = {
        name: sum(len(pattern.findall(path.read_text(encoding="utf-8"))) for path in pages)
        for name, pattern in REPEATED_REASSURANCE.items()
    }

    assert {name: count for name, count in counts.items() if count > 2} == {}
