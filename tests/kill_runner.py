"""Run ``cohesion-desktop`` commands and kill them with SIGKILL at a chosen moment, for the kill tests.

Started once per test session as a real subprocess (``python -m tests.kill_runner``), it imports the app
once, then for each job read from stdin forks a fresh process that runs ``cli.main(argv)`` and SIGKILLs
itself just before its N-th "moment": an SQL statement SQLite is about to run, or a file being created,
written, renamed, linked or removed (Python's audit events). Forking saves the seconds each new
interpreter spends importing, so a test can afford a kill at every moment that matters.

Protocol, one JSON object per line: job ``{"argv": [...], "env": {...}, "kill_at": N, "count": "sql"|"files"|
"all", "watch": folder}`` (``kill_at`` 0: never kill; ``watch``: count only file events in that folder);
answer ``{"killed": bool, "exit_code": int|null, "moments": int}``; a job with ``"exec": code`` instead of
``argv`` runs that Python code; ``"stdout"``/``"stderr"``: files that receive what it prints
(``moments``: how many there were, when the command ran to the end).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import tempfile
from typing import Any

# The commands import these lazily; importing them here, before any fork, keeps each job fast.
import cohesion_desktop.cli as cli
import cohesion_desktop.db.backups
import cohesion_desktop.db.store
import cohesion_desktop.services.demo
import cohesion_desktop.services.overview  # noqa: F401

FILE_EVENTS = {"os.rename", "os.link", "os.remove", "os.truncate", "shutil.copyfile", "os.mkdir", "os.chmod"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _is_write(args: tuple[Any, ...]) -> bool:
    _path, mode, flags = args
    if isinstance(mode, str):
        return any(letter in mode for letter in "wax+")
    return isinstance(flags, int) and bool(flags & WRITE_FLAGS)


def _run_job(job: dict[str, Any], result_fd: int) -> None:
    """In the forked child: count moments, die at the chosen one, else report how many there were."""
    kill_at, counting = int(job["kill_at"]), job.get("count", "all")
    moments = 0

    def moment() -> None:
        nonlocal moments
        moments += 1
        if moments == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def on_sql(_statement: str) -> None:
        moment()

    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)
        connection.set_trace_callback(on_sql)  # called before each statement runs
        return connection

    watched = job.get("watch")

    def in_watched_folder(args: tuple[Any, ...]) -> bool:
        return watched is None or any(
            isinstance(a, str | os.PathLike) and os.fspath(a).startswith(watched) for a in args
        )

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if (
            counting in ("files", "all")
            and (event in FILE_EVENTS or (event == "open" and _is_write(args)))
            and in_watched_folder(args)
        ):
            moment()

    os.environ.update(job.get("env", {}))
    tempfile.tempdir = None  # chosen again from TMPDIR, which a job may set
    if counting in ("sql", "all"):
        sqlite3.connect = connect  # type: ignore[assignment]
    sys.addaudithook(hook)
    try:
        if "exec" in job:
            exec(job["exec"], {})  # a test's own steps, in a process of their own
            code = 0
        else:
            code = cli.main(job["argv"])
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    os.write(result_fd, json.dumps({"exit_code": code, "moments": moments}).encode())
    os._exit(0)


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            # The command's own output must not mix with the answers: to files when asked, else nowhere.
            for fd, key in ((1, "stdout"), (2, "stderr")):
                target = os.open(job.get(key) or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(target, fd)
            try:
                _run_job(job, write_end)
            finally:
                os._exit(70)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as reader:
            reported = reader.read()
        _pid, status = os.waitpid(pid, 0)
        answer = json.loads(reported) if reported else {"exit_code": None, "moments": None}
        answer["killed"] = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
