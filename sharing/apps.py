from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self) -> None:
        from accounts.signals import account_deleting

        # The notices (purposes of the outbox) and the export's sections register on import.
        from . import digests, selectors, services  # noqa: F401

        account_deleting.connect(services.shares_end_for_leaving_therapist, dispatch_uid="sharing")
