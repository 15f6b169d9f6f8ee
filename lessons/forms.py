import hashlib

from django import forms

from core.forms import TextField

ANSWER_MAX = 5000
# What "Mark as done" says when the reflection changed elsewhere after this page showed it.
CHANGED_ELSEWHERE = (
    "Your answer was changed in another tab or on another device since this page opened, so "
    "nothing was replaced and the lesson is not marked done yet. What you typed is below: save "
    "it to use it instead, or reload the page to see the other."
)


def answer_seen(answer: str) -> str:
    """A short fingerprint of a saved answer, carried by the page that shows it."""
    return hashlib.sha256(answer.encode()).hexdigest()[:16]


class ReflectionForm(forms.Form):
    """The answer to a Lesson's reflection question, which is the field's label: one answer
    per Lesson, whichever of its practices asked it."""

    answer = TextField(
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"{ANSWER_MAX:,} characters at most. You can change it whenever you come back.",
        error_messages={"required": "Write a few words to save your answer."},
    )

    # The answer as this page showed it (answer_seen), so that "Mark as done" saves only words
    # typed here, never an old page's text over a newer answer.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, question: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = question
