from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "nudges"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        # The outbox's purposes of this app and its export section register on import.
        from . import push, selectors, weekly  # noqa: F401
        from .services import one_off  # noqa: F401

        user_logged_out.connect(push.subscription_stop_on_logout, dispatch_uid="nudges.push")
