from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from core import crypto

        from .adapter import first_arrival_note
        from .keys import DataKeyStore

        crypto.set_key_store(DataKeyStore())  # each person's data key, for core.crypto
        email_confirmed.connect(first_arrival_note, dispatch_uid="accounts.first_arrival")
