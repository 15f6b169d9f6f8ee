"""Logged-in users driving the site over HTTP on 127.0.0.1, from threads of this process.

Every load is bounded twice: by a deadline and by a number of requests per user.
"""

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode, urlsplit

from .infra import HOST

CSRF = "drillsdrillsdrillsdrillsdrills32"  # 32 characters, as Django's unmasked secret
TIMEOUT = 30.0
# What must never reach a user: the debug page, a traceback, the database's own words.
LEAKS = (b"Traceback", b"Exception Value", b"psycopg", b"OperationalError", b"/site-packages/")
OUR_500 = b"Something went wrong on our side"


@dataclass
class Answer:
    method: str
    path: str
    status: int  # 0 when no HTTP answer came back (refused, reset, timed out)
    body: bytes
    location: str
    started: float  # time.monotonic() when the request was sent
    elapsed: float
    error: str = ""
    text: str = ""  # the entry text a POST carried, to look for it in the database
    server: str = ""  # which web server answered, behind a proxy that says so (X-Server)

    @property
    def leaks(self) -> list[str]:
        return [leak.decode() for leak in LEAKS if leak in self.body]


class Visitor:
    """One user's browser: their session cookie and a CSRF cookie, a request at a time."""

    def __init__(self, port: int, session_key: str):
        self.port = port
        self.cookie = f"sessionid={session_key}; csrftoken={CSRF}"

    def get(self, path: str) -> Answer:
        return self._request("GET", path, None)

    def post(self, path: str, form: dict) -> Answer:
        return self._request("POST", path, urlencode({**form, "csrfmiddlewaretoken": CSRF}, True))

    def _request(self, method: str, path: str, body: str | None) -> Answer:
        headers = {"Cookie": self.cookie, "Host": HOST, "Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            return Answer(
                method,
                path,
                response.status,
                content,
                response.getheader("Location", ""),
                started,
                time.monotonic() - started,
                server=response.getheader("X-Server", ""),
            )
        except (OSError, http.client.HTTPException) as error:
            error_text = f"{type(error).__name__}: {error}"
            return Answer(method, path, 0, b"", "", started, time.monotonic() - started, error_text)
        finally:
            conn.close()


def gratitude_form(moments: str, *, day: date) -> dict:
    return {"day": day.isoformat(), "moment_kinds": "caring", "moments": moments, "why": "drill"}


def saved(answer: Answer) -> bool:
    """The gratitude form's success: a redirect to today's page (`/?saved=<id>`)."""
    return answer.status == 302 and urlsplit(answer.location).path == "/"


def entries_stored(report, accepted: set[str], prefix: str) -> tuple[list[str], list[str]]:
    """Compare the entry texts whose POST was accepted with those stored (texts starting with
    `prefix`); report the counts and return (missing, doubled)."""
    from journal.models import Entry

    # Entry texts are stored encrypted, so SQL cannot match their start: each gratitude
    # entry's text is read back (decrypted) and matched here.
    texts = Entry.objects.filter(kind="gratitude").values_list("moments", flat=True)
    stored = Counter(text for text in texts.iterator(chunk_size=2000) if text.startswith(prefix))
    missing = sorted(accepted - set(stored))
    doubled = sorted(text for text, count in stored.items() if count > 1)
    unacknowledged = set(stored) - accepted
    report.found(
        f"entries: {len(accepted)} accepted, {sum(stored.values())} stored, {len(missing)} "
        f"missing, {len(doubled)} doubled, {len(unacknowledged)} stored but never acknowledged",
        accepted=len(accepted),
        missing=len(missing),
        doubled=len(doubled),
    )
    return missing, doubled


def run_users(
    count: int,
    step: Callable[[int, int], None],
    *,
    seconds: float,
    max_steps: int,
    stop: threading.Event | None = None,
) -> None:
    """Run `step(user_index, step_index)` in `count` threads until the deadline, `max_steps`
    per user, or `stop` is set; returns when every thread has finished."""
    deadline = time.monotonic() + seconds
    stop = stop or threading.Event()

    def user(index: int) -> None:
        for number in range(max_steps):
            if stop.is_set() or time.monotonic() >= deadline:
                return
            step(index, number)

    threads = [threading.Thread(target=user, args=[i], daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * TIMEOUT)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
