from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self) -> None:
        from . import digests  # noqa: F401  (the notices, a purpose of the outbox, register)
