"""Drill: two of everything behind HAProxy and PgBouncer, one of each killed under load.

Production scaled out on one box: HAProxy (round robin, /healthz/web checked every 500 ms, out
after two failures) in front of two gunicorn instances; the app reaches PostgreSQL through
PgBouncer in transaction mode; two Celery workers and two beats (doubled on purpose: the
dispatcher claims due reminders atomically, so a second beat must not double a nudge).
Threads sign in, save gratitude entries with unique texts, read Today, the journal and a
lesson, and therapists read their clients' pages, all through the proxy; a batch of
reminders falls due at the next minute. Mid-run one web instance gets SIGKILL, then one
worker (every process of it) once the nudges are going out, then PgBouncer is stopped and
started again. The killed worker is restarted after the visibility timeout, as a supervisor
would.

Fails if an accepted write is missing or doubled; a nudge is lost beyond the one in flight
at a fault (one per killed worker process; one per process of the surviving worker whose
link PgBouncer cut as its take committed, the answer lost on the way back), or sent twice; a
request fails once the health check has had 2 s to take the dead instance out (requests in
flight on it are counted, not failed), or 5 s after PgBouncer is back; or a failure shows
the internals instead of our 500 page or a 503.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from urllib.parse import urlsplit

import redis

from . import mailbox
from .infra import Stack, wait_until
from .report import Report, arguments, exit_with, main_for
from .web import (
    OUR_500,
    Answer,
    Visitor,
    entries_stored,
    gratitude_form,
    percentile,
    run_users,
    saved,
)

PASSWORD = "drills-correct-horse-battery"
PREFIX = "scale "
HEALTH_GRACE = 2.0  # seconds the proxy has to take a dead web instance out
RECOVERY = 5.0  # seconds after PgBouncer is back by which every request must succeed


@dataclass
class Timeline:
    """When each fault happened (time.monotonic())."""

    web_killed: float = float("inf")
    worker_killed: float = float("inf")
    bouncer_stopped: float = float("inf")
    bouncer_back: float = float("inf")

    def phase(self, answer: Answer) -> str:
        ended = answer.started + answer.elapsed
        if answer.started < self.web_killed < ended:
            return "in flight at the web kill"
        if ended >= self.bouncer_stopped and answer.started < self.bouncer_back + RECOVERY:
            return "PgBouncer restart (down, then 5 s)"
        if self.web_killed <= answer.started < self.web_killed + HEALTH_GRACE:
            return "first 2 s after the web kill"
        return "steady"


def _ok(kind: str, answer: Answer) -> bool:
    if kind == "save":
        return saved(answer)
    if kind == "sign in":
        return answer.status == 302 and urlsplit(answer.location).path == "/"
    return answer.status == 200


def _clean(answer: Answer) -> bool:
    """A failure a user can read: our 500 page, or a 503 (the app's or the proxy's)."""
    if answer.leaks:
        return False
    return answer.status in (502, 503) or (answer.status == 500 and OUR_500 in answer.body)


def _statuses() -> Counter:
    from nudges.models import NudgeDelivery

    return Counter(NudgeDelivery.objects.values_list("status", flat=True))


def _tally(items) -> dict:
    return dict(sorted(Counter(items).items()))


def run(args, report: Report) -> None:
    with Stack.up(CELERY_VISIBILITY=str(args.visibility)) as stack:
        stack.use_in_this_process()  # straight to PostgreSQL: counting survives PgBouncer
        from django.utils import timezone

        from accounts.services import session_create
        from health.services import heartbeat_record
        from lessons.models import Lesson
        from nudges import services

        from . import seed

        stack.manage("load_lessons")
        today = timezone.now().date()
        clients = seed.users_create(prefix="client", count=args.users)
        signers = seed.users_create(prefix="signer", count=1)
        for user in signers:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        therapists = [
            seed.therapist_create(
                email=f"therapist{n}@drill.example", clients=clients[n::2], today=today
            )
            for n in range(2)
        ]
        nudged = seed.users_create(prefix="nudged", count=args.nudged)
        heartbeat_record(worker="drill")  # /healthz wants a worker heartbeat from the start
        lesson = Lesson.objects.filter(is_published=True).order_by("position").first()

        bouncer = stack.pgbouncer(pool_size=args.pool)
        webs = [stack.gunicorn(f"web {n}", workers=args.workers) for n in (1, 2)]
        proxy = stack.haproxy([port for _, port in webs], maxconn=args.workers)
        workers = [stack.worker(f"worker {n}", concurrency=2) for n in (1, 2)]
        beats = [stack.beat(f"beat {n}") for n in (1, 2)]
        report.did(
            f"HAProxy :{proxy.port} -> gunicorn :{webs[0][1]} and :{webs[1][1]} (sync x"
            f"{args.workers} each) -> PgBouncer :{bouncer.port} (transaction mode, pool "
            f"{args.pool}) -> PostgreSQL :{stack.postgres.port}; two Celery workers (2 "
            "processes each) and two beats"
        )

        client_visitors = [Visitor(proxy.port, session_create(user=u)) for u in clients]
        therapist_visitors = [Visitor(proxy.port, session_create(user=t)) for t in therapists]
        shared = {t.pk: [c.pk for c in clients[n::2]] for n, t in enumerate(therapists)}
        records: list[tuple[str, Answer]] = []

        def client_step(index: int, number: int) -> None:
            visitor = client_visitors[index]
            match number % 4:
                case 0:
                    kind, answer = "today", visitor.get("/")
                case 1:
                    text = f"{PREFIX}user {index} entry {number}"
                    form = gratitude_form(text, day=datetime.now(UTC).date())
                    kind, answer = "save", visitor.post("/journal/gratitude/new/", form)
                    answer.text = text
                case 2:
                    kind, answer = "journal", visitor.get("/journal/")
                case _:
                    kind, answer = "lesson", visitor.get(f"/lessons/{lesson.slug}/")
            records.append((kind, answer))

        def therapist_step(index: int, number: int) -> None:
            therapist = therapists[index]
            visitor = therapist_visitors[index]
            if number % 2:
                client_id = shared[therapist.pk][number // 2 % len(shared[therapist.pk])]
                records.append(("client's journal", visitor.get(f"/sharing/clients/{client_id}/")))
            else:
                records.append(("clients", visitor.get("/sharing/clients/")))

        def sign_in_step(index: int, number: int) -> None:
            form = {"login": signers[index].email, "password": PASSWORD}
            records.append(("sign in", Visitor(proxy.port, "").post("/accounts/login/", form)))
            # People sign in rarely (Argon2 is slow on purpose), and every request of the drill
            # comes from 127.0.0.1: allauth allows 30 sign-ins a minute from one address.
            time.sleep(2.5)

        steps = (
            [(client_step, i) for i in range(len(clients))]
            + [(therapist_step, i) for i in range(len(therapists))]
            + [(sign_in_step, i) for i in range(len(signers))]
        )

        def step(thread: int, number: int) -> None:
            function, index = steps[thread]
            function(index, number)
            time.sleep(args.pause)

        # The reminders fall due at the first minute boundary after the web kill, when both
        # beats send the dispatcher's task.
        now = timezone.now()
        due_at = (now + timedelta(seconds=args.before + 3, minutes=1)).replace(
            second=0, microsecond=0
        )
        seed.reminders_due(nudged, at=due_at)
        stop = threading.Event()
        bound = args.before + 90 + args.visibility + args.after + 60
        load = threading.Thread(
            target=run_users,
            args=[len(steps), step],
            kwargs={"seconds": bound, "max_steps": 100_000, "stop": stop},
        )
        started = time.monotonic()
        load.start()
        report.did(
            f"{len(clients)} clients, {len(therapists)} therapists and {len(signers)} person "
            f"signing in, through the proxy; {args.nudged} reminders due at {due_at:%H:%M:%S}"
        )

        events = Timeline()
        time.sleep(args.before)
        killed_web, _ = webs[0]
        killed_web.kill()
        events.web_killed, killed_at = time.monotonic(), datetime.now(UTC)
        report.did("SIGKILL to web 1 (gunicorn master and workers)")

        wait_until(
            lambda: _statuses()["sent"] >= args.kill_after,
            timeout=(due_at - timezone.now()).total_seconds() + 60,
            interval=0.05,
        )
        victim = workers[0]
        pool = victim.children()
        victim.kill()
        events.worker_killed, marks = time.monotonic(), {"worker kill": datetime.now(UTC)}
        report.did(
            f"SIGKILL to worker 1 and its {len(pool)} pool processes; deliveries then "
            f"{dict(_statuses())}"
        )

        time.sleep(2)
        events.bouncer_stopped = time.monotonic()
        marks["PgBouncer stop"] = datetime.now(UTC)
        bouncer.stop()
        stopped = time.monotonic()
        time.sleep(args.bouncer_down)
        bouncer.start()
        events.bouncer_back = time.monotonic()
        report.did(
            f"PgBouncer stopped (SIGTERM, every link cut; it exited in "
            f"{stopped - events.bouncer_stopped:.1f}s) and started again "
            f"{events.bouncer_back - stopped:.1f}s later"
        )

        restart_at = events.worker_killed + args.visibility + 1
        time.sleep(max(0.0, restart_at - time.monotonic()))
        workers.append(stack.worker("worker 1 again", concurrency=2))
        report.did("worker 1 started again once the visibility timeout had passed")
        time.sleep(max(0.0, events.bouncer_back + args.after - time.monotonic()))
        stop.set()
        load.join()
        ended = time.monotonic()
        report.did(f"load stopped {ended - events.bouncer_back:.0f}s after PgBouncer was back")

        _web_findings(report, records, events, started, ended)
        changes = [
            f"{message.split(',')[0].removeprefix('Server app/')} "
            f"{(when - killed_at).total_seconds():+.1f}s"
            for when, message in proxy.log_lines("app")
            if " is " in message or "no server available" in message
        ]
        report.found(f"the proxy's health checks, from the web kill: {'; '.join(changes)}")
        accepted = {a.text for kind, a in records if kind == "save" and saved(a)}
        missing, doubled_entries = entries_stored(report, accepted, PREFIX)
        report.check(not missing, f"every accepted entry is stored ({len(missing)} missing)")
        report.check(not doubled_entries, f"no entry stored twice ({len(doubled_entries)})")

        surviving = len(workers[1].children())
        _nudge_findings(
            report, stack, services, nudged,
            killed=len(pool), surviving=surviving, args=args, marks=marks,
        )  # fmt: skip
        alive = [p.name for p in (webs[1][0], *workers[1:], *beats) if not p.alive()]
        report.check(not alive, f"every process not killed kept running (stopped: {alive})")


def _web_findings(report, records, events: Timeline, started: float, ended: float) -> None:
    answers = [a for _, a in records]
    failed = [(kind, a) for kind, a in records if not _ok(kind, a)]
    seconds = ended - started
    report.found(
        f"{len(records)} requests in {seconds:.0f}s ({len(records) / seconds:.0f}/s) by type: "
        f"{_tally(kind for kind, _ in records)}",
        requests=len(records),
    )
    report.found(f"answered by: {_tally(a.server or '-' for a in answers)}")
    latency = {
        kind: f"{percentile([a.elapsed for k, a in records if k == kind], 0.5) * 1000:.0f}/"
        f"{percentile([a.elapsed for k, a in records if k == kind], 0.99) * 1000:.0f}"
        for kind in sorted({kind for kind, _ in records})
    }
    report.found(f"latency p50/p99 ms by type: {latency}")
    phases = _tally(events.phase(a) for _, a in failed)
    report.found(f"failures by phase: {phases or 'none'}", failed=len(failed))
    in_flight = [a for a in answers if events.phase(a) == "in flight at the web kill"]
    in_flight_failed = [a for _, a in failed if events.phase(a) == "in flight at the web kill"]
    report.found(
        f"in flight at the web kill: {len(in_flight)} requests, {len(in_flight_failed)} failed "
        f"({_tally(f'{a.method} {a.status or a.error[:20]}' for a in in_flight_failed)}); "
        "the proxy retried the rest on web 2",
        in_flight=len(in_flight),
        in_flight_failed=len(in_flight_failed),
    )
    web_failures = [
        a
        for _, a in failed
        if a.started + a.elapsed > events.web_killed
        and events.phase(a) != "PgBouncer restart (down, then 5 s)"
    ]
    for answer in web_failures[:3]:
        report.found(
            f"failed around the web kill: {answer.method} {answer.path} -> {answer.status} "
            f"{answer.error} at +{answer.started - events.web_killed:.2f}s {answer.body[:100]!r}"
        )
    last_web = max((a.started + a.elapsed for a in web_failures), default=events.web_killed)
    report.found(
        f"web kill: last failure ended {last_web - events.web_killed:.2f}s after it",
        web_recovered_seconds=round(last_web - events.web_killed, 2),
    )
    after_back = sorted(
        ((k, a) for k, a in records if a.started >= events.bouncer_back), key=lambda r: r[1].started
    )
    first_ok = next((a for k, a in after_back if _ok(k, a)), None)
    first_ok_seconds = first_ok.started + first_ok.elapsed - events.bouncer_back if first_ok else -1
    bouncer_failures = [
        a for _, a in failed if events.phase(a) == "PgBouncer restart (down, then 5 s)"
    ]
    last_bouncer = max(
        (a.started + a.elapsed for a in bouncer_failures), default=events.bouncer_stopped
    )
    report.found(
        f"PgBouncer: {len(bouncer_failures)} failed while it was down or coming back "
        f"({_tally(a.status or a.error[:20] for a in bouncer_failures)}); first success "
        f"{first_ok_seconds:.2f}s after it was back, "
        f"last failure ended {last_bouncer - events.bouncer_back:.2f}s after",
        bouncer_failed=len(bouncer_failures),
        bouncer_recovered_seconds=round(last_bouncer - events.bouncer_back, 2),
    )
    steady = [(k, a) for k, a in failed if events.phase(a) == "steady"]
    # A response cut off by its server's SIGKILL shows the reader nothing (no page, no
    # internals); it is one of the requests in flight at the kill, counted above.
    cut_at_kill = [
        a for _, a in failed
        if events.phase(a) == "in flight at the web kill" and not a.leaks and not a.body
    ]  # fmt: skip
    unclean = [a for _, a in failed if not _clean(a) and a not in cut_at_kill]
    for kind, answer in (steady + [("", a) for a in unclean])[:5]:
        report.found(
            f"failed: {kind} {answer.method} {answer.path} -> {answer.status} {answer.error} "
            f"at {answer.started - started:.1f}s {answer.leaks} {answer.body[:120]!r}"
        )
    report.check(
        not steady,
        f"no request failed 2 s after the web kill or 5 s after PgBouncer was back ({len(steady)})",
    )
    report.check(
        not unclean,
        f"every failure was our 500 page or a 503, or a response cut off by the web kill "
        f"({len(unclean)}; cut off: {len(cut_at_kill)})",
    )
    report.check(
        any(a.started > events.bouncer_back + RECOVERY for a in answers),
        "the load went on past the recovery window",
    )


# A nudge taken this close to PgBouncer's stop may have had its take committed and the answer
# cut: it is in that worker's hands at the fault, as one taken before a SIGKILL is.
CUT_WINDOW = timedelta(seconds=1)


def _nudge_findings(
    report, stack, services, nudged, *, killed: int, surviving: int, args, marks: dict
) -> None:
    from django.utils import timezone

    from nudges.models import NudgeDelivery

    broker = redis.Redis.from_url(stack.redis.url(0))

    def drained() -> bool:
        return (
            _statuses()["claimed"] == 0
            and broker.llen("celery") == 0
            and broker.hlen("unacked") == 0
        )

    settled = wait_until(drained, timeout=args.timeout, interval=0.5)
    before_sweep = _statuses()
    sweep = services.deliveries_sweep(now=timezone.now() + services.STALE_AFTER)
    report.did(
        f"deliveries once the workers settled{'' if settled else ' (timed out)'}: "
        f"{dict(before_sweep)}; the sweeper, run as if {services.STALE_AFTER} had passed, "
        f"queued {sweep.requeued} again and marked {sweep.lost} left 'sending' failed"
    )
    if sweep.requeued:
        wait_until(drained, timeout=args.timeout, interval=0.5)
    time.sleep(2)  # a second send of anything would land by now
    box = mailbox.read(stack.mail_dir)
    expected = {user.email for user in nudged}
    lost, doubled, unexpected = mailbox.exactly_once(box, expected)
    left = NudgeDelivery.objects.filter(status="failed", user__in=nudged).select_related("user")
    in_flight = {d.user.email for d in left}
    # When each nudge left in a worker's hands was taken, next to the faults: one taken
    # before the worker kill was that worker's; one taken at the PgBouncer stop was another's.
    report.found(
        "left 'sending', taken at (from "
        + " / ".join(marks)
        + "): "
        + "; ".join(
            f"{'lost' if d.user.email not in box.per_recipient else 'emailed'} "
            + " / ".join(f"{(d.sending_at - at).total_seconds():+.2f}s" for at in marks.values())
            for d in sorted((d for d in left if d.sending_at), key=attrgetter("sending_at"))
        )
    )
    taken = {d.user.email: d.sending_at for d in left if d.sending_at}
    at_kill = [e for e in lost if e in taken and taken[e] <= marks["worker kill"]]
    cut = marks["PgBouncer stop"]
    at_cut = [e for e in lost if e in taken and abs(taken[e] - cut) <= CUT_WINDOW]
    report.found(
        f"nudges: {len(expected)} due, {box.messages} emails to {len(box.per_recipient)} "
        f"people ({box.torn} cut off mid-write); lost {len(lost)}: {len(at_kill)} taken before "
        f"the worker kill (bound {killed}, one per killed process), {len(at_cut)} taken as "
        f"PgBouncer stopped (bound {surviving}, one per surviving process); doubled "
        f"{len(doubled)}; deliveries now {dict(_statuses())}",
        nudges_sent=box.messages,
        nudges_lost=len(lost),
        nudges_doubled=len(doubled),
        killed=killed,
    )
    report.check(
        set(lost) <= in_flight
        and set(lost) <= {*at_kill, *at_cut}
        and len(at_kill) <= killed
        and len(at_cut) <= surviving,
        f"at most the nudge in each process's hands at a fault was lost ({lost[:5]})",
    )
    report.check(not doubled, f"nobody got two nudges, with two beats ({doubled[:5]})")
    report.check(not unexpected, f"nobody else was emailed ({unexpected[:5]})")


parser = arguments(
    __doc__.splitlines()[0],
    users=10,
    workers=2,
    before=8,
    after=12,
    pause=0.02,
    timeout=120,
    nudged=2000,
    kill_after=500,  # worker 1
    visibility=10,
)
parser.add_argument("--pool", type=int, default=4, help="PgBouncer's default_pool_size")
parser.add_argument("--bouncer-down", type=float, default=2, help="seconds PgBouncer stays down")
main = main_for(run, parser, "Drill: two of everything behind HAProxy and PgBouncer")

if __name__ == "__main__":
    exit_with(main)
