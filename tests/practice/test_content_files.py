"""The practice tools' words (practice/content/*.yaml) are complete and point at real lessons."""

from lessons.content import CONTENT_ROOT, read_content
from practice import content, questions


def _lesson_slugs() -> set[str]:
    return {lesson.slug for module in read_content(CONTENT_ROOT) for lesson in module.lessons}


def test_the_deck_has_three_depths_of_unique_questions_tied_to_real_lessons():
    deck = questions.deck()
    assert len(deck) >= 90
    assert {q.depth for q in deck.values()} == set(questions.DEPTHS)
    assert min(sum(q.depth == d for q in deck.values()) for d in questions.DEPTHS) >= 30
    assert len({q.text for q in deck.values()}) == len(deck)
    assert {q.lesson for q in deck.values()} <= _lesson_slugs()
    assert sum(q.partner_only for q in deck.values()) * 3 <= len(deck)


def test_each_urge_line_and_break_text_is_there_and_names_a_real_lesson():
    lines = content.load("urges")["after_saving"]
    assert {*content.load("urges")["actions"], "story", "default"} <= set(lines)
    assert {line["lesson"] for line in lines.values()} <= _lesson_slugs()
    breaks = content.load("breaks")
    assert all("{when}" in m for m in [breaks["message_template"], *breaks["alternatives"]])
    assert len(breaks["restart_ways"]) >= 2
