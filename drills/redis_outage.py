"""Drill: Redis stopped while users save entries.

Gunicorn, a Celery worker and beat run on a throwaway PostgreSQL and a throwaway Redis (the
broker and the cache). Users post gratitude entries in a loop and open today's page; in the
middle, Redis is shut down without saving, so everything it held is lost, and started again
empty some seconds later. Every entry whose POST succeeded must be in the database and no
request may fail because Redis is down; signing in must work too.

Nudges: one group of reminders falls due during the outage and must go out once beat's next
tick reaches the worker after Redis is back. Another group is dispatched just before the
outage, so Redis dies with its batches queued or half-sent; the sweeper (run as if its ten
minutes had passed) must queue what was never sent. Each user gets exactly one nudge, from
the same web, worker and beat processes, none restarted.
"""

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from . import mailbox
from .infra import Stack, wait_until
from .report import Report, arguments, exit_with, main_for
from .web import Answer, Visitor, entries_stored, gratitude_form, run_users, saved

PASSWORD = "drills-correct-horse-battery"


def _tally(answers: list[Answer]) -> dict:
    return dict(Counter(f"{a.method} {a.status or a.error.split(':')[0]}" for a in answers))


def _sent() -> int:
    from nudges.models import NudgeDelivery

    return NudgeDelivery.objects.filter(status="sent").count()


def _settled(seconds: float, timeout: float) -> None:
    """Wait until no nudge has been sent for `seconds` (the worker has done what it can)."""
    deadline = time.monotonic() + timeout
    last, since = _sent(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < seconds:
        time.sleep(0.5)
        if (now := _sent()) != last:
            last, since = now, time.monotonic()


def run(args, report: Report) -> None:
    with Stack.up() as stack:
        stack.use_in_this_process()
        from django.utils import timezone

        from accounts.services import session_create
        from nudges import services
        from nudges.models import NudgeDelivery

        from . import seed

        writers = seed.users_create(prefix="writer", count=args.users)
        due_in_outage = seed.users_create(prefix="outage", count=args.nudged)
        in_flight = seed.users_create(prefix="inflight", count=args.in_flight)
        returning = seed.users_create(prefix="returning", count=1)[0]
        returning.set_password(PASSWORD)
        returning.save(update_fields=["password"])
        server, port = stack.gunicorn(workers=2)
        worker, beat = stack.worker(), stack.beat()
        visitors = [Visitor(port, session_create(user=user)) for user in writers]
        outage_at = timezone.now() + timedelta(seconds=args.before)
        due_at = outage_at + timedelta(seconds=args.outage / 2)
        seed.reminders_due(due_in_outage, at=due_at)
        seed.reminders_due(in_flight, at=outage_at - timedelta(minutes=1))
        report.did(
            "gunicorn (sync x2), a Celery worker (2 processes) and beat on a throwaway "
            f"PostgreSQL and Redis; {args.nudged} reminders fall due at {due_at:%H:%M:%S}, "
            "mid-outage"
        )

        answers: list[Answer] = []

        def write(user: int, number: int) -> None:
            text = f"drill1 user {user} entry {number}"
            form = gratitude_form(text, day=datetime.now(UTC).date())
            answer = visitors[user].post("/journal/gratitude/new/", form)
            answer.text = text
            answers.append(answer)
            if saved(answer):
                answers.append(visitors[user].get("/"))  # where the redirect leads
            time.sleep(args.pause)

        stop = threading.Event()
        bound = args.before + args.outage + args.after + 60
        load = threading.Thread(
            target=run_users,
            args=[args.users, write],
            kwargs={"seconds": bound, "max_steps": 10_000, "stop": stop},
        )
        load.start()
        report.did(f"{args.users} users saving gratitude entries and opening today's page")
        time.sleep(max(0.0, (outage_at - timezone.now()).total_seconds() - 2))
        services.dispatch_due(now=timezone.now())
        claimed = NudgeDelivery.objects.filter(user__in=in_flight).count()
        report.did(
            f"two seconds before the outage, {claimed} nudges of the second group were claimed "
            "and queued (by the dispatcher, or by beat's tick if it came first)"
        )
        time.sleep(max(0.0, (outage_at - timezone.now()).total_seconds()))

        at_outage = Counter(NudgeDelivery.objects.values_list("status", flat=True))
        stack.redis.stop()
        down_at = time.monotonic()
        report.did(f"Redis shut down without saving; deliveries at that moment: {dict(at_outage)}")
        time.sleep(1)
        login = Visitor(port, "").post(
            "/accounts/login/", {"login": returning.email, "password": PASSWORD}
        )
        health = Visitor(port, "").get("/healthz")
        report.found(
            f"during the outage: sign-in answered {login.status} "
            f"{login.location or login.body[:80]!r}; /healthz answered {health.status}: "
            f"{health.body[:140].decode(errors='replace')}"
        )
        time.sleep(max(0.0, args.outage - (time.monotonic() - down_at)))
        stack.redis.start()
        up_at = time.monotonic()
        report.did(f"Redis started again, empty, after {up_at - down_at:.0f}s")
        time.sleep(args.after)
        stop.set()
        load.join()

        during = [a for a in answers if down_at <= a.started < up_at]
        failed = [a for a in answers if a.status not in (200, 302)]
        accepted = {a.text for a in answers if a.method == "POST" and saved(a)}
        report.found(
            f"{len(answers)} requests, {len(during)} while Redis was down: {_tally(answers)}",
            requests=len(answers),
            during_outage=len(during),
            failed=len(failed),
            sign_in=login.status,
        )
        missing, doubled_entries = entries_stored(report, accepted, "drill1 ")

        report.did("waiting for beat's next tick (every minute) and the worker to settle")
        everyone = len(due_in_outage) + len(in_flight)
        wait_until(
            lambda: NudgeDelivery.objects.filter(user__in=due_in_outage).count() == args.nudged,
            timeout=args.timeout,
            interval=0.5,
        )
        _settled(seconds=5, timeout=args.timeout)
        before_sweep = Counter(NudgeDelivery.objects.values_list("status", flat=True))
        sweep = services.deliveries_sweep(now=timezone.now() + services.STALE_AFTER)
        report.did(
            f"deliveries once the worker settled: {dict(before_sweep)}; the sweeper, run as if "
            f"{services.STALE_AFTER} had passed, queued {sweep.requeued} again"
        )
        wait_until(lambda: _sent() >= everyone, timeout=args.timeout, interval=0.5)
        time.sleep(3)  # a second send of anything would land by now

        box = mailbox.read(stack.mail_dir)
        expected = {u.email for u in [*due_in_outage, *in_flight]}
        lost, doubled, unexpected = mailbox.exactly_once(box, expected)
        after = Counter(NudgeDelivery.objects.values_list("status", flat=True))
        report.found(
            f"nudges: {everyone} due ({args.nudged} during the outage, {args.in_flight} queued "
            f"as it began); emails {box.messages}; lost {len(lost)}; doubled {len(doubled)}; "
            f"deliveries now {dict(after)}",
            nudges_lost=len(lost),
            nudges_doubled=len(doubled),
        )
        lost_broker = worker.log_count("Connection to broker lost")
        unacknowledged = worker.log_count("Couldn't ack")
        crashed = worker.log_count("Unrecoverable error")
        report.found(
            f"worker log: lost the broker {lost_broker} times, could not acknowledge "
            f"{unacknowledged} tasks, unrecoverable errors {crashed}",
            worker_crashed=crashed,
        )
        report.check(not failed, f"no request failed ({_tally(failed)})")
        report.check(login.status == 302, "signing in worked while Redis was down")
        report.check(bool(during), "users were saving entries while Redis was down")
        report.check(not missing, f"every accepted entry is stored ({len(missing)} missing)")
        report.check(not doubled_entries, "no entry stored twice")
        report.check(not lost, f"every due nudge was sent ({lost[:3]})")
        report.check(not doubled, f"none was sent twice ({doubled[:3]})")
        report.check(not unexpected, f"nobody else was emailed ({unexpected[:3]})")
        report.check(not crashed, "the worker never stopped on an unrecoverable error")
        report.check(
            worker.alive() and beat.alive() and server.alive(),
            "web, worker and beat rode out the outage without a restart",
        )


parser = arguments(
    __doc__.splitlines()[0], users=10, before=8, after=5, pause=0.05, timeout=150, nudged=40
)
parser.add_argument("--in-flight", type=int, default=1500, help="nudges queued as Redis stops")
parser.add_argument("--outage", type=float, default=15, help="seconds Redis stays down")
main = main_for(run, parser, "Drill: Redis stopped while users save entries")

if __name__ == "__main__":
    exit_with(main)
