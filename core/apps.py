from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: helpers every app uses, and pages that belong to no feature."""

    name = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  registers field__any
