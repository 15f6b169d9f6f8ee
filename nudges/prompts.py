"""Lean-in micro-prompts for people who have done every lesson: one a day, in turn."""

from datetime import date

LEAN_IN_PROMPTS = [
    "Tell your partner one thing they did today that you liked.",
    "Ask your partner one question about their day, and listen to the whole answer.",
    "Notice one moment today when you wanted to pull away, and stay a minute longer.",
    "Turn toward one small bid today: a look, a story, a question.",
    "Share one small worry with your partner instead of handling it alone.",
    "Say one need out loud today, kindly and plainly.",
    "Thank your partner for something they usually do without being asked.",
]


def lean_in_prompt(day: date) -> str:
    return LEAN_IN_PROMPTS[day.toordinal() % len(LEAN_IN_PROMPTS)]
