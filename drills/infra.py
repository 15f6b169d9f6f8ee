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
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SECRET_KEY = "drills-only-secret-key-never-used-anywhere-else-0123456789abcdef"
ENCRYPTION_KEY = "ZHJpbGxzLW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcyE"  # a master key for drills only
# What the drill's own process (seeding, counting) and the servers it starts share.
APP_ENV = {
    "DJANGO_SETTINGS_MODULE": "selfhelp.settings",
    "DJANGO_DEBUG": "false",  # errors must look as they do in production: no debug page
    "DJANGO_HTTPS": "false",  # plain HTTP on loopback
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "CLOSER_ENCRYPTION_KEYS": ENCRYPTION_KEY,
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

    @property
    def pid(self) -> int:
        """The postmaster's, from its pid file."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

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


# PgBouncer and HAProxy ----------------------------------------------------------------------


def system_binary(name: str) -> str:
    """A server's binary from its Debian package (they live in /usr/sbin, often off PATH)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        raise DrillError(f"{name} is missing: apt-get install -y {name}")
    return found


def _accepts(port: int) -> bool:
    with suppress(OSError), socket.create_connection((HOST, port), timeout=1):
        return True
    return False


class PgBouncer:
    """PgBouncer in transaction mode on a free port, in front of one PostgreSQL database.

    Transaction mode hands a server connection to a client for one transaction only, so the
    app must keep no session state on it (no session-level SET, no server-side prepared
    statement, no cursor held past a commit). PgBouncer refuses to run as root; as root its
    files belong to, and it runs as, the `postgres` user.
    """

    def __init__(self, *, server_port: int, database: str, pool_size: int = 4):
        self.binary = system_binary("pgbouncer")
        self.port = free_port()
        self.database = database
        self.dir = Path(tempfile.mkdtemp(prefix="closer-pgbouncer-"))
        self._as_owner: list[str] = []
        (self.dir / "userlist.txt").write_text('"postgres" ""\n')
        (self.dir / "pgbouncer.ini").write_text(
            f"""[databases]
{database} = host={HOST} port={server_port} dbname={database}

[pgbouncer]
listen_addr = {HOST}
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.dir / "userlist.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
; psycopg sends none of these today; a driver that does must not be refused.
ignore_startup_parameters = extra_float_digits,options
server_login_retry = 1
log_connections = 0
log_disconnections = 0
"""
        )
        if os.geteuid() == 0:
            for path in (self.dir, *self.dir.iterdir()):
                shutil.chown(path, "postgres", "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        self.process: Process | None = None

    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{self.database}"

    def start(self) -> None:
        self.process = Process(
            "pgbouncer",
            [*self._as_owner, self.binary, str(self.dir / "pgbouncer.ini")],
            env=dict(os.environ),
            log=self.dir / "pgbouncer.log",
        )
        if not wait_until(lambda: _accepts(self.port) or not self.process.alive(), timeout=10):
            raise DrillError("pgbouncer did not start")
        if not self.process.alive():
            raise DrillError(f"pgbouncer stopped:\n{self.process.tail()}")

    def stop(self) -> None:
        """SIGTERM: PgBouncer 1.18 shuts down at once, cutting every client and server link."""
        if self.process is not None:
            self.process.stop(timeout=10)
            self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class HAProxy:
    """HAProxy on a free port, round robin over web servers on loopback.

    It checks each server's /healthz/web (can it reach the database) every `check_ms` and
    takes it out after two failed checks (in again after two good ones), or at once when a
    connection to it is refused (its process is gone). A request whose connection is
    refused, or whose server dies before answering, is tried again on another server; a
    POST only when its connection was refused, since a POST the dead server received may
    have been saved.
    Every response says which server answered (`X-Server`).
    """

    def __init__(self, ports: list[int], *, check_ms: int = 500, maxconn: int = 64):
        self.binary = system_binary("haproxy")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="closer-haproxy-"))
        servers = "\n".join(
            f"    server web{n} {HOST}:{port} check maxconn {maxconn}"
            for n, port in enumerate(ports, 1)
        )
        (self.dir / "haproxy.cfg").write_text(
            f"""global
    maxconn 4096
    log stdout format rfc5424 local0 info

defaults
    mode http
    log global
    option httplog
    option dontlog-normal
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 10s
    timeout check 3s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend web
    bind {HOST}:{self.port}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz/web ver HTTP/1.1 hdr Host {HOST}
    http-check expect status 200
    default-server inter {check_ms}ms fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
    http-request disable-l7-retry if METH_POST
    http-response set-header X-Server %s
{servers}
"""
        )
        self.process: Process | None = None

    def check_config(self) -> None:
        _run([self.binary, "-c", "-q", "-f", str(self.dir / "haproxy.cfg")])

    def start(self) -> None:
        self.check_config()
        self.process = Process(
            "haproxy",
            [self.binary, "-db", "-f", str(self.dir / "haproxy.cfg")],
            env=dict(os.environ),
            log=self.dir / "haproxy.log",
        )
        if not wait_until(lambda: healthy(self.port) or not self.process.alive(), timeout=15):
            raise DrillError("haproxy did not start, or no server passed its health check")
        if not self.process.alive():
            raise DrillError(f"haproxy stopped:\n{self.process.tail()}")

    def log_lines(self, text: str) -> list[tuple[datetime, str]]:
        """(when, message) of each line HAProxy logged containing `text`: a server taken out
        ("is DOWN") or put back ("is UP"), or a request that failed (it logs no others)."""
        lines = []
        for line in self.process.log.read_text(errors="replace").splitlines():
            fields = line.split(" ", 7)  # <priority>1 time host haproxy pid - - message
            if line.startswith("<") and len(fields) == 8 and text in fields[7]:
                with suppress(ValueError):
                    lines.append((datetime.fromisoformat(fields[1]), fields[7]))
        return lines

    def remove(self) -> None:
        if self.process is not None:
            self.process.stop(timeout=10)
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


def gunicorn_command(port: int, *, workers: int) -> list[str]:
    """gunicorn with sync workers on 127.0.0.1, as production runs it."""
    return [
        sys.executable, "-m", "gunicorn", "selfhelp.wsgi",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--backlog", "2048",
        "--timeout", "30",
        "--log-level", "warning",
    ]  # fmt: skip


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
        self.proxies: list[PgBouncer | HAProxy] = []
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
        for proxy in reversed(self.proxies):
            proxy.remove()
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

    def gunicorn(self, name: str = "gunicorn", *, workers: int = 2) -> tuple[Process, int]:
        port = free_port()
        process = self.start(name, gunicorn_command(port, workers=workers))
        if not wait_until(lambda: _answers(port) or not process.alive(), timeout=30):
            raise DrillError(f"gunicorn did not start:\n{process.tail()}")
        if not process.alive():
            raise DrillError(f"gunicorn stopped:\n{process.tail()}")
        return process, port

    def pgbouncer(self, *, pool_size: int = 4) -> PgBouncer:
        """PgBouncer in transaction mode in front of the stack's database; the processes
        started from now on connect through it (migrations ran straight to PostgreSQL)."""
        bouncer = PgBouncer(server_port=self.postgres.port, database="closer", pool_size=pool_size)
        self.proxies.append(bouncer)
        bouncer.start()
        self.env["DATABASE_URL"] = bouncer.url()
        return bouncer

    def haproxy(self, ports: list[int], **options: int) -> HAProxy:
        proxy = HAProxy(ports, **options)
        self.proxies.append(proxy)
        proxy.start()
        return proxy

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

    def beat(self, name: str = "beat") -> Process:
        schedule = self.workdir / f"celerybeat-schedule-{name.replace(' ', '-')}"
        return self.start(
            name,
            [
                sys.executable, "-m", "celery", "-A", "selfhelp", "beat",
                "--loglevel", "WARNING",
                "--schedule", str(schedule),
            ],
        )  # fmt: skip


def cpu_seconds(root: int) -> float:
    """CPU time (user and system) a process and all its descendants have used so far, with
    the children they have already reaped."""
    ticks = os.sysconf("SC_CLK_TCK")
    parent, used = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parent[pid] = int(fields[1])
            used[pid] = sum(int(n) for n in fields[11:15])  # utime stime cutime cstime
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, ppid in parent.items() if ppid in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    return sum(used.get(pid, 0) for pid in tree) / ticks


def _answers(port: int) -> bool:
    with suppress(OSError), socket.create_connection((HOST, port), timeout=1) as conn:
        conn.sendall(b"GET /help/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        return conn.recv(12).startswith(b"HTTP/1.")
    return False


def healthy(port: int) -> bool:
    """/healthz on this port answers 200."""
    with suppress(OSError), socket.create_connection((HOST, port), timeout=2) as conn:
        conn.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        return conn.recv(12) in (b"HTTP/1.0 200", b"HTTP/1.1 200")
    return False


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # so the `finally` blocks clean up
