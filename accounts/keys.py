"""Where each person's data key is kept: the store core.crypto loads and creates them from."""

from django.db import transaction
from django.utils import timezone

from core import crypto

from .models import DataKey


class DataKeyStore:
    """accounts.DataKey rows, wrapped by the newest master key (set from AccountsConfig)."""

    def load(self, user_id: int) -> tuple[str, bytes] | None:
        row = DataKey.objects.filter(user_id=user_id).first()
        if row is None:
            return None
        return row.key_id, crypto.unwrap(user_id, row.key_id, row.wrapped)

    def create(self, user_id: int) -> tuple[str, bytes]:
        key_id, raw = crypto.new_data_key()
        wrapped = crypto.wrap(user_id, key_id, raw)
        row, created = DataKey.objects.get_or_create(
            user_id=user_id, defaults={"key_id": key_id, "wrapped": wrapped}
        )
        if created:
            return key_id, raw
        return row.key_id, crypto.unwrap(user_id, row.key_id, row.wrapped)  # another won a race


def data_keys_rewrap() -> int:
    """Wrap every data key under the newest master key; the number re-wrapped.

    Each row changes only if no one changed it meanwhile, so it can run while the site runs.
    """
    rewrapped = 0
    for row in DataKey.objects.order_by("pk").iterator(chunk_size=500):
        if crypto.wrapped_by_newest(row.wrapped):
            continue
        raw = crypto.unwrap(row.user_id, row.key_id, row.wrapped)
        with transaction.atomic():
            rewrapped += DataKey.objects.filter(pk=row.pk, wrapped=row.wrapped).update(
                wrapped=crypto.wrap(row.user_id, row.key_id, raw), wrapped_at=timezone.now()
            )
    return rewrapped
