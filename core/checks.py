"""System checks of our own settings."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

from . import crypto


def encryption_keys(app_configs, **kwargs) -> list[Error]:
    """Journal text cannot be written or read without a master key (core/crypto.py)."""
    if not settings.CLOSER_ENCRYPTION_KEYS:
        return [
            Error(
                "CLOSER_ENCRYPTION_KEYS is not set: Closer stores journal text encrypted and "
                "will not start without a master key.",
                hint="Set it to one or more keys, newest first, separated by commas; make one "
                "with `python manage.py rotate_keys --new-key` and keep it apart from backups.",
                id="core.E001",
            )
        ]
    try:
        crypto.master_keys()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="core.E002")]
    return []
