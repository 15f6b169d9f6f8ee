from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from nudges import selectors, services


class Command(BaseCommand):
    help = "Show who is due a nudge in the next hours, and optionally run one dispatch by hand."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=1, help="How far ahead to look.")
        parser.add_argument("--limit", type=int, default=20, help="How many users to list.")
        parser.add_argument(
            "--dispatch",
            action="store_true",
            help="Claim what is due now and queue it for sending.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="With --dispatch: say what it would do, only."
        )

    def handle(self, *args, hours: float, limit: int, dispatch: bool, dry_run: bool, **options):
        now = timezone.now()
        due = selectors.schedules_due_by(end=now + timedelta(hours=hours))
        overdue = due.filter(next_due_at__lte=now).count()
        self.stdout.write(f"Now: {now:%Y-%m-%d %H:%M} UTC")
        self.stdout.write(f"Due now: {overdue}")
        self.stdout.write(f"Due in the next {hours:g} hours: {due.count() - overdue}")
        for schedule in due[:limit]:
            user = schedule.user
            local = schedule.next_due_at.astimezone(user.zone)
            self.stdout.write(
                f"  {schedule.next_due_at:%Y-%m-%d %H:%M} UTC  {user.email}  "
                f"({local:%H:%M} {user.time_zone})"
            )
        if dispatch and dry_run:
            self.stdout.write(f"Dry run: would dispatch {overdue} nudges now; nothing changed.")
        elif dispatch:
            queued = services.dispatch_due(now=now)
            self.stdout.write(f"Dispatched: {queued} nudges queued for sending.")
