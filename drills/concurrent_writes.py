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
from .web import Answer, Visitor, entries_stored, gratitude_form, percentile, run_users, saved


def run(args, report: Report) -> None:
    with Stack.up() as stack:
        stack.use_in_this_process()
        from accounts.services import session_create

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
        outcomes = Counter(
            answer.status or answer.error.split(":")[0] for answer in answers.values()
        )
        latencies = [answer.elapsed for answer in answers.values()]
        report.found(
            f"{len(answers)} POSTs ({len(answers) / args.duration:.0f}/s): {dict(outcomes)}",
            requests=len(answers),
            outcomes=dict(outcomes),
        )
        p50, p99 = (percentile(latencies, share) * 1000 for share in (0.5, 0.99))
        report.found(f"latency p50 {p50:.0f} ms, p99 {p99:.0f} ms")
        missing, doubled = entries_stored(report, accepted, "drill5 ")
        report.check(bool(accepted), "the server accepted writes")
        report.check(
            not missing, f"every accepted write is in the database (missing: {missing[:3]})"
        )
        report.check(not doubled, f"no entry stored twice ({doubled[:3]})")
        report.check(
            len(accepted) == len(answers), "every POST was answered with the success redirect"
        )
        report.check(server.alive(), "gunicorn is still running")


parser = arguments(__doc__.splitlines()[0], users=50, workers=2)
parser.add_argument("--duration", type=float, default=60, help="seconds of writing")
parser.add_argument("--max-per-user", type=int, default=5000, help="a bound on each user's posts")
main = main_for(run, parser, "Drill: 50 concurrent users writing entries")

if __name__ == "__main__":
    exit_with(main)
