from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self) -> None:
        from accounts.signals import account_deleting

        from . import services

        account_deleting.connect(services.shares_end_for_leaving_therapist, dispatch_uid="sharing")
