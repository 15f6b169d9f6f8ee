from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: helpers every app uses, and pages that belong to no feature."""

    name = "core"
