from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self) -> None:
        from accounts.signals import account_deleting

        from . import (
            digests,  # noqa: F401  (the notices, a purpose of the outbox, register)
            services,
        )

        account_deleting.connect(services.shares_end_for_leaving_therapist, dispatch_uid="sharing")
