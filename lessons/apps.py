from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"

    def ready(self) -> None:
        from journal.signals import entry_created_from_lesson

        from .services import entry_practised

        entry_created_from_lesson.connect(entry_practised, dispatch_uid="lessons.entry_practised")
