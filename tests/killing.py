"""Kill ``cohesion-desktop`` commands with SIGKILL at chosen moments (see ``tests/kill_runner.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Outcome:
    killed: bool
    exit_code: int | None
    moments: int | None  # how many moments the command went through (when it was not killed)


class KillRunner:
    """One real subprocess that forks a fresh process per command, killed at its N-th moment."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.kill_runner"],
            cwd=REPO,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def run(
        self, argv: list[str], *, home: Path, kill_at: int = 0, count: str = "all", watch: Path | None = None
    ) -> Outcome:
        """Run ``cohesion-desktop argv`` with ``COHESION_HOME=home``; ``kill_at`` 0 lets it finish.

        ``count``: which moments count, "sql" (statements), "files" (file events, only those in ``watch``
        when given) or "all".
        """
        job: dict[str, Any] = {
            "argv": argv,
            "env": {"COHESION_HOME": str(home)},
            "kill_at": kill_at,
            "count": count,
            "watch": str(watch) if watch else None,
        }
        return self._send(job)

    def execute(self, code: str, *, home: Path, env: dict[str, str] | None = None) -> Outcome:
        """Run Python ``code`` in a forked process of its own (it may SIGKILL itself)."""
        return self._send(
            {"exec": code, "env": {"COHESION_HOME": str(home), **(env or {})}, "kill_at": 0, "count": "all"}
        )

    def output_of(self, argv: list[str], *, home: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Run ``cohesion-desktop argv`` to the end in a process of its own: (exit code, stdout, stderr)."""
        with tempfile.TemporaryDirectory() as folder:
            out, err = Path(folder, "out"), Path(folder, "err")
            outcome = self._send(
                {
                    "argv": argv,
                    "env": {"COHESION_HOME": str(home), **(env or {})},
                    "kill_at": 0,
                    "count": "all",
                    "stdout": str(out),
                    "stderr": str(err),
                }
            )
            assert outcome.exit_code is not None, f"{argv} died"
            return outcome.exit_code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")

    def _send(self, job: dict[str, Any]) -> Outcome:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        return Outcome(killed=answer["killed"], exit_code=answer["exit_code"], moments=answer["moments"])

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


@dataclass(frozen=True)
class Moment:
    """Where to kill a command: before its ``kill_at``-th moment of the kind ``count`` (see KillRunner.run)."""

    count: str
    kill_at: int
    watch: Path | None = None

    def __str__(self) -> str:
        return f"{self.count} moment {self.kill_at}"


def every_moment(
    runner: KillRunner, argv: list[str], *, home: Path, watch: Path, sql_moments: int, reset: Callable[[], None]
) -> list[Moment]:
    """Each file event in ``watch``, and ``sql_moments`` statements spread over the run.

    ``reset`` puts things back as they were before the command, between the two runs that count.
    """
    reset()
    files = runner.run(argv, home=home, count="files", watch=watch)
    reset()
    statements = runner.run(argv, home=home, count="sql")
    assert files.exit_code == 0 and statements.exit_code == 0 and files.moments and statements.moments
    return [Moment("files", n, watch) for n in range(1, files.moments + 1)] + [
        Moment("sql", n) for n in spread(statements.moments, sql_moments)
    ]


def kill(runner: KillRunner, argv: list[str], *, home: Path, at: Moment) -> Outcome:
    """Run ``argv`` and kill it at ``at``; fails the test if it finished first."""
    outcome = runner.run(argv, home=home, kill_at=at.kill_at, count=at.count, watch=at.watch)
    assert outcome.killed, f"{argv[0]} finished before {at}"
    return outcome


def spread(total: int, count: int) -> list[int]:
    """``count`` moments spread evenly over 1..total (all of them when there are fewer)."""
    if count <= 0:
        return []
    if total <= count:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (count - 1)) for i in range(count)})
