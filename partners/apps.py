from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self) -> None:
        from accounts.signals import account_deleting
        from journal.export import register_section

        from . import (
            notices,  # noqa: F401  (the notice, a purpose of the outbox, registers)
            selectors,
            services,
        )

        account_deleting.connect(services.links_end_for_leaving_user, dispatch_uid="partners")
        register_section("partner_answers", selectors.answers_for_export)
        register_section("appreciations_sent", selectors.appreciations_for_export)
        register_section("partner_plans", selectors.plans_for_export)
