from django.contrib import admin
from django.utils.safestring import mark_safe

from core.admin import ReadOnlyAdmin

from .models import Lesson, Module, Progress, Reflection


def _loaded_html(attribute: str, description: str):
    """A read-only field that shows HTML as the content loader stored it, sanitised by nh3."""

    @admin.display(description=description)
    def show(self, row) -> str:
        return mark_safe(getattr(row, attribute))

    return show


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["position", "title", "slug"]
    list_display_links = ["title"]
    ordering = ["position"]
    fields = ["position", "slug", "title", "summary", "intro"]
    readonly_fields = ["intro"]
    intro = _loaded_html("intro_html", "Introduction")


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["position", "title", "module", "practice_kind", "safety_note", "word_count"]
    list_display_links = ["title"]
    list_filter = ["is_published", "module", "practice_kind", "safety_note"]
    list_select_related = ["module"]
    search_fields = ["title", "slug"]
    ordering = ["position"]
    fieldsets = [
        (None, {"fields": ["module", "position", "slug", "title", "summary", "is_published"]}),
        ("Preview", {"fields": ["preview", "word_count", "why_it_matters", "safety_note"]}),
        (
            "Practice",
            {
                "fields": [
                    "practice_kind",
                    "practice_title",
                    "practice_instructions",
                    "practice_question",
                ]
            },
        ),
    ]
    readonly_fields = ["preview"]
    preview = _loaded_html("body_html", "Body")


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["user", "lesson", "started_at", "done_at"]
    list_select_related = ["user", "lesson"]
    ordering = ["-started_at"]


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdmin):
    """Who answered which question and when; the answers themselves stay with their writers."""

    list_display = ["user", "lesson", "updated_at"]
    list_select_related = ["user", "lesson"]
    fields = ["user", "lesson", "updated_at"]
    ordering = ["-updated_at"]
