"""The practice tools' words (practice/content/*.yaml) are complete and point at real lessons."""

import re

from lessons.content import CONTENT_ROOT, read_content
from practice import content, questions


def _lesson_slugs() -> set[str]:
    return {lesson.slug for module in read_content(CONTENT_ROOT) for lesson in module.lessons}


EXIT_LESSONS = {
    "why-avoidants-leave",
    "timeout-not-exit",
    "why-you-look-for-exits",
    "fix-before-you-leave",
    "ending-and-reuniting",
}
# Words by which a question speaks as the user ("Which of my habits…"), so it cannot be
# answered to yourself as written.
SPEAKS_AS_ME = re.compile(r"\b(I|I'[a-z]+|me|my|mine|we|we'[a-z]+|us|our)\b", re.IGNORECASE)


def stem(text: str) -> str:
    """A question's first four words, lowercased, without punctuation: near-duplicates
    ("What would make it easier to tell me…" twice) start alike."""
    words = re.sub(r"[^a-z ]", "", text.lower().replace("-", " ")).split()
    return " ".join(words[:4])


def test_the_deck_has_three_depths_of_unique_questions_tied_to_real_lessons():
    deck = questions.deck()
    assert len(deck) >= 110
    assert {q.depth for q in deck.values()} == set(questions.DEPTHS)
    assert min(sum(q.depth == d for q in deck.values()) for d in questions.DEPTHS) >= 30
    assert len({q.text for q in deck.values()}) == len(deck)
    assert {slug for q in deck.values() for slug in q.lessons} <= _lesson_slugs()
    assert sum(q.partner_only for q in deck.values()) * 3 <= len(deck)


def test_every_question_says_who_it_is_for_and_reads_right_to_each():
    for q in questions.deck().values():
        assert q.ask in questions.ASKS, q.id
        if q.asks_yourself:
            assert not SPEAKS_AS_ME.search(q.for_journal), q.id


def test_no_two_questions_at_one_depth_start_alike():
    for depth in questions.DEPTHS:
        stems: dict[str, str] = {}
        for q in (q for q in questions.deck().values() if q.depth == depth):
            for wording in {q.text, q.for_journal}:
                assert stems.setdefault(stem(wording), q.id) == q.id, (q.id, stems[stem(wording)])


def test_every_exit_lesson_has_questions_and_hard_questions_carry_a_content_note():
    deck = questions.deck()
    assert {slug for q in deck.values() for slug in q.lessons} >= EXIT_LESSONS
    for key in ("q086", "q090", "q095", "q108"):  # childhood and past hurt
        assert deck[key].content_note, key
    assert "young" not in deck["q035"].text  # not everyone had someone then


def test_each_urge_line_and_break_text_is_there_and_names_a_real_lesson():
    lines = content.load("urges")["after_saving"]
    assert {*content.load("urges")["actions"], "story", "default"} <= set(lines)
    assert {line["lesson"] for line in lines.values()} <= _lesson_slugs()
    breaks = content.load("breaks")
    assert all("{when}" in m for m in [breaks["message_template"], *breaks["alternatives"]])
    assert len(breaks["restart_ways"]) >= 2
