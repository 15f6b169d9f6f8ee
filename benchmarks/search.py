"""What a search of a 100,000-entry journal costs, now that its text is encrypted.

One person's journal of N entries is seeded once (kept for the next run) with text drawn
from the lessons' own words, common ones often and rare ones seldom, as people write. Each
search then loads the journal page with `?q=` in this process, as a browser would get it
(the page rendered, the cache off), and the times are reported as p50, p99 and max for
searches of a common word, a rarer one, one no entry holds, two words, and a word's
beginning. For comparison it times the search as it was before encryption: the same
entries' plain text in a table of their own, matched with SQL's case-blind LIKE on every
searchable column (Django's icontains), first page only.
"""

import random
import re
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from journal import search
from journal.kinds import searchable_fields
from journal.models import Entry

from .seed import user_create

EMAIL = "search@bench.invalid"
BATCH = 2_000
PLAIN = "bench_search_plain"  # the "before" table: the same text, not encrypted
QUERIES = {
    "common word": "partner",
    "rarer word": "{rare}",
    "no match": "xylophone",
    "two words": "partner {rare}",
    "word beginning": "comfor",
}


def vocabulary() -> list[str]:
    """The lessons' words, most frequent first (the search bench writes with them)."""
    text = " ".join(p.read_text() for p in Path(settings.BASE_DIR, "lessons/content").rglob("*.md"))
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]{3,}", text.lower()):
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)


def _sentence(words: list[str], weights: list[float], rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(words, weights, k=n)).capitalize()


def journal_seed(*, count: int, today: date, seed: int = 7) -> tuple[int, str]:
    """The bench person's id and a word a handful of their entries hold."""
    user = user_create(email=EMAIL)
    words = vocabulary()
    rare = words[len(words) // 2]
    if Entry.objects.filter(user=user).count() == count:
        return user.pk, rare
    Entry.with_deleted.filter(user=user).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}")
        columns = ", ".join(f"{name} text NOT NULL DEFAULT ''" for name in searchable_fields())
        cursor.execute(
            f"CREATE TABLE {PLAIN} (id bigint PRIMARY KEY, user_id bigint, day date, "
            f"created_at timestamptz, {columns})"
        )
        cursor.execute(f"CREATE INDEX ON {PLAIN} (user_id, day DESC, created_at DESC)")
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf: a few words are most
    per_day = max(1, count // 730)
    for start in range(0, count, BATCH):
        batch = [
            Entry(
                user=user,
                kind="gratitude",
                day=today - timedelta(days=n // per_day),
                moment_kinds=["caring"],
                moments=_sentence(words, weights, rng, rng.randint(6, 18)),
                why=_sentence(words, weights, rng, rng.randint(4, 12)),
            )
            for n in range(start, min(start + BATCH, count))
        ]
        with transaction.atomic():
            Entry.objects.bulk_create(batch)
            _copy_in(batch)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PLAIN}")
        cursor.execute("ANALYZE journal_searchword")
        cursor.execute("ANALYZE journal_entry")
    return user.pk, rare


def _copy_in(entries: list[Entry]) -> None:
    """The entries' index words and plain copies, with COPY (a seed of millions of rows)."""
    with connection.cursor() as cursor:
        with cursor.copy("COPY journal_searchword (entry_id, token) FROM STDIN") as copy:
            for entry in entries:
                for token in search.entry_tokens(entry):
                    copy.write_row((entry.pk, token))
        columns = "id, user_id, day, created_at, moments, why"
        with cursor.copy(f"COPY {PLAIN} ({columns}) FROM STDIN") as copy:
            for e in entries:
                copy.write_row((e.pk, e.user_id, e.day, e.created_at, e.moments, e.why))


def _plain_search(user_id: int, query: str) -> None:
    """The search before encryption: icontains on every searchable column, first page."""
    match = " OR ".join(f"UPPER({name}) LIKE UPPER(%s)" for name in searchable_fields())
    pattern = f"%{query}%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {PLAIN} WHERE user_id = %s AND ({match}) "
            "ORDER BY day DESC, created_at DESC LIMIT 21",
            [user_id, *[pattern] * len(searchable_fields())],
        )
        cursor.fetchall()


def _timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _row(label: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return (
        f"{label:<34} p50 {statistics.median(ms):7.1f} ms  p99 {p99:7.1f} ms  max {ms[-1]:7.1f} ms"
    )


@override_settings(ALLOWED_HOSTS=["*"])
def run(*, count: int, runs: int, today: date, out) -> float:
    """Seed (once), time, print; returns the p99 in seconds over every search of the page."""
    started = time.perf_counter()
    user_id, rare = journal_seed(count=count, today=today)
    out(f"journal of {count:,} entries ready in {time.perf_counter() - started:.0f} s")
    browser = Client()
    browser.force_login(Entry.objects.filter(user_id=user_id).first().user)
    url = reverse("journal:timeline")
    out(_row("the page, no search", _timed(lambda: browser.get(url), runs)))
    every = []
    for label, query in QUERIES.items():
        query = query.format(rare=rare)
        page = browser.get(url, {"q": query})
        assert page.status_code == 200, page.status_code
        times = _timed(lambda q=query: browser.get(url, {"q": q}), runs)
        every += times
        before = _timed(lambda q=query: _plain_search(user_id, q), runs)
        out(_row(f"{label} ({query!r})", times) + "   before: " + _row("", before).strip())
    out(_row("every search of the page", every))
    ms = sorted(every)
    return ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
