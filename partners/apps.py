from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        from accounts.signals import account_deleting

        from . import (
            notices,  # noqa: F401  (the notice, a purpose of the outbox, registers)
            services,
        )

        account_deleting.connect(services.links_end_for_leaving_user, dispatch_uid="partners")
