import math
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.fields import EncryptedTextField
from journal.kinds import KINDS, PRACTICE_CHOICES, REFLECTION, EntryKind

from .content import SLUG_MAX, TITLE_MAX

WORDS_PER_MINUTE = 200


class Module(models.Model):
    """A group of Lessons on one theme; loaded from lessons/content/, never edited here."""

    slug = models.SlugField(max_length=SLUG_MAX, unique=True)
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField()
    intro_html = models.TextField(blank=True)
    safety_note = models.BooleanField(default=False)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class Practice:
    """A Lesson's practice as one reader sees it: the usual one, or the one for a reader
    without a partner (`alone`)."""

    kind: str
    title: str
    instructions: str
    question: str
    alone: bool = False

    @property
    def is_reflection(self) -> bool:
        return self.kind == REFLECTION

    @property
    def spec(self) -> EntryKind | None:
        """The kind of journal entry the practice writes; None for a reflection."""
        return KINDS.get(self.kind)


class Lesson(models.Model):
    """One short read ending in a Practice. Missing from the content: unpublished, not deleted."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="lessons")
    slug = models.SlugField(max_length=SLUG_MAX, unique=True)
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField()
    body_html = models.TextField(help_text="Rendered from Markdown and sanitised when loaded.")
    why_it_matters = models.TextField()
    safety_note = models.BooleanField(default=False)
    practice_kind = models.CharField(max_length=20, choices=PRACTICE_CHOICES)
    practice_title = models.CharField(max_length=TITLE_MAX)
    practice_instructions = models.TextField()
    practice_question = models.TextField(blank=True)
    # The practice for a reader without a partner; empty when the practice fits everyone.
    alone_kind = models.CharField(max_length=20, choices=PRACTICE_CHOICES, blank=True)
    alone_title = models.CharField(max_length=TITLE_MAX, blank=True)
    alone_instructions = models.TextField(blank=True)
    alone_question = models.TextField(blank=True)
    position = models.PositiveIntegerField(help_text="Order across all modules.")
    word_count = models.PositiveIntegerField()
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["is_published", "position"], name="lesson_published_order")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(practice_kind="reflection") & ~Q(practice_question=""))
                | (~Q(practice_kind="reflection") & Q(practice_question="")),
                name="lesson_question_only_for_reflection",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", kwargs={"slug": self.slug})

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def is_reflection(self) -> bool:
        return self.practice_kind == REFLECTION

    @property
    def practice_spec(self) -> EntryKind | None:
        """The kind of journal entry the practice writes; None for a reflection."""
        return KINDS.get(self.practice_kind)

    @property
    def has_alone_practice(self) -> bool:
        return bool(self.alone_title)

    def practice_for(self, *, alone: bool) -> Practice:
        """The practice for a reader without a partner when `alone` and the Lesson has one;
        the usual practice otherwise."""
        if alone and self.has_alone_practice:
            return Practice(
                self.alone_kind,
                self.alone_title,
                self.alone_instructions,
                self.alone_question,
                alone=True,
            )
        return Practice(
            self.practice_kind,
            self.practice_title,
            self.practice_instructions,
            self.practice_question,
        )


class Progress(models.Model):
    """A user's Progress on one Lesson: started when first opened, done when they say so."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="progress")
    started_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="progress_one_per_user_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} · {'done' if self.done_at else 'started'}"


class Reflection(models.Model):
    """A user's own answer to a Lesson's reflection question; one per user and Lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="reflections")
    answer = EncryptedTextField()  # sealed with the user's own key
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="reflection_one_per_user_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"
