from django.core.management.base import BaseCommand

from core import crypto

from ...keys import data_keys_rewrap


class Command(BaseCommand):
    help = (
        "Re-wrap every person's data key under the newest master key (the first in "
        "CLOSER_ENCRYPTION_KEYS), so older master keys can be removed; --new-key prints one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="Print a new master key and change nothing."
        )

    def handle(self, *args, new_key: bool, **options):
        if new_key:
            self.stdout.write(crypto.new_master_key())
            return
        count = data_keys_rewrap()
        self.stdout.write(f"Re-wrapped {count} data keys under the newest master key.")
