"""Lesson content: Markdown files with front matter under lessons/content/.

Layout: one folder per Module (`NN-name/`) holding `_module.md` and its Lessons
(`NN-name.md`); the NN prefixes give the order. Everything is parsed and checked before
anything is written, so one bad file never leaves the database half loaded.
"""

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import frontmatter
import nh3
import yaml
from markdown_it import MarkdownIt

from journal.kinds import PRACTICE_CHOICES

CONTENT_ROOT = Path(__file__).resolve().parent / "content"
PRACTICE_KINDS = tuple(value for value, _ in PRACTICE_CHOICES)
MODULE_FIELDS = ("slug", "title", "summary")
MODULE_OPTIONAL = ("safety_note",)
LESSON_FIELDS = ("slug", "title", "summary", "why_it_matters", "safety_note", "practice")
PRACTICE_FIELDS = ("kind", "title", "instructions", "question", "alone")
# The practice for a reader without a partner: the same fields; kind defaults to the practice's.
ALONE_FIELDS = ("kind", "title", "instructions", "question")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ORDERED_NAME = re.compile(r"^(\d+)-")
RESERVED_SLUGS = {"continue"}  # taken by /lessons/continue/
SLUG_MAX = 80  # the models' field lengths
TITLE_MAX = 200

# CommonMark with raw HTML switched off; nh3 then removes anything unsafe that remains.
_markdown = MarkdownIt("commonmark", {"html": False})


class ContentError(Exception):
    """A content file cannot be loaded; the message names the file and the field."""

    def __init__(self, path: Path, field: str, problem: str):
        self.path = path
        self.field = field
        super().__init__(f"{path}: {field}: {problem}")


@dataclass(frozen=True)
class PracticeSource:
    kind: str
    title: str
    instructions: str
    question: str
    alone: "PracticeSource | None" = None


@dataclass(frozen=True)
class LessonSource:
    path: Path
    slug: str
    title: str
    summary: str
    why_it_matters: str
    safety_note: bool
    practice: PracticeSource
    body: str


@dataclass(frozen=True)
class ModuleSource:
    path: Path
    slug: str
    title: str
    summary: str
    intro: str
    lessons: tuple[LessonSource, ...]
    safety_note: bool = False


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show as it is."""
    return nh3.clean(_markdown.render(text))


def count_words(html: str) -> int:
    return len(nh3.clean(html, tags=set()).split())


def read_content(root: Path) -> list[ModuleSource]:
    """Every Module with its Lessons, in order; raises ContentError on the first bad file."""
    if not root.is_dir():
        raise ContentError(root, "folder", "does not exist")
    modules = [_read_module(folder) for folder in _ordered(root.iterdir(), folders=True)]
    if not modules:
        raise ContentError(root, "folder", "holds no module folders (NN-name/)")
    _check_unique([(m.path / "_module.md", m.slug) for m in modules], "module")
    _check_unique([(lesson.path, lesson.slug) for m in modules for lesson in m.lessons], "lesson")
    return modules


def _ordered(paths, *, folders: bool) -> list[Path]:
    """The folders (or .md files) whose names start with a number, sorted by that number."""
    found = [
        path
        for path in paths
        if ORDERED_NAME.match(path.name)
        and (path.is_dir() if folders else path.is_file() and path.suffix == ".md")
    ]
    found.sort(key=lambda path: (int(ORDERED_NAME.match(path.name).group(1)), path.name))
    for before, after in pairwise(found):
        if ORDERED_NAME.match(before.name).group(1) == ORDERED_NAME.match(after.name).group(1):
            raise ContentError(after, "name", f"has the same number as {before.name}")
    return found


def _read_module(folder: Path) -> ModuleSource:
    path = folder / "_module.md"
    if not path.is_file():
        raise ContentError(path, "file", "is missing (every module folder needs one)")
    meta, intro = _read(path)
    _check_fields(path, meta, required=MODULE_FIELDS, allowed=MODULE_FIELDS + MODULE_OPTIONAL)
    lessons = tuple(_read_lesson(file) for file in _ordered(folder.iterdir(), folders=False))
    if not lessons:
        raise ContentError(folder, "lessons", "the module has no lesson files (NN-name.md)")
    return ModuleSource(
        path=path,
        slug=_slug(path, meta, "slug"),
        title=_text(path, meta, "title", limit=TITLE_MAX),
        summary=_text(path, meta, "summary"),
        intro=intro,
        lessons=lessons,
        safety_note=_flag(path, meta, "safety_note"),
    )


def _read_lesson(path: Path) -> LessonSource:
    meta, body = _read(path)
    _check_fields(path, meta, required=LESSON_FIELDS, allowed=LESSON_FIELDS)
    if not body.strip():
        raise ContentError(path, "body", "is empty")
    slug = _slug(path, meta, "slug")
    if slug in RESERVED_SLUGS:
        raise ContentError(path, "slug", f"{slug!r} is taken by a page of the app")
    return LessonSource(
        path=path,
        slug=slug,
        title=_text(path, meta, "title", limit=TITLE_MAX),
        summary=_text(path, meta, "summary"),
        why_it_matters=_text(path, meta, "why_it_matters"),
        safety_note=_flag(path, meta, "safety_note"),
        practice=_read_practice(path, meta["practice"]),
        body=body,
    )


def _read_practice(
    path: Path, practice: Any, *, prefix="practice.", default_kind=""
) -> PracticeSource:
    if not isinstance(practice, dict):
        raise ContentError(path, prefix[:-1], "must be a mapping with kind, title, instructions")
    required = ("title", "instructions") if default_kind else ("kind", "title", "instructions")
    allowed = ALONE_FIELDS if default_kind else PRACTICE_FIELDS
    _check_fields(path, practice, required=required, allowed=allowed, prefix=prefix)
    kind = practice.get("kind", default_kind)
    if kind not in PRACTICE_KINDS:
        raise ContentError(
            path, prefix + "kind", f"must be one of {', '.join(PRACTICE_KINDS)} (got {kind!r})"
        )
    if kind == "reflection" and "question" not in practice:
        raise ContentError(path, prefix + "question", "is required for a reflection")
    if kind != "reflection" and "question" in practice:
        raise ContentError(path, prefix + "question", f"is only for reflections, not {kind}")
    question = _text(path, practice, "question", prefix=prefix) if "question" in practice else ""
    alone = None
    if "alone" in practice:
        alone = _read_practice(path, practice["alone"], prefix=prefix + "alone.", default_kind=kind)
    return PracticeSource(
        kind=kind,
        title=_text(path, practice, "title", prefix=prefix, limit=TITLE_MAX),
        instructions=_text(path, practice, "instructions", prefix=prefix),
        question=question,
        alone=alone,
    )


def _read(path: Path) -> tuple[dict, str]:
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ContentError(path, "file", f"is not UTF-8 text ({error.reason})") from error
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise ContentError(path, "front matter", f"is not valid YAML: {problem}") from error
    return post.metadata, post.content


def _check_fields(path, meta, *, required, allowed, prefix="") -> None:
    for name in required:
        if name not in meta or meta[name] is None:
            raise ContentError(path, prefix + name, "is missing")
    for name in meta:
        if name not in allowed:
            raise ContentError(path, prefix + str(name), "is not a field we know")


def _text(path: Path, meta: dict, name: str, *, prefix: str = "", limit: int = 0) -> str:
    value = meta[name]
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, prefix + name, "must be non-empty text")
    if limit and len(value.strip()) > limit:
        raise ContentError(path, prefix + name, f"must be {limit} characters at most")
    return value.strip()


def _flag(path: Path, meta: dict, name: str) -> bool:
    value = meta.get(name, False)
    if not isinstance(value, bool):
        raise ContentError(path, name, "must be true or false")
    return value


def _slug(path: Path, meta: dict, name: str) -> str:
    value = _text(path, meta, name, limit=SLUG_MAX)
    if not SLUG.match(value):
        raise ContentError(path, name, f"{value!r} must be lowercase letters, digits and hyphens")
    return value


def _check_unique(pairs: list[tuple[Path, str]], what: str) -> None:
    seen: dict[str, Path] = {}
    for path, slug in pairs:
        if slug in seen:
            raise ContentError(path, "slug", f"{what} slug {slug!r} is also used by {seen[slug]}")
        seen[slug] = path
