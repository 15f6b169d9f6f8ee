from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        from . import notices  # noqa: F401  (the notice, a purpose of the outbox, registers)
