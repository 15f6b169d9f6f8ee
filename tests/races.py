"""Two requests at the same moment, for the race tests on real PostgreSQL (require_postgres):
each runs in a thread of its own, on its own database connection, as two requests would."""

import threading
from collections.abc import Callable
from time import sleep

from django.db import connection
from django.test import Client

from core import links


class Race:
    """Actions started one after another, then waited for together. What became of each is
    "done", the words it was refused in (core.links.InvitationRefused), or any other error as
    its repr: the error page a person would have met."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}
        self.paused = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, name: str, action: Callable[[], object]) -> None:
        """Run `action` in a thread called `name`, the name pause_before looks for."""
        thread = threading.Thread(target=self._run, args=[name, action], name=name)
        self._threads.append(thread)
        thread.start()

    def pause_before[**P, R](
        self, function: Callable[P, R], *, thread: str, seconds: float = 1.0
    ) -> Callable[P, R]:
        """`function`, but the first time the thread called `thread` calls it, the thread
        sets `paused` and waits `seconds` first, as a slow moment of a real request would;
        every other call goes straight through."""

        def slow(*args: P.args, **kwargs: P.kwargs) -> R:
            if threading.current_thread().name == thread and not self.paused.is_set():
                self.paused.set()
                sleep(seconds)
            return function(*args, **kwargs)

        return slow

    def finish(self, timeout: float = 20) -> dict[str, str]:
        for thread in self._threads:
            thread.join(timeout=timeout)
        return self.outcomes

    def _run(self, name: str, action: Callable[[], object]) -> None:
        try:
            action()
            self.outcomes[name] = "done"
        except links.InvitationRefused as refused:
            self.outcomes[name] = str(refused)
        except Exception as error:
            self.outcomes[name] = repr(error)
        finally:
            connection.close()


def just_before(monkeypatch, module, name: str, action: Callable[[], object]) -> None:
    """`module.<name>` (a service), but `action` runs an instant before its first call:
    another tab's request that comes between a view's load and its save, in one thread on
    any database. The action may call the same service (the same form sent from two tabs)."""
    real = getattr(module, name)

    def after_the_action(**kwargs):
        monkeypatch.setattr(module, name, real)
        action()
        return real(**kwargs)

    monkeypatch.setattr(module, name, after_the_action)


def edit_while_deleted(monkeypatch, module, service: str, *, user, edit: str, delete: str, data):
    """`user`'s edit (a POST of `data` to `edit`) loads its row, then waits before
    `module.<service>` saves it while their delete (a POST to `delete`), in a request of its
    own, commits. Returns what became of each (Race.finish) and each one's response."""
    race, answers = Race(), {}
    monkeypatch.setattr(module, service, race.pause_before(getattr(module, service), thread="edit"))

    def post(name: str, url: str, data: dict) -> None:
        browser = Client()
        browser.force_login(user)
        answers[name] = browser.post(url, data)

    race.start("edit", lambda: post("edit", edit, data))
    race.paused.wait(timeout=20)
    race.start("delete", lambda: post("delete", delete, {}))
    return race.finish(), answers
