from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self) -> None:
        from accounts.signals import account_deleting
        from journal.export import register_section

        from . import (
            digests,  # noqa: F401  (the notices, a purpose of the outbox, register)
            selectors,
            services,
        )

        account_deleting.connect(services.shares_end_for_leaving_therapist, dispatch_uid="sharing")
        register_section("comments", selectors.comments_for_export)
        register_section("messages", selectors.messages_for_export)
