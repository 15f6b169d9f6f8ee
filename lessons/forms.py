from django import forms

from core.forms import TextField

ANSWER_MAX = 5000


class ReflectionForm(forms.Form):
    """The answer to a Lesson's reflection question, which is the field's label: one answer
    per Lesson, whichever of its practices asked it."""

    answer = TextField(
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"{ANSWER_MAX:,} characters at most. You can change it whenever you come back.",
        error_messages={"required": "Write a few words to save your answer."},
    )

    def __init__(self, *args, question: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = question
