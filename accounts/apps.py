from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from core import crypto

        from .adapter import first_arrival_note, sign_in_note
        from .keys import DataKeyStore

        crypto.set_key_store(DataKeyStore())  # each person's data key, for core.crypto
        email_confirmed.connect(first_arrival_note, dispatch_uid="accounts.first_arrival")
        user_logged_in.connect(sign_in_note, dispatch_uid="accounts.sign_in_note")
