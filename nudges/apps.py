from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "nudges"

    def ready(self) -> None:
        # The outbox's purposes of this app register themselves when imported.
        from . import weekly  # noqa: F401
        from .services import one_off  # noqa: F401
