from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from core import crypto

        from .keys import DataKeyStore

        crypto.set_key_store(DataKeyStore())  # each person's data key, for core.crypto
