from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .models import Entry
        from .search import entry_saved

        post_save.connect(entry_saved, sender=Entry, dispatch_uid="journal.search")
