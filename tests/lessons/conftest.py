import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import transaction

from lessons.content import CONTENT_ROOT
from lessons.models import Lesson, Module, Progress
from lessons.selectors import outline_forget
from lessons.services import LoadReport, lessons_load

DONE_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def loaded_rows(django_db_setup, django_db_blocker) -> tuple[LoadReport, list, list]:
    """What `lessons_load` writes from lessons/content/, loaded once (and rolled back): the
    Markdown rendering and forty-eight upserts took most of each lesson test's time."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = lessons_load(root=CONTENT_ROOT)
        modules = list(Module.objects.values())
        lessons = list(Lesson.objects.values())
        transaction.set_rollback(True)
    return report, modules, lessons


@pytest.fixture
def curriculum(db, loaded_rows) -> LoadReport:
    """Every Module and Lesson from lessons/content/, as `load_lessons` leaves them."""
    report, modules, lessons = loaded_rows
    module_for = {}
    for row in modules:
        module = Module(**{name: value for name, value in row.items() if name != "id"})
        module_for[row["id"]] = module
    Module.objects.bulk_create(module_for.values())
    Lesson.objects.bulk_create(
        Lesson(
            **{name: value for name, value in row.items() if name not in ("id", "module_id")},
            module=module_for[row["module_id"]],
        )
        for row in lessons
    )
    outline_forget()  # as lessons_load does: bulk_create sends no post_save
    return report


@pytest.fixture
def lessons(curriculum) -> list[Lesson]:
    """The published Lessons in the order the path recommends."""
    return list(Lesson.objects.filter(is_published=True).select_related("module"))


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the content folder that a test may edit."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_ROOT, root)
    return root


@pytest.fixture
def mark_done():
    """Mark many Lessons done for a user in one go."""

    def mark(user, lessons) -> None:
        Progress.objects.bulk_create(
            Progress(user=user, lesson=lesson, started_at=DONE_AT, done_at=DONE_AT)
            for lesson in lessons
        )

    return mark
