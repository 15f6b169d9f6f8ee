"""Seed realistic data, serve it with gunicorn, load it with wrk, and print a table.

Run through scripts/bench, which points it at PostgreSQL and Redis on loopback.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import session_create
from benchmarks import seed, wrk

HOST = "127.0.0.1"
# The page ratios the issue first asked for, on a 2-core machine like ours: all met, and
# retired; printed for information. The speed target is now the traffic mix (bench_mix).
SHARE_OF_BARE = 0.20
TIMES_NAIVE = 2.0
P99_TIMES_BARE = 10.0


@dataclass
class Page:
    label: str
    url_name: str
    who: str
    method: str = "GET"
    args: tuple = ()
    query: str = ""


@dataclass
class Result:
    page: Page
    path: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    queries: int | None = None


def pages(lesson_slug: str) -> list[Page]:
    return [
        Page("bare view", "benchmarks:bare", "typical"),
        Page("naive 20-row page", "benchmarks:naive", "typical"),
        Page("home / today", "home", "typical"),
        Page("timeline, 10 entries", "journal:timeline", "small"),
        Page("timeline, 100,000 entries", "journal:timeline", "big"),
        Page("insights", "journal:insights", "typical"),
        Page("lesson page", "lessons:detail", "typical", args=(lesson_slug,)),
        Page("therapist dashboard, 1 client", "sharing:clients", "therapist-1"),
        Page("therapist dashboard, 200 clients", "sharing:clients", "therapist-200"),
        Page("save gratitude (POST)", "journal:gratitude_new", "writer", method="POST"),
    ]


class Command(BaseCommand):
    help = "Benchmark every main page against a bare Django view (prints a table)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="load only pages whose label contains this (repeatable); "
            "the bare view and the naive page always run",
        )

    def handle(self, *args, **options):
        if not settings.BENCH_VIEWS:
            raise CommandError("Set BENCH_VIEWS=true (scripts/bench does).")
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install -y wrk")
        self.stdout.write(f"database: {connection.vendor}; broker: {settings.CELERY_BROKER_URL}")
        people = self._seed()
        lesson_slug = self._first_lesson_slug()
        chosen = [p for p in pages(lesson_slug) if _chosen(p, options["only"])]
        results = [self._queries(Result(p, ""), people) for p in chosen]
        results = [r for r in results if r.path]
        with self._gunicorn(options) as base_url:
            for result in results:
                self._load(result, people, base_url, options)
        self._print(results, options)

    def _seed(self) -> dict:
        started = time.monotonic()
        people = seed.seed_people(today=timezone.now().date())
        people.update(seed.seed_therapists(today=timezone.now().date()))
        if connection.vendor == "postgresql":
            # Fresh bulk inserts leave the planner guessing (it scanned all 100,000 entries
            # for one page), and an earlier run's bench_nudges leaves 100,000 deleted users
            # (the dashboard's join read past all of them); in production autovacuum keeps
            # the statistics current and the dead rows cleared, as this does once. VACUUM
            # leaves the few hundred users left spread over the 11 MB those 100,000 took,
            # a table no real site has (a small one is compact, a large one full), and over
            # it the planner read every page of it for the dashboard (7 ms instead of 0.3):
            # VACUUM FULL compacts it, in an instant at this size.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM FULL {User._meta.db_table}")
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"seeded in {time.monotonic() - started:.1f}s")
        return {name: (user, session_create(user=user)) for name, user in people.items()}

    def _first_lesson_slug(self) -> str:
        from lessons.models import Lesson

        lesson = Lesson.objects.filter(is_published=True).order_by("position").first()
        if lesson is None:
            raise CommandError("No lessons loaded: run manage.py load_lessons first.")
        return lesson.slug

    def _queries(self, result: Result, people: dict) -> Result:
        """Resolve the page's URL and count its queries with Django's test client."""
        page = result.page
        try:
            result.path = reverse(page.url_name, args=page.args) + page.query
        except NoReverseMatch:
            self.stdout.write(f"skipped {page.label}: {page.url_name} does not exist yet")
            return result
        client = Client(SERVER_NAME="localhost")
        client.force_login(people[page.who][0])
        send = (
            (lambda: client.post(result.path, self._gratitude_form()))
            if page.method == "POST"
            else (lambda: client.get(result.path))
        )
        send()  # a first visit may write once (a lesson is marked started); count the next
        with CaptureQueriesContext(connection) as captured:
            response = send()
        if response.status_code >= 400:
            raise CommandError(f"{page.label}: {result.path} answered {response.status_code}")
        result.queries = len(captured)
        return result

    @staticmethod
    def _gratitude_form() -> dict:
        return {
            "day": timezone.now().date().isoformat(),
            "moment_kinds": "caring",
            "moments": "Made dinner",
        }

    def _gunicorn(self, options):
        port = options["port"]
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "selfhelp.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(options["workers"]),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ]
        return _Server(command, f"http://{HOST}:{port}")

    def _load(self, result: Result, people: dict, base_url: str, options: dict) -> None:
        _, session_key = people[result.page.who]
        csrf = "b" * 32
        cookie = f"sessionid={session_key}; csrftoken={csrf}"
        args = [
            "wrk",
            "-t2",
            f"-c{options['connections']}",
            f"-d{options['duration']}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
        ]
        with tempfile.TemporaryDirectory() as scratch:
            if result.page.method == "POST":
                script = Path(scratch) / "post.lua"
                script.write_text(_post_script(self._gratitude_form(), csrf))
                args += ["-s", str(script)]
            output = subprocess.run(
                [*args, base_url + result.path], capture_output=True, text=True, check=True
            ).stdout
        _parse_wrk(output, result)

    def _print(self, results: list[Result], options: dict) -> None:
        bare = next(r for r in results if r.page.url_name == "benchmarks:bare")
        naive = next(r for r in results if r.page.url_name == "benchmarks:naive")
        self.stdout.write(
            f"\ngunicorn sync x{options['workers']}, wrk 2 threads x {options['connections']} "
            f"connections, {options['duration']}s per page, 127.0.0.1\n"
        )
        header = (
            f"{'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7} "
            f"{'x naive':>8} {'queries':>8} {'errors':>7}  old ratios (for information)"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            share, times_naive = r.rps / bare.rps, r.rps / naive.rps
            verdict = _ratios(r, bare, share, times_naive)
            self.stdout.write(
                f"{r.page.label:34} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} {share:7.2f} "
                f"{times_naive:8.2f} {r.queries!s:>8} {r.errors:7d}  {verdict}"
            )
        self.stdout.write(
            f"\nold ratios, for information (met and retired; the target is the traffic mix "
            f"below): >= {SHARE_OF_BARE:.0%} of the bare view's req/s, >= "
            f"{TIMES_NAIVE:.0f}x the naive page's, p99 <= {P99_TIMES_BARE:.0f}x "
            "the bare view's p99, queries constant in data size (compare the timeline rows)."
        )


def _chosen(page: Page, only: list[str]) -> bool:
    if page.url_name in ("benchmarks:bare", "benchmarks:naive") or not only:
        return True
    return any(part in page.label for part in only)


def _ratios(r: Result, bare: Result, share: float, times_naive: float) -> str:
    if r is bare or r.page.url_name == "benchmarks:naive":
        return "(reference)"
    outside = []
    if share < SHARE_OF_BARE:
        outside.append("throughput < 20% bare")
    if times_naive < TIMES_NAIVE:
        outside.append("< 2x naive")
    if r.p99_ms > P99_TIMES_BARE * bare.p99_ms:
        outside.append("p99 > 10x bare")
    if r.errors:
        outside.append(f"{r.errors} errors")
    return "within" if not outside else "outside: " + ", ".join(outside)


def _post_script(form: dict, csrf: str) -> str:
    """A wrk script that posts the form, with the CSRF token matching the cookie."""
    body = "&".join(
        f"{k}={v.replace(' ', '+')}" for k, v in {**form, "csrfmiddlewaretoken": csrf}.items()
    )
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    )


def _parse_wrk(output: str, result: Result) -> None:
    figures = wrk.parse(output)
    result.rps, result.p50_ms, result.p99_ms = figures.rps, figures.p50_ms, figures.p99_ms
    result.errors = figures.errors


class _Server:
    """gunicorn in a child process for the length of the `with` block."""

    def __init__(self, command: list[str], base_url: str):
        self.command, self.base_url = command, base_url

    def __enter__(self) -> str:
        self.process = subprocess.Popen(self.command)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base_url + "/bench/bare/", timeout=1)
                return self.base_url
            except OSError:
                time.sleep(0.3)
        self.process.kill()
        raise CommandError("gunicorn did not start within 30 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
