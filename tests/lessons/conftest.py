import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lessons.content import CONTENT_ROOT
from lessons.models import Lesson, Progress
from lessons.services import LoadReport, lessons_load

DONE_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def curriculum(db) -> LoadReport:
    """Every Module and Lesson from lessons/content/, as `load_lessons` leaves them."""
    return lessons_load(root=CONTENT_ROOT)


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
