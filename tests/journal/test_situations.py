import pytest

from journal.situations import words_for
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "situation, heading, placeholder, why",
    [
        (
            "together",
            "Today, my partner was…",
            "They waited up so we could eat together",
            "Why are you glad they're in your life?",
        ),
        (
            "",
            "Today, my partner was…",
            "They waited up so we could eat together",
            "Why are you glad they're in your life?",
        ),
        (
            "single",
            "Today, someone close to me was…",
            "My sister rang just to see how I was",
            "Why are you glad they're in your life?",
        ),
        (
            "dating",
            "Today, someone I'm getting to know, or someone close to me, was…",
            "They remembered what I'd said about my week",
            "What did you like about it?",
        ),
    ],
)
def test_words_for_follow_the_situation(situation, heading, placeholder, why, db):
    words = words_for(UserFactory(situation=situation))

    assert (words.gratitude_heading, words.gratitude_placeholder, words.gratitude_why_label) == (
        heading,
        placeholder,
        why,
    )
    assert words.told_label == "I told them"


def test_words_for_a_single_reader_never_mention_a_partner(db):
    words = words_for(UserFactory(situation="single"))

    assert words.nudge_suggestion == (
        "Notice one thing someone close to you did today, and let them know."
    )
    assert words.home_next_step == (
        "Write down one thing a friend or family member did today that you were glad of."
    )
    assert not any("partner" in text for text in vars(words).values())


@pytest.mark.parametrize(
    "situation, has_partner",
    [
        ("", True),
        ("together", True),
        ("dating", False),
        ("single", False),
        ("between", False),
        ("unsaid", False),
    ],
)
def test_has_partner_reads_the_situation(situation, has_partner, db):
    assert UserFactory(situation=situation).has_partner is has_partner
