from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.content import CONTENT_ROOT, ContentError
from lessons.services import lessons_load


class Command(BaseCommand):
    help = "Load the Modules and Lessons from lessons/content/ (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--root", type=Path, default=CONTENT_ROOT, help="content folder to load"
        )

    def handle(self, *args, root: Path, **options):
        try:
            report = lessons_load(root=root)
        except ContentError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(self.style.SUCCESS(str(report)))
