from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        from accounts.signals import account_deleting

        # The notice (a purpose of the outbox) and the export's sections register on import.
        from . import notices, selectors, services  # noqa: F401

        account_deleting.connect(services.links_end_for_leaving_user, dispatch_uid="partners")
