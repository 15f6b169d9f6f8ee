from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benchmarks import search

TARGET_SECONDS = 1.0


class Command(BaseCommand):
    help = "Time a search of one person's N-entry encrypted journal (benchmarks/search.py)."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=30, help="Searches timed per query.")

    def handle(self, *args, entries: int, runs: int, **options):
        p99 = search.run(
            count=entries, runs=runs, today=timezone.now().date(), out=self.stdout.write
        )
        verdict = "met" if p99 <= TARGET_SECONDS else "MISSED"
        self.stdout.write(f"target: p99 at or under {TARGET_SECONDS:.0f} s: {verdict}")
        if p99 > TARGET_SECONDS:
            raise CommandError(f"search p99 {p99 * 1000:.0f} ms is over the target")
