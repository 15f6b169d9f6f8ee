"""Throwaway PostgreSQL and Redis servers, and the app's processes running on them.

Nothing here stops or restarts the machine's own servers: every drill gets its own cluster
(initdb into a temporary folder) and its own redis-server, on free ports on 127.0.0.1, and
removes them, with every process it started, when it ends.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SECRET_KEY = "drills-only-secret-key-never-used-anywhere-else-0123456789abcdef"
# What the drill's own process (seeding, counting) and the servers it starts share.
APP_ENV = {
    "DJANGO_SETTINGS_MODULE": "selfhelp.settings",
    "DJANGO_DEBUG": "false",  # errors must look as they do in production: no debug page
    "DJANGO_HTTPS": "false",  # plain HTTP on loopback
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    "PYTHONUNBUFFERED": "1",
}
# Settings from the caller's shell that would point the app somewhere else.
FOREIGN_ENV = ("EMAIL_HOST", "DJANGO_ALLOWED_HOSTS", "BENCH_VIEWS", "SITE_URL")


class DrillError(RuntimeError):
    """The drill could not set itself up (a missing binary, a server that did not start)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.1):
    """Poll `condition` until it is truthy (returned) or `timeout` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while True:
        if value := condition():
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise DrillError(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")
    return result


# Redis ---------------------------------------------------------------------------------------


class ThrowawayRedis:
    """A redis-server without persistence on a free port: stopping it loses what it held."""

    def __init__(self, workdir: Path):
        if not shutil.which("redis-server"):
            raise DrillError("redis-server is missing: apt-get install -y redis-server")
        self.port = free_port()
        self.dir = workdir / "redis"
        self.dir.mkdir()
        self.pidfile = self.dir / "redis.pid"

    def url(self, db: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{db}"

    def start(self) -> None:
        _run(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "yes",
                "--dir", str(self.dir),
                "--pidfile", str(self.pidfile),
                "--logfile", str(self.dir / "redis.log"),
            ]
        )  # fmt: skip
        if not wait_until(self.is_up, timeout=10):
            raise DrillError(f"redis-server on port {self.port} did not start")

    def is_up(self) -> bool:
        ping = subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return ping.stdout.strip() == "PONG"

    def stop(self) -> None:
        """Shut it down at once, dropping everything it held (as a crash would)."""
        subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
        )
        if wait_until(lambda: not self.is_up(), timeout=10) is None:
            self.kill()

    def kill(self) -> None:
        with suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.kill(int(self.pidfile.read_text()), signal.SIGKILL)


# PostgreSQL ----------------------------------------------------------------------------------


def _postgres_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    raise DrillError("PostgreSQL server binaries are missing: apt-get install -y postgresql")


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (initdb into a temporary folder) on a free port.

    PostgreSQL refuses to run as root, so as root its files belong to, and its commands run
    as, the `postgres` user.
    """

    def __init__(self):
        self.bin = _postgres_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="closer-drill-pg-"))
        self.data = self.dir / "data"
        self._as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _pg(self, *argv: str) -> None:
        # Output goes to a file, not a pipe: a server started by pg_ctl would hold a pipe open.
        command = [*self._as_owner, str(self.bin / argv[0]), *argv[1:]]
        with (self.dir / "commands.log").open("a+") as output:
            start = output.tell()
            if subprocess.run(command, cwd=self.dir, stdout=output, stderr=output).returncode:
                output.seek(start)
                raise DrillError(f"{' '.join(command)} failed:\n{output.read()}")

    def start(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST}"
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    @property
    def log(self) -> Path:
        return self.dir / "postgres.log"

    def restart(self) -> None:
        """Fast restart: open connections are cut, then the server comes back on the same port."""
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart")

    def is_up(self) -> bool:
        ready = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", HOST, "-p", str(self.port), "-q"],
            capture_output=True,
        )
        return ready.returncode == 0

    def create_database(self, name: str) -> None:
        self._pg("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", name)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(DrillError):
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


# The app's processes -------------------------------------------------------------------------


class Process:
    """A server the drill started, in its own process group so it can be killed whole."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log: Path):
        self.name, self.log = name, log
        self._log_file = log.open("ab")
        self.popen = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL to every process of the group: no shutdown code runs anywhere."""
        self.signal_group(signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        if self.alive():
            self.signal_group(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        self.kill()  # whatever is left of the group, the orphaned pool children included
        self._log_file.close()

    def children(self) -> set[int]:
        """Pids whose parent is this process (gunicorn's workers, Celery's pool)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.pid:
                    pids.add(int(stat.parent.name))
        return pids

    def log_count(self, text: str) -> int:
        """How many lines of this process's output contain `text`."""
        self._log_file.flush()
        return sum(text in line for line in self.log.read_text(errors="replace").splitlines())

    def tail(self, lines: int = 20) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class Stack:
    """A throwaway PostgreSQL and Redis, the app migrated onto them, and its processes.

    `Stack.up()` is a context manager; leaving it stops every process, both servers, and
    removes the temporary folder, whatever happened inside.
    """

    def __init__(self, workdir: Path, *, extra_env: dict[str, str]):
        self.workdir = workdir
        self.mail_dir = workdir / "mail"
        self.mail_dir.mkdir()
        self.postgres = ThrowawayPostgres()
        self.redis = ThrowawayRedis(workdir)
        self.processes: list[Process] = []
        self.env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
        self.env.update(APP_ENV)
        self.env.update(
            DATABASE_URL=self.postgres.url("closer"),
            REDIS_URL=self.redis.url(0),
            VAR_DIR=str(workdir / "var"),
            EMAIL_FILE_PATH=str(self.mail_dir),
        )
        self.env.update(extra_env)

    @classmethod
    @contextmanager
    def up(cls, **extra_env: str) -> Iterator["Stack"]:
        workdir = Path(tempfile.mkdtemp(prefix="closer-drill-"))
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        stack = None
        try:
            stack = cls(workdir, extra_env=extra_env)
            stack.postgres.start()
            stack.postgres.create_database("closer")
            stack.redis.start()
            stack.manage("migrate", "--noinput", "-v0")
            stack.manage("collectstatic", "--noinput", "-v0")
            yield stack
        finally:
            if stack is not None:
                stack.tear_down()
            signal.signal(signal.SIGTERM, previous)
            shutil.rmtree(workdir, ignore_errors=True)

    def tear_down(self) -> None:
        for process in reversed(self.processes):
            process.stop(timeout=10)
        with suppress(Exception):
            from django.db import connections

            connections.close_all()
        self.redis.stop()
        self.postgres.remove()

    def manage(self, *argv: str) -> str:
        return _run([sys.executable, "manage.py", *argv], env=self.env, cwd=ROOT).stdout

    def use_in_this_process(self) -> None:
        """Point this process's Django at the stack, to seed users and count what was saved."""
        os.environ.update(self.env)
        import django

        django.setup()

    def start(self, name: str, argv: list[str], **env: str) -> Process:
        process = Process(
            name, argv, env={**self.env, **env}, log=self.workdir / f"{name.replace(' ', '-')}.log"
        )
        self.processes.append(process)
        return process

    def gunicorn(self, *, workers: int = 2) -> tuple[Process, int]:
        port = free_port()
        process = self.start(
            "gunicorn",
            [
                sys.executable, "-m", "gunicorn", "selfhelp.wsgi",
                "--bind", f"{HOST}:{port}",
                "--workers", str(workers),
                "--worker-class", "sync",
                "--backlog", "2048",
                "--timeout", "30",
                "--log-level", "warning",
            ],
        )  # fmt: skip
        if not wait_until(lambda: _answers(port) or not process.alive(), timeout=30):
            raise DrillError(f"gunicorn did not start:\n{process.tail()}")
        if not process.alive():
            raise DrillError(f"gunicorn stopped:\n{process.tail()}")
        return process, port

    def worker(self, name: str = "worker", *, concurrency: int = 2) -> Process:
        return self.start(
            name,
            [
                sys.executable, "-m", "celery", "-A", "selfhelp", "worker",
                "--hostname", f"{name.replace(' ', '-')}@drill",
                "--concurrency", str(concurrency),
                "--loglevel", "WARNING",
                "--without-gossip", "--without-mingle",
            ],
        )  # fmt: skip

    def beat(self) -> Process:
        return self.start(
            "beat",
            [
                sys.executable, "-m", "celery", "-A", "selfhelp", "beat",
                "--loglevel", "WARNING",
                "--schedule", str(self.workdir / "celerybeat-schedule"),
            ],
        )  # fmt: skip


def _answers(port: int) -> bool:
    with suppress(OSError), socket.create_connection((HOST, port), timeout=1) as conn:
        conn.sendall(b"GET /help/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        return conn.recv(12).startswith(b"HTTP/1.")
    return False


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so the `finally` blocks clean up
