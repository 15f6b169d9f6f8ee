"""The speed target: an evening's traffic mix through the front door, at rising concurrency.

HAProxy -> gunicorn (sync) -> PgBouncer (transaction mode) -> PostgreSQL, as production runs,
then the same without PgBouncer, on a throwaway PostgreSQL and Redis (drills/infra.py) so
that nothing else shares their CPU. wrk replays the mix from a Lua script: many seeded users'
session cookies, a CSRF cookie and token for the POSTs. Besides requests/s and latency it
counts the CPU each server process used per request, which says what two cores would serve
with nothing else running on them. Run: scripts/bench, or python -m benchmarks.mix --help.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from drills.infra import (
    HOST,
    HAProxy,
    PgBouncer,
    Process,
    Stack,
    cpu_seconds,
    free_port,
    gunicorn_command,
    healthy,
    wait_until,
)

from . import wrk

TARGET_RPS = 300
TARGET_P99_MS = 100.0
CSRF = "m" * 32


@dataclass(frozen=True)
class Page:
    label: str
    weight: int  # percent of the mix
    method: str
    path: str
    who: str  # "client", "therapist" or "anonymous"


def mix(lesson_slug: str) -> list[Page]:
    """An evening peak: mostly Today and saving gratitude; sign-in is rare (sessions last
    weeks) and costly on purpose (Argon2)."""
    return [
        Page("today", 39, "GET", "/", "client"),
        Page("save gratitude", 15, "POST", "/journal/gratitude/new/", "client"),
        Page("lesson", 15, "GET", f"/lessons/{lesson_slug}/", "client"),
        Page("journal", 10, "GET", "/journal/", "client"),
        Page("tool: today's question", 10, "GET", "/journal/questions/today/", "client"),
        Page("insights", 5, "GET", "/journal/insights/", "client"),
        Page("therapist dashboard", 5, "GET", "/sharing/clients/", "therapist"),
        Page("sign in", 1, "POST", "/accounts/login/", "anonymous"),
    ]


@dataclass
class Level:
    connections: int
    figures: wrk.Figures
    pages: dict[str, tuple[int, float, float]]  # label -> (requests, mean ms, p99 ms) in gunicorn
    cpu_ms: dict[str, float] = field(default_factory=dict)  # process -> CPU ms per request


@dataclass
class FrontDoor:
    port: int  # HAProxy's
    access_log: Path
    processes: dict[str, int]  # name -> pid of the process whose tree to count CPU for


def run(args) -> None:
    with Stack.up() as stack:
        stack.manage("load_lessons")
        stack.use_in_this_process()
        from django.db import connection
        from django.utils import timezone

        from health.services import heartbeat_record
        from lessons.models import Lesson

        from . import seed

        started = time.monotonic()
        today = timezone.now().date()
        people = seed.seed_mix(
            today=today,
            clients=args.clients,
            entries=args.entries,
            per_therapist=args.per_therapist,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum keeps current in production
        heartbeat_record(worker="bench")  # /healthz, the proxy's check, wants one
        lesson = Lesson.objects.filter(is_published=True).order_by("position").first()
        pages = mix(lesson.slug)
        script = stack.workdir / "mix.lua"
        script.write_text(_lua(pages, people, today=today.isoformat()))
        connection.close()
        print(
            f"seeded {len(people['clients'])} users ({args.entries} entries each) and "
            f"{len(people['therapists'])} therapists in {time.monotonic() - started:.0f}s",
            flush=True,
        )
        runs = {}
        for name, via_bouncer, workers in _variants(args):
            print(f"\n== the mix {name}", flush=True)
            with _front_door(stack, via_bouncer, workers, args) as door:
                runs[name] = _levels(door, script, pages, args)
        _summary(runs, args)


def _variants(args) -> list[tuple[str, bool, int]]:
    """(name, through PgBouncer, gunicorn workers): each worker count with PgBouncer, then the
    first without it."""
    counts = [int(n) for n in args.workers.split(",")]
    variants = [(f"with PgBouncer, sync x{n}", True, n) for n in counts]
    variants.append((f"without PgBouncer, sync x{counts[0]}", False, counts[0]))
    if args.only:
        return [v for v in variants if v[1] == (args.only == "pgbouncer")]
    return variants


@contextmanager
def _front_door(stack: Stack, via_bouncer: bool, workers: int, args):
    processes = {
        "PostgreSQL": stack.postgres.pid,
        "Redis": int(stack.redis.pidfile.read_text()),
    }
    with ExitStack() as cleanup:
        # No worker runs in the benchmark: the heartbeat written at the start must do.
        env = {**stack.env, "HEARTBEAT_MAX_AGE_SECONDS": str(24 * 3600)}
        # The readers come from many addresses (wrk's X-Forwarded-For, as the proxy in front
        # of production sets it): from one, the sign-ins alone would trip allauth's
        # per-address limit of 30 a minute, and the rate limit would count as errors.
        env["TRUSTED_PROXY_COUNT"] = "1"
        route = f"PostgreSQL :{stack.postgres.port}"
        if via_bouncer:
            bouncer = PgBouncer(
                server_port=stack.postgres.port, database="closer", pool_size=args.pool
            )
            cleanup.callback(bouncer.remove)
            bouncer.start()
            processes["PgBouncer"] = bouncer.process.pid
            env.update(DATABASE_URL=bouncer.url())
            route = f"PgBouncer :{bouncer.port} (transaction mode, pool {args.pool}) -> {route}"
        port = free_port()
        log = stack.workdir / f"access-{port}.log"
        gunicorn = Process(
            "gunicorn",
            [
                *gunicorn_command(port, workers=workers),
                "--access-logfile", str(log),
                "--access-logformat", "%(m)s %(U)s %(s)s %(D)s",
            ],
            env=env,
            log=stack.workdir / f"gunicorn-{port}.log",
        )  # fmt: skip
        cleanup.callback(gunicorn.stop)
        if not wait_until(lambda: healthy(port) or not gunicorn.alive(), timeout=30):
            raise RuntimeError(f"gunicorn did not start:\n{gunicorn.tail()}")
        processes["gunicorn"] = gunicorn.pid
        proxy = HAProxy([port], maxconn=workers)
        cleanup.callback(proxy.remove)
        proxy.start()
        processes["HAProxy"] = proxy.process.pid
        print(
            f"wrk -> HAProxy :{proxy.port} -> gunicorn :{port} (sync x{workers}) -> {route}",
            flush=True,
        )
        yield FrontDoor(proxy.port, log, processes)


def _levels(door: FrontDoor, script: Path, pages: list[Page], args) -> list[Level]:
    _wrk(door.port, script, connections=4, seconds=5)  # warm-up: connections, caches
    print(f"{'connections':>11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}", flush=True)
    levels = []
    for connections in (int(n) for n in args.levels.split(",")):
        door.access_log.write_text("")
        before = {name: cpu_seconds(pid) for name, pid in door.processes.items()}
        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        output = _wrk(door.port, script, connections=connections, seconds=args.duration)
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        after = {name: cpu_seconds(pid) for name, pid in door.processes.items()}
        figures = wrk.parse(output)
        per_request = 1000 / max(1, figures.requests)
        cpu_ms = {name: (after[name] - before[name]) * per_request for name in after}
        cpu_ms["wrk"] = (
            wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime
        ) * per_request
        time.sleep(0.5)  # the last lines of the access log
        levels.append(Level(connections, figures, _pages_from_log(door.access_log, pages), cpu_ms))
        print(
            f"{connections:11d} {figures.rps:8.0f} {figures.p50_ms:8.1f} "
            f"{figures.p99_ms:8.1f} {figures.errors:7d}",
            flush=True,
        )
        if len(levels) > 1 and figures.rps < 1.05 * levels[-2].figures.rps:
            break  # saturated: more connections only queue longer
    _print_profile(_best(levels) or levels[0])
    return levels


def _print_profile(level: Level) -> None:
    print(
        f"at {level.connections} connections, time in gunicorn by page "
        "(requests, mean ms, p99 ms, share of gunicorn's time):"
    )
    pages = {label: page for label, page in level.pages.items() if not label.startswith("(")}
    total = sum(n * mean for n, mean, _ in pages.values()) or 1
    for label, (n, mean, p99) in sorted(pages.items(), key=lambda i: -i[1][0] * i[1][1]):
        print(f"  {label:24} {n:7d} {mean:8.1f} {p99:8.1f} {n * mean / total:7.0%}")
    if rest := level.pages.get("(all but sign in)"):
        print(f"  {'(all but sign in)':24} {rest[0]:7d} {rest[1]:8.1f} {rest[2]:8.1f}")
    server = sum(ms for name, ms in level.cpu_ms.items() if name != "wrk")
    parts = ", ".join(f"{name} {ms:.1f}" for name, ms in level.cpu_ms.items())
    print(f"CPU ms per request: {parts}; the servers {server:.1f} in all", flush=True)


def _summary(runs: dict, args) -> None:
    per_day, share, burst = args.requests_per_user, args.peak_hour_share, args.burst
    print(
        f"\n== the mix: the highest rate whose p99 stays <= {TARGET_P99_MS:.0f} ms "
        f"(target >= {TARGET_RPS} req/s on two cores)"
    )
    print(
        f"daily active users = rate x 3600 / ({burst:g} x {per_day:g} x {share:g}), assuming "
        f"{per_day:g} requests per active user a day, {share:.0%} of a day's requests in its "
        f"busiest hour, and that hour's busiest minutes at {burst:g}x its average"
    )
    for name, levels in runs.items():
        best = _best(levels)
        # What the servers' CPU per request would allow on two cores with nothing else on
        # them (the load generator's share left out), at the most loaded level measured.
        busiest = max(levels, key=lambda lv: lv.figures.rps)
        server_ms = sum(ms for n, ms in busiest.cpu_ms.items() if n != "wrk")
        ceiling = 2000 / server_ms if server_ms else 0.0
        ceiling_text = (
            f"the servers used {server_ms:.1f} ms CPU per request: two cores of their own "
            f"would top out near {ceiling:.0f} req/s (~{_users(ceiling, args):,.0f} daily "
            "active users)"
        )
        if best is None:
            print(f"  {name}: no level had p99 <= {TARGET_P99_MS:.0f} ms; {ceiling_text}")
            continue
        rps = best.figures.rps
        verdict = "met" if rps >= TARGET_RPS else "MISSED"
        print(
            f"  {name}: {rps:.0f} req/s at {best.connections} connections, p99 "
            f"{best.figures.p99_ms:.0f} ms: target {verdict}; ~{_users(rps, args):,.0f} daily "
            f"active users; {ceiling_text}"
        )


def _users(rps: float, args) -> float:
    return rps * 3600 / (args.burst * args.requests_per_user * args.peak_hour_share)


def _best(levels: list[Level]) -> Level | None:
    within = [lv for lv in levels if lv.figures.p99_ms <= TARGET_P99_MS and not lv.figures.errors]
    return max(within, key=lambda lv: lv.figures.rps, default=None)


def _wrk(port: int, script: Path, *, connections: int, seconds: int) -> str:
    # One wrk thread: it and the servers share two cores, and one thread drives thousands/s.
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
        f"http://{HOST}:{port}",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _pages_from_log(log: Path, pages: list[Page]) -> dict[str, tuple[int, float, float]]:
    labels = {page.path: page.label for page in pages}
    times = defaultdict(list)
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 4:
            times[labels.get(parts[1], parts[1])].append(int(parts[3]) / 1000)
    # Sign-in takes Argon2's time on purpose; at 1 % of the mix it can decide the p99 alone.
    rest = sorted(t for label, values in times.items() if label != "sign in" for t in values)
    if rest:
        times["(all but sign in)"] = rest
    figures = {}
    for label, values in times.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
        figures[label] = (len(values), sum(values) / len(values), p99)
    return figures


def _lua(pages: list[Page], people: dict, *, today: str) -> str:
    """A wrk script picking each request from the mix by weight, as a random seeded user."""
    from accounts.services import session_create

    from . import seed

    clients = [session_create(user=user) for user in people["clients"]]
    therapists = [session_create(user=user) for user in people["therapists"]]
    mix_rows, cumulative = [], 0
    for page in pages:
        cumulative += page.weight
        mix_rows.append(
            "{"
            + ", ".join(json.dumps(v) for v in (cumulative, page.method, page.path, page.who))
            + "}"
        )
    sign_in = (
        f"login={people['sign_in'].email}&password={seed.MIX_PASSWORD}&csrfmiddlewaretoken={CSRF}"
    )
    return f"""-- Generated by benchmarks/mix.py: the evening mix, one request at a time.
local clients = {{{", ".join(json.dumps(k) for k in clients)}}}
local therapists = {{{", ".join(json.dumps(k) for k in therapists)}}}
local mix = {{{", ".join(mix_rows)}}}
local csrf = "{CSRF}"
local sign_in_body = {json.dumps(sign_in)}
local counter, threads = 0, 0
thread_id = 0  -- each thread's own, set by setup()

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + thread_id)
end

local function cookie(keys)
  return "sessionid=" .. keys[math.random(#keys)] .. "; csrftoken=" .. csrf
end

function request()
  counter = counter + 1
  local roll, page = math.random(100), mix[#mix]
  for _, row in ipairs(mix) do
    if roll <= row[1] then page = row break end
  end
  local method, path, who = page[2], page[3], page[4]
  local address = "10." .. math.random(255) .. "." .. math.random(255) .. "." .. math.random(254)
  local headers = {{["Host"] = "{HOST}", ["X-Forwarded-For"] = address}}
  local body = nil
  if who == "client" then headers["Cookie"] = cookie(clients)
  elseif who == "therapist" then headers["Cookie"] = cookie(therapists)
  else headers["Cookie"] = "csrftoken=" .. csrf end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    if who == "anonymous" then body = sign_in_body
    else
      body = "day={today}&moment_kinds=caring&why=bench&moments=mix+" .. thread_id .. "+" ..
        counter .. "&csrfmiddlewaretoken=" .. csrf
    end
  end
  return wrk.format(method, path, headers, body)
end
"""


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--clients", type=int, default=2000, help="seeded users in the mix")
parser.add_argument("--entries", type=int, default=60, help="entries each user has")
parser.add_argument("--per-therapist", type=int, default=20, help="clients a therapist has")
parser.add_argument(
    "--workers",
    default="3",
    help="gunicorn sync workers, 3 as production runs on two cores; several (3,4) run in turn",
)
parser.add_argument("--pool", type=int, default=4, help="PgBouncer's default_pool_size")
parser.add_argument("--levels", default="2,4,8,16,32", help="wrk connections, rising")
parser.add_argument("--duration", type=int, default=10, help="seconds per level")
parser.add_argument("--requests-per-user", type=float, default=30, help="per active user a day")
parser.add_argument("--peak-hour-share", type=float, default=0.15, help="of a day's requests")
parser.add_argument("--burst", type=float, default=2.0, help="busiest minutes / hour's average")
parser.add_argument("--only", choices=["pgbouncer", "direct"], help="run one of the two")

if __name__ == "__main__":
    run(parser.parse_args())
    sys.exit(0)
