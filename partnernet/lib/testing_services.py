"""Real services for the drills (issue 15), started and stopped by the tests themselves: a
private Redis, a private PostgreSQL cluster, gunicorn servers and Celery workers on free
loopback ports. Nothing here touches the machine's own PostgreSQL or Redis, so a drill that
stops its database stops only its own.

The tests that use these run on the PostgreSQL pass (`DATABASE_URL=postgres://…`) and are
skipped, with the reason, where a program they need is missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    predicate: Callable[[], bool], *, timeout: float = 30.0, every: float = 0.1, what: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise TimeoutError(f"not within {timeout} s: {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def missing_programs(*names: str) -> list[str]:
    return [name for name in names if shutil.which(name) is None]


def drill_marks(*programs: str) -> list[Any]:
    """The marks of a drill against real servers: it runs on the PostgreSQL pass (the servers
    share its database) and is skipped, saying which, when a program it starts is missing."""
    missing = missing_programs(*programs)
    return [
        pytest.mark.postgres,
        pytest.mark.skipif(not settings.IS_POSTGRES, reason="drills run on PostgreSQL"),
        pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}"),
    ]


def _stop(process: subprocess.Popen | None, *, sig: int = signal.SIGTERM, wait: float = 10) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(wait)


class RaisingCache:
    """A cache whose every call fails, as a plain Redis cache does with Redis gone: for tests
    that nothing fails or hangs because of the cache."""

    def get(self, key: str, default: Any = None) -> Any:
        raise ConnectionError("cache down")

    def add(self, key: str, value: Any, timeout: Any = None) -> bool:
        raise ConnectionError("cache down")

    def set(self, key: str, value: Any, timeout: Any = None) -> None:
        raise ConnectionError("cache down")

    def delete(self, key: str) -> Any:
        raise ConnectionError("cache down")


class RedisServer:
    """`redis-server` on a free port, keeping nothing on disk; `stop()` and `start()` again
    on the same port for a drill."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(lambda: port_open(self.port), timeout=10, what="redis-server")
        return self

    def stop(self) -> None:
        _stop(self.process)
        wait_until(lambda: not port_open(self.port), timeout=10, what="redis-server stopped")


class PostgresCluster:
    """A private PostgreSQL cluster (initdb as the `postgres` user in a temporary folder) on a
    free port, trust authentication; `stop()` and `start()` again for a drill."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pn-pg-"))
        self.data = self.folder / "data"
        self._initialised = False

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, *command: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def start(self) -> PostgresCluster:
        if not self._initialised:
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres")
            subprocess.run(
                self._as_postgres(
                    "initdb",
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ),
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self._initialised = True
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            self._as_postgres(
                "pg_ctl",
                "-D",
                str(self.data),
                "-o",
                options,
                "-w",
                "-l",
                str(self.folder / "log"),
                "start",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            self._as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-tAc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def copy_database(source_url: str, target: PostgresCluster, database: str) -> str:
    """Copy a database (schema and rows) into `target` under `database`; returns its URL. Faster
    than migrating anew: the drills copy the migrated test database."""
    target.psql(f'CREATE DATABASE "{database}"')
    dump = subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", "-d", _libpq(source_url)],
        stdout=subprocess.PIPE,
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", _libpq(target.url(database))],
        stdin=dump.stdout,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if dump.wait() != 0:
        raise RuntimeError("pg_dump failed")
    return target.url(database)


def _log_file(prefix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".log")
    os.close(handle)
    return Path(name)


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _static_digest() -> str:
    """Names, sizes and times of every static source file: the collected copy is reused
    while they are unchanged."""
    digest = hashlib.sha256()
    for folder in sorted((PROJECT_DIR / "partnernet").rglob("static")):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def production_var_dir() -> Path:
    """A var folder with the static files collected and compressed (DEBUG=0 serves them from
    the manifest). Collecting takes a minute, so the folder is kept in `var/` and reused by
    every server and later runs while the static sources are unchanged."""
    folder = PROJECT_DIR / "var" / f"drill-{_static_digest()}"
    if not (folder / "static" / "staticfiles.json").exists():
        environment = {**_production(), "PARTNERNET_VAR_DIR": str(folder)}
        subprocess.run(
            [sys.executable, "-m", "partnernet", "collectstatic", "--noinput", "--verbosity", "0"],
            env=environment,
            cwd=PROJECT_DIR,
            check=True,
        )
    return folder


def _production() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY="drill-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        PYTHONPATH=str(PROJECT_DIR),
        DJANGO_SETTINGS_MODULE="partnernet.settings",
    )
    return environment


def server_environment(**overrides: str) -> dict[str, str]:
    """The environment of a production-configured server process: DEBUG off, plain HTTP on the
    loopback address, the static files collected, and `overrides` (DATABASE_URL, CACHE_URL,
    CELERY_BROKER_URL, …)."""
    environment = _production()
    environment["PARTNERNET_VAR_DIR"] = str(production_var_dir())
    environment.update(overrides)
    return environment


class Gunicorn:
    """`gunicorn partnernet.wsgi` on a free port with `environment`."""

    def __init__(
        self, environment: dict[str, str], *, workers: int = 1, threads: int = 4, timeout: int = 30
    ) -> None:
        self.port = free_port()
        self.environment = environment
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self.process: subprocess.Popen | None = None
        self.log = _log_file("pn-gunicorn-")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "partnernet.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                    "--timeout",
                    str(self.timeout),
                ],
                env=self.environment,
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._answers, timeout=60, what=f"gunicorn on {self.port} ({self.log})")
        return self

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{self.url}/healthz", timeout=2)  # noqa: S310 (loopback)
        except urllib.error.HTTPError:
            return True  # it answers, whatever it says
        except OSError:
            return False
        return True

    def stop(self) -> None:
        _stop(self.process)


class CeleryWorker:
    """`celery -A partnernet worker` (prefork, `concurrency` children) with `environment`."""

    def __init__(self, environment: dict[str, str], *, concurrency: int = 1) -> None:
        self.environment = environment
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.log = _log_file("pn-worker-")

    def start(self) -> CeleryWorker:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "partnernet",
                    "worker",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    str(self.concurrency),
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                env=self.environment,
                cwd=PROJECT_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(lambda: "ready." in self.output(), timeout=60, what=f"worker ({self.log})")
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        """The pool's processes (the ones that run tasks)."""
        assert self.process is not None
        result = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in result.stdout.split()]

    def stop(self) -> None:
        _stop(self.process, wait=20)


@contextlib.contextmanager
def running(*services: Any) -> Iterator[tuple]:
    """Start each service in order and stop them all, in reverse, whatever happens."""
    started = []
    try:
        for service in services:
            started.append(service.start())
        yield tuple(started)
    finally:
        for service in reversed(started):
            with contextlib.suppress(Exception):
                service.stop()


class SmtpServer:
    """A tiny SMTP server on a free loopback port, in a thread of the test (stdlib only): it
    refuses the first `refuse` messages (`554`, or `421` with `code=421`) and takes the rest
    (`250`), keeping what it took in `received` (address → list of raw messages). With
    `hang=True` it accepts the connection and never answers (a mail server that hangs).
    `refuse` may be changed while it runs (`server.refuse = 0`: it takes mail again)."""

    def __init__(self, *, refuse: int = 0, code: int = 554, hang: bool = False) -> None:
        self.port = free_port()
        self.refuse = refuse
        self.code = code
        self.hang = hang
        self.refused = 0
        self.received: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(to, data) for to, items in self.received.items() for data in items]

    def _verdict(self) -> int:
        with self._lock:
            if self.refused < self.refuse:
                self.refused += 1
                return self.code
            return 250

    def _keep(self, recipients: list[str], data: str) -> None:
        with self._lock:
            for to in recipients:
                self.received.setdefault(to, []).append(data)

    def start(self) -> SmtpServer:
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def _say(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())
                self.wfile.flush()

            def handle(self) -> None:
                if outer.hang:
                    outer._stopping.wait(60)
                    return
                self._say("220 127.0.0.1 test SMTP")
                recipients: list[str] = []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    command = raw.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self._say("250 127.0.0.1")
                    elif verb == "MAIL":
                        recipients = []
                        self._say("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self._say("250 OK")
                    elif verb == "DATA":
                        self._say("354 end with .")
                        lines = []
                        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            lines.append(line.decode(errors="replace"))
                        verdict = outer._verdict()
                        if verdict == 250:
                            outer._keep(recipients, "".join(lines))
                            self._say("250 OK queued")
                        else:
                            self._say(f"{verdict} not now")
                            if verdict == 421:
                                return
                    elif verb == "RSET":
                        recipients = []
                        self._say("250 OK")
                    elif verb == "QUIT":
                        self._say("221 bye")
                        return
                    else:
                        self._say("250 OK")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class CeleryBeat:
    """`celery -A partnernet beat` with `environment`, remembering its last runs in
    `schedule_file` (a drill can prepare it: a job whose last run is long past is due at once)."""

    def __init__(self, environment: dict[str, str], schedule_file: Path) -> None:
        self.environment = environment
        self.schedule_file = schedule_file
        self.process: subprocess.Popen | None = None
        self.log = _log_file("pn-beat-")

    def start(self) -> CeleryBeat:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "partnernet",
                "beat",
                "--schedule",
                str(self.schedule_file),
                "--max-interval",
                "1",
                "--loglevel",
                "INFO",
            ],
            env=self.environment,
            cwd=PROJECT_DIR,
            stdout=self.log.open("ab"),  # the child keeps its own copy of the descriptor
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: "beat: Starting" in self.output(), timeout=60, what=f"beat ({self.log})")
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        _stop(self.process)
