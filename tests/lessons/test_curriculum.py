"""The curriculum as the content files define it: every Module and Lesson, in order."""

import subprocess
import sys

import frontmatter
from django.conf import settings

from lessons.content import CONTENT_ROOT
from lessons.models import Lesson, Module
from tests.services import require

MODULE_TITLES = [
    "Start here",
    "The three stages of a relationship",
    "Practise vulnerability",
    "Sustaining love",
    "Lean in and appreciate",
    "Become a fixer",
    "Partner and pace",
    "Ask for help",
]
COPYCHECK = settings.BASE_DIR.parent / "shared" / "tools" / "copycheck"


def test_every_module_is_loaded_in_order(curriculum):
    assert list(Module.objects.values_list("position", "title")) == list(
        enumerate(MODULE_TITLES, start=1)
    )


def test_every_lesson_is_loaded_in_the_order_of_its_file(curriculum):
    in_files = [
        (frontmatter.load(folder / "_module.md")["title"], frontmatter.load(path)["title"])
        for folder in sorted(CONTENT_ROOT.iterdir())
        for path in sorted(folder.glob("[0-9]*.md"))
    ]

    loaded = Lesson.objects.filter(is_published=True).order_by("position")
    assert [(lesson.module.title, lesson.title) for lesson in loaded] == in_files
    assert [lesson.position for lesson in loaded] == list(range(1, len(in_files) + 1))


def test_every_lesson_has_300_to_900_words(lessons):
    outside = [(lesson.slug, lesson.word_count) for lesson in lessons]
    outside = [(slug, words) for slug, words in outside if not 300 <= words <= 900]

    assert outside == []


def test_every_lesson_has_a_practice(lessons):
    incomplete = [
        lesson.slug
        for lesson in lessons
        if not (lesson.practice_title and lesson.practice_instructions)
        or bool(lesson.practice_question) != (lesson.practice_kind == "reflection")
    ]

    assert incomplete == []


def test_lessons_read_in_our_own_words():
    require(
        "copycheck",
        COPYCHECK.exists(),
        f"put the shared tools next to the repository ({COPYCHECK} is missing)",
    )

    result = subprocess.run(
        [sys.executable, str(COPYCHECK), str(settings.BASE_DIR / "lessons")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (result.returncode, result.stdout) == (0, "copycheck: no copied runs\n")
