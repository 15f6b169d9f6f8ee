"""The CPU each page of the evening mix costs in this process, and its queries.

No server and no load: each page is asked for through Django's test client by many seeded
readers in turn, after a warm-up, and time.process_time() is read around each request, so
the figures are Django's own work (views, templates, the ORM, psycopg) without gunicorn,
the network or another process's turn on the CPU. Run it on its own database, e.g.:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/closer_mine REDIS_URL=redis://127.0.0.1:6379/9 \
    DJANGO_DEBUG=false DJANGO_HTTPS=false BENCH_VIEWS=true DJANGO_SECRET_KEY=... \
    CLOSER_ENCRYPTION_KEYS=... .venv/bin/python manage.py bench_pages --profile today

The first run creates the database, loads the lessons and seeds it (benchmarks/seed.py
`seed_mix`); later runs reuse it.
"""

import cProfile
import io
import pstats
import statistics
import time
from itertools import cycle

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.services import session_create
from benchmarks import seed
from benchmarks.mix import Page, mix
from journal.models import Entry


class Command(BaseCommand):
    help = "Time each page of the evening mix in this process: CPU ms and queries (a table)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=200, help="timed per page")
        parser.add_argument("--warm-up", type=int, default=30, help="untimed per page first")
        parser.add_argument("--clients", type=int, default=200, help="seeded on the first run")
        parser.add_argument("--entries", type=int, default=60, help="each seeded client has")
        parser.add_argument("--only", action="append", default=[], help="labels containing")
        parser.add_argument(
            "--profile", help="cProfile the timed requests of the page whose label contains this"
        )
        parser.add_argument("--lines", type=int, default=40, help="of the profile, printed")

    def handle(self, *args, **options):
        if not settings.BENCH_VIEWS or settings.DEBUG:
            raise CommandError("Set BENCH_VIEWS=true and DJANGO_DEBUG=false.")
        people = self._people(options)
        lesson = _first_lesson_slug()
        # Sign-in is left out: it is Argon2's time on purpose, and allauth's limit of 30 a
        # minute from one address would stop it here.
        pages = [Page("bare view", 0, "GET", "/bench/bare/", "client")]
        pages += [p for p in mix(lesson) if p.who != "anonymous"]
        if options["profile"]:
            found = [p for p in pages if _picked(p, [options["profile"]])]
            if len(found) != 1:
                labels = ", ".join(p.label for p in pages)
                raise CommandError(f"--profile names one of: {labels}.")
            return self._profile(found[0], people, options)
        chosen = [p for p in pages if not options["only"] or _picked(p, options["only"])]
        header = f"{'page':24} {'median ms':>9} {'p90 ms':>7} {'queries':>7}"
        self.stdout.write(f"{options['requests']} requests a page, CPU of this process\n{header}")
        for page in chosen:
            newest = Entry.with_deleted.order_by("-pk").values_list("pk", flat=True).first()
            times, queries = self._measure(page, people, options)
            # What the POSTs saved goes, so that every run's Today shows the same entries.
            Entry.with_deleted.filter(pk__gt=newest or 0).delete()
            median = statistics.median(times) * 1000
            p90 = statistics.quantiles(times, n=10)[-1] * 1000
            self.stdout.write(f"{page.label:24} {median:9.2f} {p90:7.2f} {queries:7d}")

    def _people(self, options) -> dict:
        if connection.vendor == "postgresql":
            _database_create(settings.DATABASES["default"]["NAME"])
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_lessons", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, as served
        if not User.objects.filter(email="mix-sign-in@example.com").exists():
            started = time.monotonic()
            seed.seed_mix(
                today=timezone.now().date(),
                clients=options["clients"],
                entries=options["entries"],
                per_therapist=20,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"seeded in {time.monotonic() - started:.0f}s")
        clients = User.objects.filter(email__startswith="mix-client-").order_by("pk")
        therapists = User.objects.filter(email__startswith="mix-therapist-").order_by("pk")
        return {"client": list(clients), "therapist": list(therapists)}

    def _measure(self, page: Page, people: dict, options) -> tuple[list[float], int]:
        send = _sender(page, people)
        for _ in range(options["warm_up"]):
            send()
        times = []
        for _ in range(options["requests"]):
            started = time.process_time()
            send()
            times.append(time.process_time() - started)
        with CaptureQueriesContext(connection) as captured:
            send()
        return times, len(captured)

    def _profile(self, page: Page, people: dict, options) -> None:
        send = _sender(page, people)
        for _ in range(options["warm_up"]):
            send()
        profile = cProfile.Profile(time.process_time)  # CPU, as the table counts
        profile.enable()
        for _ in range(options["requests"]):
            send()
        profile.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(options["lines"])
            self.stdout.write(out.getvalue())


def _sender(page: Page, people: dict):
    """A function asking for the page once, each time as the next reader, by their session
    cookie through one client (a client of its own would load the middleware again)."""
    client = Client(SERVER_NAME="localhost")
    sessions = cycle([session_create(user=user) for user in people[page.who]])
    today = timezone.now().date().isoformat()
    form = {"day": today, "moment_kinds": "caring", "why": "bench", "moments": "bench"}

    def send():
        client.cookies[settings.SESSION_COOKIE_NAME] = next(sessions)
        if page.method == "POST":
            return _checked(page, client.post(page.path, form))
        return _checked(page, client.get(page.path))

    return send


def _checked(page: Page, response):
    if response.status_code >= 400 or (page.method == "GET" and response.status_code != 200):
        raise CommandError(f"{page.label}: {page.path} answered {response.status_code}")
    return response


def _picked(page: Page, only: list[str]) -> bool:
    return any(part in page.label for part in only)


def _first_lesson_slug() -> str:
    from lessons.models import Lesson

    return Lesson.objects.filter(is_published=True).order_by("position").first().slug


def _database_create(name: str) -> None:
    url = settings.DATABASES["default"]
    server = f"postgres://{url['USER']}@{url['HOST']}:{url['PORT']}/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
