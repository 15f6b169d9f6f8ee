"""Drill: beat fired twice for the same minute.

Three groups of users fall due at three instants. The first group's instant is dispatched
twice in a row; the second's by two dispatcher processes started at the same moment; for
the third, beat's task is sent twice to a worker with two pool processes, which can run
both ticks at once. A worker then sends everything. Each user must get exactly one nudge.
"""

import subprocess
import sys
import time
from datetime import datetime, timedelta

from . import mailbox
from .infra import ROOT, Stack, wait_until
from .report import Report, arguments, exit_with, main_for


def dispatch_at(iso: str, start_at: float) -> None:
    """In a child process: wait for the common start instant, then dispatch as of `iso`."""
    import django

    django.setup()
    from nudges import services

    time.sleep(max(0.0, start_at - time.time()))
    queued = services.dispatch_due(now=datetime.fromisoformat(iso))
    print(queued)


def _two_processes_at_once(stack: Stack, when: datetime) -> list[int]:
    start_at = time.time() + 3  # both are set up by then
    code = (
        f"from drills.double_beat import dispatch_at; dispatch_at({when.isoformat()!r}, {start_at})"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=stack.env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=60)[0] for child in children]
    return [int(output.strip().splitlines()[-1]) for output in outputs]


def run(args, report: Report) -> None:
    with Stack.up() as stack:
        stack.use_in_this_process()
        from django.conf import settings
        from django.utils import timezone

        from nudges import services
        from nudges.models import NudgeDelivery
        from selfhelp.celery import app

        from . import seed

        now = timezone.now().replace(microsecond=0)
        groups = {}
        for name, minutes in (("twice", 3), ("parallel", 2), ("beat", 1)):
            groups[name] = seed.users_create(prefix=f"{name}-", count=args.users)
            seed.reminders_due(groups[name], at=now - timedelta(minutes=minutes))
        report.did(f"seeded three groups of {args.users} users, due 3, 2 and 1 minutes ago")

        first_due = now - timedelta(minutes=3)
        counts = [services.dispatch_due(now=first_due) for _ in range(2)]
        report.found(f"dispatching {first_due:%H:%M:%S} twice in a row queued {counts}")
        report.check(counts == [args.users, 0], "the second dispatch found nothing left to claim")

        second_due = now - timedelta(minutes=2)
        counts = _two_processes_at_once(stack, second_due)
        report.found(
            f"two dispatcher processes at {second_due:%H:%M:%S}, started together, queued {counts}"
        )
        report.check(sum(counts) == args.users, "together they claimed each user once")

        stack.worker(concurrency=2)
        tick = settings.CELERY_BEAT_SCHEDULE["dispatch-nudges"]
        for _ in range(2):
            app.send_task(tick["task"], **tick.get("options", {}))
        report.did("sent beat's dispatch task twice to a worker with two pool processes")

        total = 3 * args.users
        wait_until(
            lambda: NudgeDelivery.objects.filter(status="sent").count() >= total,
            timeout=args.timeout,
        )
        time.sleep(2)  # a second send of anything would land by now
        box = mailbox.read(stack.mail_dir)
        everyone = {user.email for group in groups.values() for user in group}
        lost, doubled, unexpected = mailbox.exactly_once(box, everyone)
        deliveries = NudgeDelivery.objects.count()
        report.found(
            f"{deliveries} deliveries for {total} users; {box.messages} emails written; "
            f"lost {len(lost)}, doubled {len(doubled)}",
            deliveries=deliveries,
            messages=box.messages,
            lost=len(lost),
            doubled=len(doubled),
        )
        report.check(deliveries == total, "one delivery row per user and local date")
        report.check(not lost, f"every user got a nudge (lost: {lost[:5]})")
        report.check(not doubled, f"nobody got two (doubled: {doubled[:5]})")
        report.check(not unexpected, f"nobody else was emailed ({unexpected[:5]})")


parser = arguments(__doc__.splitlines()[0], timeout=120)
parser.add_argument("--users", type=int, default=300, help="users in each group")
main = main_for(run, parser, "Drill: beat fired twice for the same minute")

if __name__ == "__main__":
    exit_with(main)
