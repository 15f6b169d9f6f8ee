"""Benchmark (not a test): N users due in the same minute, batched design vs one task per user.

Both runs use the real dispatcher and sender code on the configured database, with tasks
executed in this process (Celery eager mode) and emails rendered in full but handed to
Django's dummy backend. With REDIS_URL set it also times publishing the two designs' task
messages to Redis, the broker cost that eager mode leaves out. Seeded rows are removed.
"""

import logging
import time
import zoneinfo
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from itertools import batched

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from nudges import selectors, services
from nudges.models import NudgeDelivery, ReminderSchedule
from nudges.tasks import send_nudges
from selfhelp.celery import app

DOMAIN = "@bench-nudges.invalid"
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"]
SEED_CHUNK = 5000
DUMMY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
BENCH_QUEUE = "bench-nudges"


class Command(BaseCommand):
    help = "Time dispatch and delivery for N users due in one minute: batched vs one task each."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100_000)
        parser.add_argument("--batch", type=int, default=services.SEND_BATCH)
        parser.add_argument("--design", choices=["both", "batched", "per-user"], default="both")
        parser.add_argument(
            "--dispatch-only", action="store_true", help="Time the dispatch, not the sending."
        )

    def handle(self, *args, users: int, batch: int, design: str, dispatch_only: bool, **options):
        for name in ("nudges", "celery"):  # one log line per task would swamp the table
            logging.getLogger(name).setLevel(logging.WARNING)
        now = timezone.now()
        due = now.replace(second=0, microsecond=0)
        others = selectors.schedules_due_by(end=now + timedelta(minutes=5)).exclude(
            user__email__endswith=DOMAIN
        )
        if others.exists():
            raise CommandError(
                "Real reminders are due on this database; run the benchmark on its own "
                "database (scripts/bench uses closer_bench)."
            )
        self._cleanup()
        self.stdout.write(
            f"Nudge fan-out: {users:,} users due at {due:%H:%M} UTC on {connection.vendor}; "
            "tasks run in-process, emails rendered and given to the dummy backend."
        )
        started = time.perf_counter()
        self._seed(users, due)
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s.")
        try:
            with override_settings(MAILERS=DUMMY_MAIL), _eager():
                designs = {
                    "batched": (
                        f"batched ({batch} a task)",
                        partial(_dispatch_batched, now, batch),
                    ),
                    "per-user": ("one task per user", partial(_dispatch_one_per_user, now)),
                }
                rows = [
                    self._run(*run, due=due, deliver=not dispatch_only)
                    for key, run in designs.items()
                    if design in ("both", key)
                ]
            self._report(rows, users)
        finally:
            self._cleanup()

    def _seed(self, count: int, due: datetime) -> None:
        local_times = {name: due.astimezone(zoneinfo.ZoneInfo(name)).time() for name in ZONES}
        for chunk in batched(range(count), SEED_CHUNK):
            zones = [ZONES[i % len(ZONES)] for i in chunk]
            users = User.objects.bulk_create(
                [
                    User(email=f"bench{i}{DOMAIN}", password="!", time_zone=zone)
                    for i, zone in zip(chunk, zones, strict=True)
                ]
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
            )
            ReminderSchedule.objects.bulk_create(
                [
                    ReminderSchedule(user=u, local_time=local_times[u.time_zone], next_due_at=due)
                    for u in users
                ]
            )

    def _run(
        self, name: str, dispatch: Callable[[], list[list[int]]], *, due: datetime, deliver: bool
    ) -> tuple:
        NudgeDelivery.objects.filter(user__email__endswith=DOMAIN).delete()
        ReminderSchedule.objects.filter(user__email__endswith=DOMAIN).update(next_due_at=due)
        started = time.perf_counter()
        tasks = dispatch()
        dispatched = time.perf_counter()
        for ids in tasks if deliver else []:
            send_nudges.apply(kwargs={"delivery_ids": ids})
        delivered = time.perf_counter()
        made = NudgeDelivery.objects.filter(user__email__endswith=DOMAIN)
        sent = made.filter(status="sent").count() if deliver else None
        once = made.count() == made.values("user").distinct().count()
        delivery = delivered - dispatched if deliver else None
        return name, len(tasks), dispatched - started, delivery, sent, once

    def _report(self, rows: list[tuple], users: int) -> None:
        self.stdout.write(
            f"{'design':<22} {'tasks':>8} {'dispatch':>10} {'delivery':>10} {'per user':>9} "
            f"{'sent':>8}  one delivery each"
        )
        for name, tasks, dispatch, delivery, sent, once in rows:
            total = dispatch + (delivery or 0)
            self.stdout.write(
                f"{name:<22} {tasks:>8,} {dispatch:>9.1f}s "
                f"{'-' if delivery is None else f'{delivery:.1f}s':>10} "
                f"{1000 * total / users:>7.2f}ms {'-' if sent is None else f'{sent:,}':>8}  "
                f"{'yes' if once else 'NO'}"
            )
        if settings.REDIS_URL:  # what eager mode leaves out: one broker message per task
            for _, tasks, *_ in rows:
                seconds = _publish(tasks)
                self.stdout.write(
                    f"Publishing {tasks:,} task messages to Redis: {seconds:.2f} s "
                    f"({1e6 * seconds / tasks:.0f} µs each)"
                )

    def _cleanup(self) -> None:
        bench = User.objects.filter(email__endswith=DOMAIN)
        NudgeDelivery.objects.filter(user__in=bench).delete()
        ReminderSchedule.objects.filter(user__in=bench).delete()
        EmailAddress.objects.filter(user__in=bench).delete()
        while ids := list(bench.values_list("pk", flat=True)[:SEED_CHUNK]):
            User.objects.filter(pk__in=ids).delete()


class _eager:
    """Run tasks in this process, collecting what would have been queued."""

    def __enter__(self):
        self.saved = app.conf.task_always_eager, app.conf.task_eager_propagates
        app.conf.task_always_eager = app.conf.task_eager_propagates = True

    def __exit__(self, *exc):
        app.conf.task_always_eager, app.conf.task_eager_propagates = self.saved


def _collect_queued() -> tuple[list[list[int]], Callable]:
    queued: list[list[int]] = []
    return queued, lambda *, delivery_ids: queued.append(delivery_ids)


def _dispatch_batched(now: datetime, batch: int) -> list[list[int]]:
    """The real dispatcher; its send tasks are collected, to be run after it is timed."""
    queued, collect = _collect_queued()
    original, send_nudges.delay = send_nudges.delay, collect
    try:
        services.dispatch_due(now=now, batch_size=batch)
    finally:
        send_nudges.delay = original
    return queued


def _dispatch_one_per_user(now: datetime) -> list[list[int]]:
    """The naive design: claim each due user in its own transaction and queue one task each."""
    queued, collect = _collect_queued()
    original, send_nudges.delay = send_nudges.delay, collect
    try:
        while ids := selectors.due_schedule_ids(now=now, limit=1000):
            for pk in ids:
                services.schedules_claim(schedule_ids=[pk], now=now)
    finally:
        send_nudges.delay = original
    return queued


def _publish(messages: int) -> float:
    """Seconds to publish `messages` send tasks to a queue no worker reads, then purge it."""
    with app.producer_or_acquire() as producer:
        publish = partial(
            send_nudges.apply_async,
            kwargs={"delivery_ids": [0]},
            queue=BENCH_QUEUE,
            producer=producer,
        )
        publish()  # connect first: the connection is not what is measured
        started = time.perf_counter()
        for _ in range(messages):
            publish()
        seconds = time.perf_counter() - started
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(BENCH_QUEUE)
    return seconds
