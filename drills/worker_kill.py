"""Drill: a Celery worker killed with SIGKILL in the middle of a nudge batch.

Thousands of users are due now. The dispatcher claims them and queues batches of 500 on a
throwaway Redis whose visibility timeout is short (CELERY_VISIBILITY=10). A worker starts
sending; when a quarter are sent (each process halfway through a batch), every process of
the worker gets SIGKILL, so no shutdown code runs. A new worker starts once the visibility
timeout has passed, and Redis hands it the batches the dead one never acknowledged. Each due
user must get one nudge, counted per recipient in what the file email backend wrote, except
the one each killed process was handing over at that instant: its fate is unknown, so it is
never sent again. The bound checked: lost at most one per killed pool process, doubled 0.
"""

import time
from collections import Counter
from datetime import timedelta

import redis

from . import mailbox
from .infra import Stack, wait_until
from .report import Report, arguments, exit_with, main_for


def _statuses() -> Counter:
    from nudges.models import NudgeDelivery

    return Counter(NudgeDelivery.objects.values_list("status", flat=True))


def run(args, report: Report) -> None:
    with Stack.up(CELERY_VISIBILITY=str(args.visibility)) as stack:
        stack.use_in_this_process()
        from django.utils import timezone

        from nudges import services
        from nudges.models import NudgeDelivery

        from . import seed

        users = seed.users_create(prefix="due", count=args.users)
        seed.reminders_due(users, at=timezone.now() - timedelta(minutes=1))
        queued = services.dispatch_due(now=timezone.now())
        report.did(
            f"seeded {args.users} users due a minute ago; the dispatcher claimed {queued} and "
            f"queued them in batches of {services.SEND_BATCH} (visibility timeout "
            f"{args.visibility}s, on a throwaway Redis)"
        )

        first = stack.worker("worker 1", concurrency=args.concurrency)
        wait_until(lambda: _statuses()["sent"] >= args.kill_after, timeout=180, interval=0.01)
        pool = first.children()
        first.kill()
        at_kill = _statuses()
        report.did(
            f"SIGKILL to the worker and its {len(pool)} pool processes with {at_kill['sent']} "
            f"sent, {at_kill['sending']} being sent, {at_kill['claimed']} waiting"
        )

        time.sleep(args.visibility + 2)  # Redis hands unacknowledged tasks out again after this
        stack.worker("worker 2", concurrency=args.concurrency)
        report.did("started a new worker once the visibility timeout had passed")
        broker = redis.Redis.from_url(stack.redis.url(0))
        drained = wait_until(
            lambda: (
                _statuses()["claimed"] == 0
                and broker.llen("celery") == 0
                and broker.hlen("unacked") == 0
            ),
            timeout=args.timeout,
            interval=0.5,
        )
        report.found(
            f"the new worker finished {'' if drained else 'NOT '}every batch", drained=bool(drained)
        )
        time.sleep(1)

        box = mailbox.read(stack.mail_dir)
        expected = {user.email for user in users}
        lost, doubled, unexpected = mailbox.exactly_once(box, expected)
        after = _statuses()
        in_flight = NudgeDelivery.objects.filter(status="sending").select_related("user")
        in_flight_emails = {d.user.email for d in in_flight}
        lost_in_flight = sorted(set(lost) & in_flight_emails)
        report.found(
            f"emails written: {box.messages} to {len(box.per_recipient)} recipients "
            f"({box.torn} cut off mid-write); deliveries now {dict(after)}",
            messages=box.messages,
            torn=box.torn,
            statuses=dict(after),
        )
        report.found(
            f"due users: {len(expected)}; lost (no nudge): {len(lost)}, of which in flight at the "
            f"kill (left 'sending'): {len(lost_in_flight)}; doubled: {len(doubled)}; "
            "rows left 'sending' whose email did go out: "
            f"{len(in_flight_emails) - len(lost_in_flight)}",
            lost=len(lost),
            lost_in_flight=len(lost_in_flight),
            doubled=len(doubled),
            unexpected=len(unexpected),
        )
        sweep = services.deliveries_sweep(now=timezone.now() + services.STALE_AFTER)
        report.found(
            f"the sweeper, run as if {services.STALE_AFTER} later: {sweep.lost} rows left "
            f"'sending' marked failed, {sweep.requeued} queued again",
        )
        bound = len(pool)  # the nudge each killed pool process had in its hands
        report.found(f"killed pool processes: {bound}", killed=bound)
        report.check(bool(drained), "every queued batch was taken and acknowledged")
        report.check(
            len(lost) <= bound and set(lost) <= in_flight_emails,
            f"at most one nudge lost per killed process, the one it was handing over: lost "
            f"{len(lost)}, bound {bound} ({lost[:5]})",
        )
        report.check(len(in_flight) <= bound, f"at most {bound} rows left 'sending'")
        report.check(not doubled, f"nobody got two (doubled: {doubled[:5]})")
        report.check(not unexpected, f"nobody else was emailed ({unexpected[:5]})")


# --kill-after: a quarter, so each of the two processes is halfway through its first batch of 500.
parser = arguments(__doc__.splitlines()[0], timeout=180, kill_after=750, visibility=10)
parser.add_argument("--users", type=int, default=3000, help="users due a nudge now")
parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes")
main = main_for(run, parser, "Drill: a worker killed with SIGKILL in the middle of a nudge batch")

if __name__ == "__main__":
    exit_with(main)
