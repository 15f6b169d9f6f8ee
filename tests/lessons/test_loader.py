import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from lessons.content import CONTENT_ROOT, PRACTICE_KINDS
from lessons.models import Lesson, Module, Progress, Reflection
from lessons.selectors import outline, path_for_user
from lessons.services import lessons_load, progress_mark_done, reflection_save

LESSON_FILES = sorted(CONTENT_ROOT.glob("*/[0-9]*.md"))


def load(root: Path = CONTENT_ROOT) -> str:
    out = StringIO()
    call_command("load_lessons", root=root, stdout=out)
    return out.getvalue()


def load_refused(root: Path) -> str:
    """The message of a load that must fail."""
    with pytest.raises(CommandError) as failure:
        load(root)
    return str(failure.value)


def snapshot() -> list[dict]:
    modules = [model_to_dict(module) | {"id": module.id} for module in Module.objects.all()]
    lessons = [model_to_dict(lesson) | {"id": lesson.id} for lesson in Lesson.objects.all()]
    return modules + lessons


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_load_lessons_twice_leaves_the_same_rows(db):
    first = load()
    rows = snapshot()
    second = load()

    count = len(LESSON_FILES)
    assert first == f"Loaded 8 modules and {count} lessons ({count} new, 0 unpublished).\n"
    assert second == f"Loaded 8 modules and {count} lessons (0 new, 0 unpublished).\n"
    assert snapshot() == rows


def test_editing_a_lesson_and_loading_again_keeps_progress(content_copy, alice):
    lessons_load(root=content_copy)
    lesson = Lesson.objects.get(slug="relationships-take-work")
    progress = progress_mark_done(user=alice, lesson=lesson)
    path = content_copy / "01-start-here" / "01-relationships-take-work.md"
    edit(path, "title: Relationships take work, and you can do it", "title: Love takes work")
    edit(path, "## The belief that quietly ends relationships", "## A quiet rule about love")

    lessons_load(root=content_copy)

    lesson.refresh_from_db()
    assert lesson.title == "Love takes work"
    assert lesson.body_html.startswith("<h2>A quiet rule about love</h2>\n")
    assert list(Progress.objects.values_list("user", "lesson", "done_at")) == [
        (alice.pk, lesson.pk, progress.done_at)
    ]


def test_a_lesson_gone_from_the_content_is_unpublished_with_its_progress_kept(content_copy, alice):
    lessons_load(root=content_copy)
    lesson = Lesson.objects.get(slug="who-to-ask")
    progress_mark_done(user=alice, lesson=lesson)
    (content_copy / "08-ask-for-help" / "02-who-to-ask.md").unlink()

    report = lessons_load(root=content_copy)

    lesson.refresh_from_db()
    assert (report.lessons, report.lessons_unpublished) == (len(LESSON_FILES) - 1, 1)
    assert lesson.is_published is False
    assert Progress.objects.filter(user=alice, lesson=lesson).count() == 1


def test_the_path_leaves_out_a_lesson_gone_from_the_content_at_once(content_copy, alice):
    lessons_load(root=content_copy)
    assert "who-to-ask" in [lesson.slug for lesson in outline()]  # the outline is now cached
    (content_copy / "08-ask-for-help" / "02-who-to-ask.md").unlink()

    lessons_load(root=content_copy)

    assert "who-to-ask" not in [lesson.slug for lesson in outline()]


def test_a_lesson_back_in_the_content_is_published_again(content_copy, db):
    removed = content_copy / "08-ask-for-help" / "02-who-to-ask.md"
    kept = removed.read_text()
    lessons_load(root=content_copy)
    removed.unlink()
    lessons_load(root=content_copy)
    removed.write_text(kept)

    lessons_load(root=content_copy)

    assert Lesson.objects.get(slug="who-to-ask").is_published is True


def test_markdown_is_rendered_without_raw_html_or_unsafe_links(content_copy, db):
    path = content_copy / "01-start-here" / "01-relationships-take-work.md"
    edit(
        path,
        "## The belief that quietly ends relationships",
        "Hi <script>alert(1)</script> [bad](javascript:alert(1)) [good](https://example.com)\n\n"
        "## The belief that quietly ends relationships",
    )

    lessons_load(root=content_copy)

    body = Lesson.objects.get(slug="relationships-take-work").body_html
    assert body.startswith(
        "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; [bad](javascript:alert(1)) "
        '<a href="https://example.com" rel="noopener noreferrer">good</a></p>\n'
        "<h2>The belief that quietly ends relationships</h2>\n"
    )


BROKEN = {
    "broken YAML": (
        "title: Relationships take work, and you can do it",
        "title: [Relationships take work",
        "front matter: is not valid YAML: ",
    ),
    "missing field": (
        "title: Relationships take work, and you can do it\n",
        "",
        "title: is missing",
    ),
    "bad practice kind": (
        "kind: reflection",
        "kind: hug",
        "practice.kind: must be one of gratitude, bid, apology, break, urge, answer, check_in, "
        "four_abilities, love_languages, rung, reflection (got 'hug')",
    ),
    "reflection without a question": (
        "  question: When a relationship has needed effort, what did you tell yourself it meant,"
        " and what might it have meant instead?\n",
        "",
        "practice.question: is required for a reflection",
    ),
    "misspelt field": (
        "  question: When a relationship",
        "  qeustion: When a relationship",
        "practice.qeustion: is not a field we know",
    ),
    "safety note that is not true or false": (
        "safety_note: true",
        "safety_note: sometimes",
        "safety_note: must be true or false",
    ),
    "reserved slug": (
        "slug: relationships-take-work",
        "slug: continue",
        "slug: 'continue' is taken by a page of the app",
    ),
}


@pytest.mark.parametrize(("old", "new", "problem"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_fails_the_load_naming_file_and_field_and_changes_nothing(
    content_copy, curriculum, old, new, problem
):
    before = snapshot()
    # An edit the loader would apply if it wrote anything before checking every file.
    edit(content_copy / "02-three-stages" / "_module.md", "title: The three", "title: Three")
    broken = content_copy / "01-start-here" / "01-relationships-take-work.md"
    edit(broken, old, new)

    message = load_refused(content_copy)

    assert message.startswith(f"Nothing was loaded. {broken}: {problem}")
    assert snapshot() == before


def test_a_slug_used_twice_fails_the_load_naming_both_files(content_copy, db):
    first = content_copy / "01-start-here" / "01-relationships-take-work.md"
    second = content_copy / "04-sustaining-love" / "01-keep-sharing.md"
    edit(second, "slug: keep-sharing", "slug: relationships-take-work")

    assert load_refused(content_copy) == (
        f"Nothing was loaded. {second}: slug: lesson slug 'relationships-take-work' "
        f"is also used by {first}"
    )
    assert Lesson.objects.count() == 0


def test_question_on_a_journal_practice_fails_the_load(content_copy, db):
    path = content_copy / "02-three-stages" / "03-why-avoidants-leave.md"
    edit(path, "  kind: gratitude\n", "  kind: gratitude\n  question: Why?\n")

    assert load_refused(content_copy) == (
        f"Nothing was loaded. {path}: practice.question: is only for reflections, not gratitude"
    )
    assert Lesson.objects.count() == 0


def test_load_lessons_exits_non_zero_with_the_message(content_copy, db):
    path = content_copy / "01-start-here" / "03-discomfort-and-choice.md"
    edit(path, "kind: reflection", "kind: hug")
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "selfhelp.settings_test"}

    result = subprocess.run(
        [sys.executable, "manage.py", "load_lessons", "--root", str(content_copy)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr == (
        f"CommandError: Nothing was loaded. {path}: practice.kind: "
        "must be one of gratitude, bid, apology, break, urge, answer, check_in, four_abilities, "
        "love_languages, rung, reflection (got 'hug')\n"
    )


def test_the_loader_knows_the_same_practice_kinds_as_the_model():
    assert (
        tuple(value for value, _ in Lesson._meta.get_field("practice_kind").choices)
        == PRACTICE_KINDS
    )


def test_a_practice_for_readers_without_a_partner_is_loaded_beside_the_practice(content_copy, db):
    path = content_copy / "01-start-here" / "01-relationships-take-work.md"
    edit(
        path,
        "practice:\n",
        "practice:\n  alone:\n    title: With someone close\n"
        "    instructions: Try it with a friend.\n    question: What did you notice?\n",
    )
    lessons_load(root=content_copy)

    lesson = Lesson.objects.get(slug="relationships-take-work")
    assert (lesson.alone_kind, lesson.alone_title) == ("reflection", "With someone close")
    assert lesson.alone_instructions == "Try it with a friend."
    assert lesson.alone_question == "What did you notice?"


def test_a_module_can_ask_for_the_safety_note_on_its_intro(content_copy, db):
    edit(content_copy / "01-start-here" / "_module.md", "---\n", "---\nsafety_note: true\n")
    lessons_load(root=content_copy)

    assert Module.objects.get(slug="start-here").safety_note is True


def test_loading_lessons_keeps_every_users_progress_and_reflections(
    content_copy, alice, bob, charlie
):
    lessons_load(root=content_copy)
    lessons = list(Lesson.objects.order_by("position"))
    for user, situation, done in (
        (alice, "single", lessons[:5]),
        (bob, "together", lessons[3:9]),
        (charlie, "between", lessons[-4:]),
    ):
        user.situation = situation
        user.save(update_fields=["situation"])
        for lesson in done:
            progress_mark_done(user=user, lesson=lesson)
        reflection_save(user=user, lesson=lessons[1], answer=f"{situation} answer")
    rows = sorted(Progress.objects.values_list("user", "lesson", "started_at", "done_at"))
    answers = sorted(Reflection.objects.values_list("user", "lesson", "answer"))
    edit(
        content_copy / "01-start-here" / "02-needs-and-boundaries-first.md",
        "title: Name one need and say it to someone close",
        "title: Say one need to someone close",
    )

    lessons_load(root=content_copy)

    assert Lesson.objects.get(pk=lessons[1].pk).alone_title == "Say one need to someone close"
    assert sorted(Progress.objects.values_list("user", "lesson", "started_at", "done_at")) == rows
    assert sorted(Reflection.objects.values_list("user", "lesson", "answer")) == answers
    assert [path_for_user(user=user).done for user in (alice, bob, charlie)] == [5, 6, 4]
