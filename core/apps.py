from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: helpers every app uses, and pages that belong to no feature."""

    name = "core"

    def ready(self) -> None:
        from django.core import checks

        from . import converters, lookups  # noqa: F401  lookups registers field__any
        from .checks import encryption_keys

        converters.register()  # <id:name> in every app's urls.py
        checks.register(encryption_keys)
