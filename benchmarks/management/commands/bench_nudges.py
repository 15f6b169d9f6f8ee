"""Benchmark (not a test): N users due in the same minute, batched design vs one task per user.

Both designs run the real dispatcher and sender code on the configured database, with tasks
executed in this process (Celery eager mode) and emails rendered in full but handed to
Django's dummy backend. One task per user is slow, so it runs on at most --compare-users
users and is compared per user. With REDIS_URL set it also times publishing the two designs'
task messages to Redis, the broker cost that eager mode leaves out, and then (--worker)
does it for real: one Celery worker is started, beat's dispatch task is sent to it through
Redis, and the command waits until every due user's nudge has been handed to the dummy
backend, reporting how long after the due time the last one went. Seeded rows are removed.
"""

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as dt_time
from functools import partial
from itertools import batched

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Min
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from nudges import selectors, services
from nudges.models import NudgeDelivery, ReminderSchedule
from nudges.services.dispatch import schedules_claim
from nudges.tasks import dispatch_nudges, send_nudges
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
            "--compare-users",
            type=int,
            default=2000,
            help="Users for the one-task-per-user design (it is compared per user).",
        )
        parser.add_argument(
            "--worker",
            type=int,
            default=0,
            metavar="PROCESSES",
            help="Also send to a real Celery worker with this many processes, through Redis.",
        )
        parser.add_argument(
            "--dispatch-only", action="store_true", help="Time the dispatch, not the sending."
        )

    def handle(
        self,
        *args,
        users: int,
        batch: int,
        design: str,
        compare_users: int,
        worker: int,
        dispatch_only: bool,
        **options,
    ):
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
        if worker and not settings.REDIS_URL:
            raise CommandError("--worker needs REDIS_URL: the worker is fed through Redis.")
        self._cleanup()
        self.stdout.write(
            f"Nudge fan-out: {users:,} users due at {due:%H:%M} UTC on {connection.vendor}. "
            "In-process designs: tasks run eagerly, "
            "emails rendered and given to the dummy backend."
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
                        users,
                    ),
                    "per-user": (
                        "one task per user",
                        partial(_dispatch_one_per_user, now),
                        min(users, compare_users),
                    ),
                }
                rows = [
                    self._run(*run, due=due, deliver=not dispatch_only)
                    for key, run in designs.items()
                    if design in ("both", key)
                ]
            self._report(rows)
            if worker:
                self._run_worker(worker, users)
        finally:
            self._cleanup()

    def _seed(self, count: int, due: datetime) -> None:
        local_times = _local_times(due)
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
        self,
        name: str,
        dispatch: Callable[[], list[list[int]]],
        users: int,
        *,
        due: datetime,
        deliver: bool,
    ) -> tuple:
        bench = ReminderSchedule.objects.filter(user__email__endswith=DOMAIN)
        NudgeDelivery.objects.filter(user__email__endswith=DOMAIN).delete()
        bench.update(next_due_at=due + timedelta(days=1))
        bench.filter(pk__in=bench.order_by("pk").values("pk")[:users]).update(next_due_at=due)
        _vacuum()
        statements = _StatementCount()
        with connection.execute_wrapper(statements):
            started = time.perf_counter()
            tasks = dispatch()
            dispatched = time.perf_counter()
            for ids in tasks if deliver else []:
                send_nudges.apply(kwargs={"delivery_ids": ids})
            delivered = time.perf_counter()
        made = NudgeDelivery.objects.filter(user__email__endswith=DOMAIN)
        sent = made.filter(status="sent").count() if deliver else None
        once = made.count() == users == made.values("user").distinct().count()
        delivery = delivered - dispatched if deliver else None
        queries = statements.count / users
        return name, users, len(tasks), dispatched - started, delivery, sent, once, queries

    def _report(self, rows: list[tuple]) -> None:
        self.stdout.write(
            f"{'design':<22} {'users':>8} {'tasks':>8} {'dispatch':>10} {'delivery':>10} "
            f"{'per user':>9} {'queries':>8} {'sent':>8}  one delivery each"
        )
        per_user = {}
        for name, users, tasks, dispatch, delivery, sent, once, queries in rows:
            per_user[name] = (dispatch + (delivery or 0)) / users
            self.stdout.write(
                f"{name:<22} {users:>8,} {tasks:>8,} {dispatch:>9.1f}s "
                f"{'-' if delivery is None else f'{delivery:.1f}s':>10} "
                f"{1000 * per_user[name]:>7.2f}ms {queries:>8.2f} "
                f"{'-' if sent is None else f'{sent:,}':>8}  "
                f"{'yes' if once else 'NO'}"
            )
        self.stdout.write("(queries: SQL statements a user, dispatch and delivery together)")
        if len(per_user) == 2:
            batched_cost, one_each_cost = per_user.values()
            ratio = one_each_cost / batched_cost
            self.stdout.write(
                f"Batched is {ratio:.1f}x faster per user than one task per user "
                f"(target: at least 20x): {'met' if ratio >= 20 else 'MISSED'}."
            )
        if settings.REDIS_URL:  # what eager mode leaves out: one broker message per task
            for _, _, tasks, *_ in rows:
                seconds = _publish(tasks)
                self.stdout.write(
                    f"Publishing {tasks:,} task messages to Redis: {seconds:.2f} s "
                    f"({1e6 * seconds / tasks:.0f} µs each)"
                )

    def _run_worker(self, processes: int, users: int, timeout: float = 900) -> None:
        """Beat's dispatch task sent through Redis to one real worker; wait for every nudge."""
        if app.control.ping(timeout=1.0):
            raise CommandError(
                "A Celery worker already reads this broker; run the benchmark on a Redis "
                "database of its own (scripts/bench uses db 5)."
            )
        NudgeDelivery.objects.filter(user__email__endswith=DOMAIN).delete()
        with _worker(processes) as name:
            # Everyone due at the next whole minute, when beat would send the dispatch task.
            due = (timezone.now() + timedelta(minutes=1)).replace(second=0, microsecond=0)
            for zone, local_time in _local_times(due).items():
                ReminderSchedule.objects.filter(
                    user__email__endswith=DOMAIN, user__time_zone=zone
                ).update(local_time=local_time, next_due_at=due)
            _vacuum()
            time.sleep(max(0.0, (due - timezone.now()).total_seconds()))
            dispatch_nudges.delay()
            made = NudgeDelivery.objects.filter(user__email__endswith=DOMAIN)
            deadline = time.monotonic() + timeout
            while made.filter(status="sent").count() < users and time.monotonic() < deadline:
                time.sleep(0.5)
        sent = made.filter(status="sent")
        figures = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"), count=Count("pk"))
        once = made.count() == made.values("user").distinct().count()
        if not figures["count"]:
            raise CommandError(f"The worker sent nothing in {timeout:.0f} s.")
        first, last = ((figures[end] - due).total_seconds() for end in ("first", "last"))
        self.stdout.write(
            f"One worker ({name}, {processes} processes, Redis broker): {figures['count']:,} of "
            f"{users:,} handed to the dummy backend; the first {first:.1f} s "
            f"and the last {last:.1f} s after the due time; "
            f"{'one delivery each' if once else 'SOME USERS HAVE TWO DELIVERIES'}. "
            f"Target: all within 120 s: "
            f"{'met' if figures['count'] == users and last <= 120 and once else 'MISSED'}."
        )

    def _cleanup(self) -> None:
        bench = User.objects.filter(email__endswith=DOMAIN)
        NudgeDelivery.objects.filter(user__in=bench).delete()
        ReminderSchedule.objects.filter(user__in=bench).delete()
        EmailAddress.objects.filter(user__in=bench).delete()
        while ids := list(bench.values_list("pk", flat=True)[:SEED_CHUNK]):
            User.objects.filter(pk__in=ids).delete()


def _vacuum() -> None:
    """Clear out the rows earlier runs deleted or updated and refresh the planner's figures,
    as autovacuum would in production (a development server may run without it), then
    write every changed page to disk: each run starts from the same state. (After a
    checkpoint the first change to each page writes the whole page to the WAL, and one
    that falls in the middle of a timed design makes it pay for what came before.)"""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (User, EmailAddress, ReminderSchedule)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join([*tables, NudgeDelivery._meta.db_table])}")
        try:
            with transaction.atomic():
                cursor.execute("CHECKPOINT")
        except DatabaseError:  # needs a superuser or pg_checkpoint: then as it was
            pass


def _local_times(due: datetime) -> dict[str, dt_time]:
    """The wall-clock time of `due` in each of the benchmark's zones."""
    return {name: due.astimezone(zoneinfo.ZoneInfo(name)).time() for name in ZONES}


@contextmanager
def _worker(processes: int) -> Iterator[str]:
    """A Celery worker in a child process with the dummy mail backend; yields its name once it
    answers a ping, and stops it afterwards."""
    name = f"bench-nudges-{os.getpid()}@{socket.gethostname()}"
    env = {**os.environ, "EMAIL_HOST": "", "EMAIL_BACKEND": DUMMY_MAIL["default"]["BACKEND"]}
    command = [sys.executable, "-m", "celery", "-A", "selfhelp", "worker", "-n", name]
    command += ["--concurrency", str(processes), "--loglevel", "WARNING", "--without-gossip"]
    with tempfile.TemporaryFile("w+") as log:
        worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while not app.control.ping(destination=[name], timeout=1.0):
                if worker.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise CommandError(f"The benchmark's worker did not start:\n{log.read()}")
            yield name
        finally:
            worker.terminate()
            worker.wait(timeout=60)


class _StatementCount:
    """Counts the SQL statements run (each one round trip to the database): per user in the
    report."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


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
                schedules_claim(schedule_ids=[pk], now=now)
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
