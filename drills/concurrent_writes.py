"""Drill: fifty users writing entries at once for a minute.

Gunicorn (sync workers) on a throwaway PostgreSQL and Redis; each user posts gratitude
entries with a text nobody else sends, one after another, as fast as the server answers.
Every entry whose POST was answered with the success redirect must be in the database,
none twice, and no request may fail.
"""

import threading
from collections import Counter
from datetime import UTC, datetime

from .infra import Stack
from .report import Report, arguments, exit_with, main_for
from .web import Answer, Visitor, gratitude_form, percentile, run_users, saved


def run(args, report: Report) -> None:
    with Stack.up() as stack:
        stack.use_in_this_process()
        from accounts.services import session_create
        from journal.models import Entry

        from . import seed

        users = seed.users_create(prefix="writer", count=args.users)
        server, port = stack.gunicorn(workers=args.workers)
        visitors = [Visitor(port, session_create(user=user)) for user in users]
        answers: dict[str, Answer] = {}
        lock = threading.Lock()

        def write(user: int, number: int) -> None:
            text = f"drill5 user {user} entry {number}"
            answer = visitors[user].post(
                "/journal/gratitude/new/", gratitude_form(text, day=datetime.now(UTC).date())
            )
            with lock:
                answers[text] = answer

        report.did(
            f"{args.users} users posting gratitude entries for {args.duration}s to gunicorn "
            f"(sync x{args.workers}) on 127.0.0.1"
        )
        run_users(args.users, write, seconds=args.duration, max_steps=args.max_per_user)

        accepted = {text for text, answer in answers.items() if saved(answer)}
        stored = Counter(
            Entry.objects.filter(moments__startswith="drill5 ").values_list("moments", flat=True)
        )
        outcomes = Counter(
            answer.status or answer.error.split(":")[0] for answer in answers.values()
        )
        latencies = [answer.elapsed for answer in answers.values()]
        missing = sorted(accepted - set(stored))
        doubled = sorted(text for text, count in stored.items() if count > 1)
        unacknowledged = sorted(set(stored) - accepted)
        report.found(
            f"{len(answers)} POSTs ({len(answers) / args.duration:.0f}/s): {dict(outcomes)}; "
            f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms",
            requests=len(answers),
            outcomes=dict(outcomes),
        )
        report.found(
            f"accepted {len(accepted)}, stored {sum(stored.values())}: missing {len(missing)}, "
            f"doubled {len(doubled)}, stored without a success answer {len(unacknowledged)}",
            accepted=len(accepted),
            missing=len(missing),
            doubled=len(doubled),
        )
        report.check(bool(accepted), "the server accepted writes")
        report.check(
            not missing, f"every accepted write is in the database (missing: {missing[:3]})"
        )
        report.check(not doubled, f"no entry stored twice ({doubled[:3]})")
        report.check(
            len(accepted) == len(answers), "every POST was answered with the success redirect"
        )
        report.check(server.alive(), "gunicorn is still running")


parser = arguments(__doc__.splitlines()[0])
parser.add_argument("--users", type=int, default=50)
parser.add_argument("--duration", type=float, default=60, help="seconds of writing")
parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
parser.add_argument("--max-per-user", type=int, default=5000, help="a bound on each user's posts")
main = main_for(run, parser, "Drill: 50 concurrent users writing entries")

if __name__ == "__main__":
    exit_with(main)
