from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top floor: pages that compose several features (Today, the profile, first run)."""

    name = "home"
