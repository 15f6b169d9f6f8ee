"""`scripts/run` as a new user runs it: it serves, and Ctrl-C or SIGTERM stops the web server,
the worker and beat within ten seconds, with no process left behind, so a second run starts
cleanly. Each run gets its own var/ folder and a free port, on the embedded defaults."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.services import require

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[2]
STOPPED_WITHIN = 10  # seconds


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_with(marker: bytes) -> dict[int, str]:
    """Living processes whose environment holds `marker`, with their command lines."""
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        with suppress(OSError):
            if marker in (proc / "environ").read_bytes().split(b"\0"):
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
    return {pid: cmd.decode(errors="replace") for pid, cmd in found.items()}


def _page(port: int, path: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


class Run:
    def __init__(self, var_dir: Path, log: Path, **env: str):
        self.port = _free_port()
        self.marker = f"VAR_DIR={var_dir}".encode()
        self.log = log
        base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
        env = {**base, "VAR_DIR": str(var_dir), "PORT": str(self.port), **env}
        with log.open("ab") as out:
            # A session of its own, as a terminal gives its foreground job a process group.
            self.popen = subprocess.Popen(
                ["bash", "scripts/run"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def processes(self) -> dict[int, str]:
        return _processes_with(self.marker)

    def wait_until_serving(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.popen.poll() is None, self.output()[-3000:]
            output = self.output()
            started = " ready." in output and "beat: Starting" in output
            with suppress(OSError):
                if started and "Get help now" in _page(self.port, "/help/"):
                    return
            time.sleep(0.5)
        raise AssertionError(f"scripts/run did not start:\n{self.output()[-3000:]}")

    def stop(self, sig: int) -> float:
        """Send `sig` to the run's process group, as a terminal or `timeout` does; return
        the seconds until no process of the run is left."""
        started = time.monotonic()
        os.killpg(self.popen.pid, sig)
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=STOPPED_WITHIN + 5)
        while self.processes() and time.monotonic() - started < STOPPED_WITHIN + 5:
            time.sleep(0.1)
        return time.monotonic() - started

    def kill(self) -> None:
        for pid in self.processes():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def start_run(tmp_path_factory) -> Iterator:
    require(
        "Linux's /proc and the project's .venv",
        sys.platform == "linux" and (ROOT / ".venv/bin/python").exists(),
        "run scripts/test, which makes .venv",
    )
    folder = tmp_path_factory.mktemp("run")  # one var/ for every run: migrated once
    runs = []

    @contextmanager
    def start(**env: str) -> Iterator[Run]:
        run = Run(folder / "var", folder / f"run{len(runs)}.log", **env)
        runs.append(run)
        run.wait_until_serving()
        yield run

    yield start
    for run in runs:
        run.kill()


def _roles(run: Run) -> list[str]:
    names = {"worker": "celery -A selfhelp worker", "beat": "celery -A selfhelp beat"}
    names["web"] = "manage.py runserver"
    return sorted(
        role for cmd in run.processes().values() for role, text in names.items() if text in cmd
    )


def _worker_env(run: Run, name: str) -> str | None:
    worker = next(pid for pid, cmd in run.processes().items() if "selfhelp worker" in cmd)
    variables = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
    return next((v.decode() for v in variables if v.startswith(f"{name}=".encode())), None)


EVERY_PROCESS = ["beat", "web", "web", "worker", "worker", "worker"]


def test_run_stops_cleanly_on_sigterm_and_ctrl_c_and_links_emails_to_its_port(start_run):
    with start_run() as run:
        # The worker's main process and two pool processes, runserver and its autoreloader.
        assert _roles(run) == EVERY_PROCESS
        # Links in emails point at the port it serves.
        assert _worker_env(run, "SITE_URL") == f"SITE_URL=http://127.0.0.1:{run.port}"
        assert run.stop(signal.SIGTERM) < STOPPED_WITHIN  # as `timeout` or systemd stops it
        assert (run.processes(), run.popen.returncode) == ({}, 0)

    with start_run() as second:
        assert _roles(second) == EVERY_PROCESS
        assert second.stop(signal.SIGINT) < STOPPED_WITHIN  # Ctrl-C in the terminal
        assert (second.processes(), second.popen.returncode) == ({}, 0)

    with start_run(SITE_URL="https://closer.example") as third:
        assert _roles(third) == EVERY_PROCESS
        # Unless the operator set SITE_URL.
        assert _worker_env(third, "SITE_URL") == "SITE_URL=https://closer.example"
        third.stop(signal.SIGTERM)
