from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from journal.models import Entry

from .content import (
    LessonSource,
    ModuleSource,
    PracticeSource,
    count_words,
    read_content,
    render_markdown,
)
from .models import Lesson, Module, Progress, Reflection
from .selectors import outline_forget


@dataclass(frozen=True)
class LoadReport:
    modules: int
    lessons: int
    lessons_created: int
    lessons_unpublished: int

    def __str__(self) -> str:
        return (
            f"Loaded {self.modules} modules and {self.lessons} lessons "
            f"({self.lessons_created} new, {self.lessons_unpublished} unpublished)."
        )


def lessons_load(*, root: Path) -> LoadReport:
    """Make the database match the content folder, by slug; Progress is never touched.

    Every file is parsed and checked before the first write (ContentError otherwise).
    """
    report = _write_content(read_content(root))
    outline_forget()  # the unpublishing UPDATE sends no post_save
    return report


@transaction.atomic
def _write_content(sources: list[ModuleSource]) -> LoadReport:
    created = 0
    position = 0
    for module_position, source in enumerate(sources, start=1):
        module, _ = Module.objects.update_or_create(
            slug=source.slug,
            defaults={
                "title": source.title,
                "summary": source.summary,
                "intro_html": render_markdown(source.intro),
                "safety_note": source.safety_note,
                "position": module_position,
            },
        )
        for lesson_source in source.lessons:
            position += 1
            _, is_new = Lesson.objects.update_or_create(
                slug=lesson_source.slug,
                defaults=_lesson_fields(lesson_source, module=module, position=position),
            )
            created += is_new
    unpublished = (
        Lesson.objects.filter(is_published=True)
        .exclude(slug__in=[lesson.slug for source in sources for lesson in source.lessons])
        .update(is_published=False)
    )
    return LoadReport(
        modules=len(sources),
        lessons=position,
        lessons_created=created,
        lessons_unpublished=unpublished,
    )


def _lesson_fields(source: LessonSource, *, module: Module, position: int) -> dict:
    body_html = render_markdown(source.body)
    return {
        "module": module,
        "title": source.title,
        "summary": source.summary,
        "body_html": body_html,
        "why_it_matters": source.why_it_matters,
        "safety_note": source.safety_note,
        "practice_kind": source.practice.kind,
        "practice_title": source.practice.title,
        "practice_instructions": source.practice.instructions,
        "practice_question": source.practice.question,
        **_alone_fields(source.practice.alone),
        "position": position,
        "word_count": count_words(body_html),
        "is_published": True,
    }


def _alone_fields(alone: PracticeSource | None) -> dict:
    if alone is None:
        return dict.fromkeys(
            ["alone_kind", "alone_title", "alone_instructions", "alone_question"], ""
        )
    return {
        "alone_kind": alone.kind,
        "alone_title": alone.title,
        "alone_instructions": alone.instructions,
        "alone_question": alone.question,
    }


def progress_start(*, user: User, lesson: Lesson) -> Progress:
    """Record that the user opened the Lesson; opening it again changes nothing."""
    progress, _ = Progress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"started_at": timezone.now()}
    )
    return progress


def progress_mark_done(*, user: User, lesson: Lesson) -> Progress:
    """Mark the Lesson done; marking it again keeps the first time."""
    now = timezone.now()
    progress, _ = Progress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"started_at": now, "done_at": now}
    )
    if progress.done_at is None:
        progress.done_at = now
        progress.save(update_fields=["done_at"])
    return progress


def practice_used(*, user: User, lesson_slug: str, kind: str) -> bool:
    """The user did a lesson's practice in the journal (opened from the lesson): mark it done.

    Only when the lesson's practice, or its practice without a partner, is that kind of
    entry; False when nothing changed.
    """
    either = Q(practice_kind=kind) | Q(alone_kind=kind)
    lesson = Lesson.objects.filter(either, slug=lesson_slug, is_published=True).first()
    if lesson is None:
        return False
    progress_mark_done(user=user, lesson=lesson)
    return True


def entry_practised(sender, *, entry: Entry, **kwargs) -> None:
    """An entry was written from a lesson (journal.signals.entry_created_from_lesson)."""
    practice_used(user=entry.user, lesson_slug=entry.lesson_slug, kind=entry.kind)


def progress_mark_not_done(*, user: User, lesson: Lesson) -> None:
    """Undo "Mark as done"; the Lesson stays started."""
    Progress.objects.filter(user=user, lesson=lesson).update(done_at=None)


def reflection_save(*, user: User, lesson: Lesson, answer: str) -> Reflection:
    reflection, _ = Reflection.objects.update_or_create(
        user=user, lesson=lesson, defaults={"answer": answer, "updated_at": timezone.now()}
    )
    return reflection


def progress_mark_practised(*, user: User, slug: str, kind: str) -> Lesson | None:
    """A practice tool was used from a lesson (`?lesson=<slug>`): mark that Lesson done, if
    it is published and its Practice is that tool. None when no Lesson matches."""
    lesson = Lesson.objects.filter(slug=slug, practice_kind=kind, is_published=True).first()
    if lesson is not None:
        progress_mark_done(user=user, lesson=lesson)
    return lesson
