from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from journal.export import register_section

from .models import Lesson, Module, Practice, Progress, Reflection
from .situations import in_suggested_order, suggested_order

VULNERABILITY_MODULE = "vulnerability"  # lessons/content/03-vulnerability


class Status(StrEnum):
    DONE = "done"
    CURRENT = "current"  # the Lesson "Continue" opens
    STARTED = "started"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return {"done": "Done", "current": "Up next", "started": "Started"}.get(
            self.value, "Not started"
        )


@dataclass(frozen=True)
class LessonStep:
    lesson: Lesson
    status: Status


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    steps: list[LessonStep]

    @property
    def done(self) -> int:
        return sum(step.status == Status.DONE for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class LearningPath:
    modules: list[ModuleProgress]
    next_lesson: Lesson | None
    why_this_order: str = ""  # empty when the modules keep their own order

    @property
    def done(self) -> int:
        return sum(module.done for module in self.modules)

    @property
    def total(self) -> int:
        return sum(module.total for module in self.modules)


@dataclass(frozen=True)
class LessonPlace:
    """Where a Lesson sits in the sequence: its neighbours and its number in its Module."""

    previous: Lesson | None
    next: Lesson | None
    number: int
    module_total: int

    @property
    def is_last_in_module(self) -> bool:
        return self.number == self.module_total

    @property
    def next_module(self) -> Module | None:
        return self.next.module if self.is_last_in_module and self.next else None


def published_lessons() -> QuerySet[Lesson]:
    return Lesson.objects.filter(is_published=True).select_related("module").order_by("position")


# The published lessons' outline is the same for every reader and changes only when the
# content is loaded, so each process keeps its own copy, under a version token the cache
# holds: a page pays one small GET instead of a query or unpickling forty Lessons. Any save
# or delete of a Lesson or Module forgets the token, and every process reads the outline
# again on its next page.
OUTLINE_VERSION_KEY = "lessons:outline-version"
_outline_copy: dict[str, list[Lesson]] = {}  # {version token: the outline}, this process's


def outline() -> list[Lesson]:
    """Published Lessons in their own order, with their Modules and without their long text."""
    version = cache.get_or_set(OUTLINE_VERSION_KEY, lambda: uuid4().hex, timeout=None)
    lessons = _outline_copy.get(version)
    if lessons is None:
        lessons = list(
            published_lessons().defer(
                "body_html",
                "why_it_matters",
                "practice_instructions",
                "practice_question",
                "alone_instructions",
                "alone_question",
            )
        )
        _outline_copy.clear()
        _outline_copy[version] = lessons
    return list(lessons)


def outline_forget(**kwargs) -> None:
    """Connected to Lesson's and Module's post_save and post_delete (lessons/apps.py): now,
    and again once the change commits, so a page read in between cannot keep the old one."""
    cache.delete(OUTLINE_VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(OUTLINE_VERSION_KEY))


def path_for_user(*, user: User, suggested: bool = True) -> LearningPath:
    """Every Module with its Lessons' status for the user, in two queries, in the order the
    user's situation suggests (`suggested=False`: the modules' own order)."""
    situation = user.situation if suggested else ""
    lessons = in_suggested_order(outline(), situation)
    done_at = dict(Progress.objects.filter(user=user).values_list("lesson_id", "done_at"))
    next_lesson = next((lesson for lesson in lessons if not done_at.get(lesson.pk)), None)

    def status(lesson: Lesson) -> Status:
        if done_at.get(lesson.pk):
            return Status.DONE
        if lesson == next_lesson:
            return Status.CURRENT
        return Status.STARTED if lesson.pk in done_at else Status.NOT_STARTED

    modules = [
        ModuleProgress(
            module=module, steps=[LessonStep(lesson, status(lesson)) for lesson in group]
        )
        for module, group in groupby(lessons, key=lambda lesson: lesson.module)
    ]
    order = suggested_order(situation)
    return LearningPath(
        modules=modules, next_lesson=next_lesson, why_this_order=order.why if order else ""
    )


def lessons_done(*, user: User) -> set[int]:
    """The ids of the lessons the user has done (published or not)."""
    done = Progress.objects.filter(user=user, done_at__isnull=False)
    return set(done.values_list("lesson_id", flat=True))


def next_lesson_for_user(*, user: User, done: set[int] | None = None) -> Lesson | None:
    """The first published Lesson the user has not done, in the order their situation
    suggests; None when all are done. `done`: `lessons_done(user=user)`, if already read."""
    done = lessons_done(user=user) if done is None else done
    ordered = in_suggested_order(outline(), user.situation)
    return next((lesson for lesson in ordered if lesson.pk not in done), None)


def next_lessons_for_users(*, situations: dict[int, str]) -> dict[int, Lesson | None]:
    """`next_lesson_for_user` for many users (their ids and situations) in two queries (the
    nudge sender's batches)."""
    lessons = outline()
    done: dict[int, set[int]] = {user_id: set() for user_id in situations}
    finished = Progress.objects.filter(user_id__any=list(situations), done_at__isnull=False)
    for user_id, lesson_id in finished.values_list("user_id", "lesson_id"):
        done[user_id].add(lesson_id)
    ordered = {
        situation: in_suggested_order(lessons, situation) for situation in {*situations.values()}
    }
    return {
        user_id: next(
            (lesson for lesson in ordered[situations[user_id]] if lesson.pk not in done_ids),
            None,
        )
        for user_id, done_ids in done.items()
    }


def lessons_done_count(*, user: User, done: set[int] | None = None) -> int:
    """How many published lessons the user has done. `done`: as for `next_lesson_for_user`."""
    done = lessons_done(user=user) if done is None else done
    return sum(lesson.pk in done for lesson in outline())


def lesson_place(*, lesson: Lesson, situation: str = "") -> LessonPlace:
    """The Lesson's neighbours in the order the situation suggests, and its number."""
    ordered = in_suggested_order(outline(), situation)
    index = next(i for i, other in enumerate(ordered) if other.pk == lesson.pk)
    in_module = [other.pk for other in ordered if other.module_id == lesson.module_id]
    return LessonPlace(
        previous=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
        number=in_module.index(lesson.pk) + 1,
        module_total=len(in_module),
    )


def progress_for(*, user: User, lesson: Lesson) -> Progress | None:
    return Progress.objects.filter(user=user, lesson=lesson).first()


def reflection_for(*, user: User, lesson: Lesson) -> Reflection | None:
    return Reflection.objects.filter(user=user, lesson=lesson).first()


def practice_url(lesson: Lesson, practice: Practice) -> str | None:
    """The journal form for this Practice of the Lesson; None for a Reflection."""
    if practice.is_reflection:
        return None
    return reverse(practice.spec.new_page) + "?lesson=" + lesson.slug


def next_in_module(*, module_slug: str, user: User) -> Lesson | None:
    """The first published Lesson of a Module the user has not done yet."""
    done = lessons_done(user=user)
    in_module = (lesson for lesson in outline() if lesson.module.slug == module_slug)
    return next((lesson for lesson in in_module if lesson.pk not in done), None)


def lessons_by_slug(slugs: list[str]) -> list[Lesson]:
    """The published Lessons with these slugs, in the order given; missing ones left out."""
    found = {lesson.slug: lesson for lesson in outline()}
    return [found[slug] for slug in slugs if slug in found]


# Where to focus: lessons another feature suggests first ---------------------------------------


@dataclass(frozen=True)
class Focus:
    """Lessons a feature suggests first on the path, and why: "For <name>. <reason>"."""

    name: str
    reason: str
    lesson_slugs: tuple[str, ...]


# Features above lessons add what they know (practice/apps.py: the lowest ability of the
# last self-check). Each is called as provider(user=) and returns a Focus or None; the
# lessons import none of them.
FOCUS_PROVIDERS: list[Callable[..., Focus | None]] = []


def register_focus(provider: Callable[..., Focus | None]) -> None:
    FOCUS_PROVIDERS.append(provider)


def focus_for(*, user: User) -> Focus | None:
    """The first focus a feature suggests for `user`, or None."""
    return next(filter(None, (provider(user=user) for provider in FOCUS_PROVIDERS)), None)


@register_section("lesson_progress")
def progress_for_export(*, user: User) -> list[dict]:
    """The user's progress through every lesson they opened, in the course's order."""
    rows = Progress.objects.filter(user=user).select_related("lesson").order_by("lesson__position")
    return [
        {
            "lesson": row.lesson.slug,
            "lesson_title": row.lesson.title,
            "started_at": row.started_at,
            "done_at": row.done_at,
        }
        for row in rows
    ]


@register_section("reflections")
def reflections_for_export(*, user: User) -> list[dict]:
    rows = Reflection.objects.filter(user=user).select_related("lesson")
    return [
        {
            "lesson": row.lesson.slug,
            "lesson_title": row.lesson.title,
            "answer": row.answer,
            "updated_at": row.updated_at,
        }
        for row in rows.order_by("lesson__position")
    ]
