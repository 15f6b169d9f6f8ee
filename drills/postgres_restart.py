"""Drill: PostgreSQL restarted under load.

Gunicorn (sync workers) on a throwaway PostgreSQL; logged-in users load their timeline and
post gratitude entries in a steady loop while the cluster gets `pg_ctl restart -m fast`.
Requests during the restart must fail cleanly (our 500 page or a 503, never a traceback or
the debug page) and the site must recover by itself: the same gunicorn processes, nothing
restarted. Every entry whose POST succeeded must be in the database.
"""

import threading
import time
from collections import Counter
from datetime import UTC, datetime

from .infra import Stack
from .report import Report, arguments, exit_with, main_for
from .web import OUR_500, Answer, Visitor, entries_stored, gratitude_form, run_users, saved


def _ok(answer: Answer) -> bool:
    return saved(answer) if answer.method == "POST" else answer.status == 200


def _clean_failure(answer: Answer) -> bool:
    """A failure the user can read: our 500 page or a 503, with nothing of the internals."""
    if answer.leaks:
        return False
    return answer.status == 503 or (answer.status == 500 and OUR_500 in answer.body)


def run(args, report: Report) -> None:
    with Stack.up() as stack:
        stack.use_in_this_process()
        from django.conf import settings
        from django.db import connections

        from accounts.services import session_create

        from . import seed

        database = settings.DATABASES["default"]
        report.found(
            f"settings: DEBUG={settings.DEBUG}, CONN_MAX_AGE={database['CONN_MAX_AGE']}, "
            f"CONN_HEALTH_CHECKS={database['CONN_HEALTH_CHECKS']}"
        )
        report.check(not settings.DEBUG, "DEBUG is off, as in production")
        report.check(database["CONN_HEALTH_CHECKS"], "persistent connections are health-checked")
        users = seed.users_create(prefix="steady", count=args.users)
        server, port = stack.gunicorn(workers=args.workers)
        workers_before = server.children()
        visitors = [Visitor(port, session_create(user=user)) for user in users]
        connections.close_all()  # this process's own connection would die in the restart too
        answers: list[Answer] = []

        def browse(user: int, number: int) -> None:
            visitor = visitors[user]
            if number % 2:
                text = f"drill4 user {user} entry {number}"
                form = gratitude_form(text, day=datetime.now(UTC).date())
                answer = visitor.post("/journal/gratitude/new/", form)
                answer.text = text
            else:
                answer = visitor.get("/journal/")
            answers.append(answer)
            time.sleep(args.pause)

        stop = threading.Event()
        load = threading.Thread(
            target=run_users,
            args=[args.users, browse],
            kwargs={"seconds": args.before + args.after + 60, "max_steps": 100_000, "stop": stop},
        )
        started = time.monotonic()
        load.start()
        time.sleep(args.before)
        report.did(
            f"{args.users} users loading the timeline and posting entries for {args.before:.0f}s"
        )
        restart_began = time.monotonic()
        stack.postgres.restart()
        restart_done = time.monotonic()
        report.did(
            f"pg_ctl restart -m fast: the server was back after {restart_done - restart_began:.1f}s"
        )
        time.sleep(args.after)
        stop.set()
        load.join()
        report.did(f"kept the load on for {time.monotonic() - restart_done:.0f}s after the restart")

        answers.sort(key=lambda a: a.started)
        failed = [a for a in answers if not _ok(a)]
        unclean = [a for a in failed if not _clean_failure(a)]
        after_restart = [a for a in answers if a.started >= restart_done]
        first_ok = next((a for a in after_restart if _ok(a)), None)
        last_failure = max((a.started + a.elapsed for a in failed), default=restart_began)
        report.found(
            f"{len(answers)} requests, {len(failed)} failed: "
            f"{dict(Counter(a.status or a.error.split(':')[0] for a in failed))}; "
            f"failures from {min((a.started for a in failed), default=0) - started:.1f}s to "
            f"{last_failure - started:.1f}s",
            requests=len(answers),
            failed=len(failed),
            unclean=len(unclean),
        )
        recovered = first_ok.started + first_ok.elapsed - restart_began if first_ok else None
        failing_after = [a for a in after_restart if not _ok(a) and a.started > restart_done + 5]
        report.found(
            f"time to recover: first success {recovered:.2f}s after the restart began; "
            f"last failure ended {last_failure - restart_began:.2f}s after it"
            if first_ok
            else "no request succeeded after the restart",
            recovered_seconds=recovered,
        )
        workers_after = server.children()
        report.found(
            f"gunicorn workers before {sorted(workers_before)}, after {sorted(workers_after)}"
        )
        accepted = {a.text for a in answers if a.method == "POST" and saved(a)}
        missing, _ = entries_stored(report, accepted, "drill4 ")
        for answer in unclean[:3]:
            report.found(
                f"unclean: {answer.method} {answer.path} -> {answer.status} "
                f"{answer.error} {answer.leaks} {answer.body[:200]!r}"
            )
        report.check(not unclean, "every failed request got our 500 page or a 503, no internals")
        report.check(first_ok is not None, "requests succeed again after the restart")
        report.check(
            not failing_after,
            f"no failures once the server had been back for 5s ({len(failing_after)})",
        )
        report.check(
            server.alive() and workers_after == workers_before,
            "recovered without restarting gunicorn or its workers",
        )
        report.check(not missing, f"every accepted entry is stored ({len(missing)} missing)")


parser = arguments(__doc__.splitlines()[0], users=8, workers=2, before=5, after=10, pause=0.02)
main = main_for(run, parser, "Drill: PostgreSQL restarted under load")

if __name__ == "__main__":
    exit_with(main)
