from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class LessonsConfig(AppConfig):
    name = "lessons"

    def ready(self) -> None:
        from journal.signals import entry_created_from_lesson

        from .models import Lesson, Module
        from .selectors import outline_forget  # importing it registers the export sections
        from .services import entry_practised

        entry_created_from_lesson.connect(entry_practised, dispatch_uid="lessons.entry_practised")
        for model in (Lesson, Module):
            for signal in (post_save, post_delete):
                uid = f"lessons.outline_forget.{model.__name__}.{signal is post_save}"
                signal.connect(outline_forget, sender=model, dispatch_uid=uid)
