"""Run the web server, the Celery worker and beat until Ctrl-C, SIGTERM or SIGHUP, or until
one of them exits; then stop all three within STOP_SECONDS, leaving no process behind.

Started by scripts/run, which sets PORT. Each process runs in a session of its own, so a
signal meant for scripts/run (Ctrl-C in the terminal, `timeout`, a closing terminal) never
reaches the worker's pool processes directly: a pool process killed while it holds the
pool's queue lock leaves the worker stuck in billiard's `Pool._help_stuff_finish` for good.
Only the worker's main process gets SIGTERM, Celery's warm shutdown (no new task; running
ones finish; reserved ones go back to the queue). Whatever is still alive at the deadline is
killed with SIGKILL, whole process group (pool processes, runserver's autoreload child).
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field

STOP_SECONDS = 8.0  # the worker's grace; everything has stopped within 10 s of the signal
PY = sys.executable


@dataclass
class Managed:
    name: str
    argv: list[str]
    signal_whole_group: bool  # False: only the group leader gets SIGTERM
    popen: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> None:
        self.popen = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, start_new_session=True)

    def running(self) -> bool:
        return self.popen.poll() is None

    def signal(self, sig: int, *, whole_group: bool) -> None:
        with suppress(ProcessLookupError):
            if whole_group:
                os.killpg(self.popen.pid, sig)
            else:
                self.popen.send_signal(sig)


def managed() -> list[Managed]:
    port = os.environ.get("PORT", "8000")
    celery = [PY, "-m", "celery", "-A", "selfhelp"]
    return [
        Managed("worker", [*celery, "worker", "--loglevel=INFO", "--concurrency=2"], False),
        Managed("beat", [*celery, "beat", "--loglevel=INFO"], True),
        Managed("web", [PY, "manage.py", "runserver", f"127.0.0.1:{port}"], True),
    ]


_signals: list[str] = []  # names of the signals received, in order


def _note_signal(signum, frame) -> None:
    _signals.append(signal.Signals(signum).name)


def _stop_all(processes: list[Managed]) -> None:
    for process in processes:
        process.signal(signal.SIGTERM, whole_group=process.signal_whole_group)
    deadline = time.monotonic() + STOP_SECONDS
    signals_before = len(_signals)
    while any(p.running() for p in processes) and time.monotonic() < deadline:
        if len(_signals) > max(signals_before, 1):
            print("Stopping now.", flush=True)  # a second Ctrl-C: no more waiting
            break
        time.sleep(0.1)
    for process in processes:
        if process.running():
            print(f"{process.name} did not stop in time: killed.", flush=True)
        # Also whatever a stopped leader left behind in its group.
        process.signal(signal.SIGKILL, whole_group=True)
        process.popen.wait()


def main() -> int:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _note_signal)
    processes = managed()
    try:
        for process in processes:
            process.start()
        while not _signals and all(p.running() for p in processes):
            time.sleep(0.2)
        exited = [f"{p.name} (code {p.popen.returncode})" for p in processes if not p.running()]
        if _signals:
            print(f"{_signals[0]}: stopping web, worker and beat.", flush=True)
    finally:
        _stop_all([p for p in processes if p.popen is not None])
    if _signals:
        return 0
    print(f"Stopped web, worker and beat because {', '.join(exited)} exited.", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
