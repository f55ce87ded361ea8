"""Kill ``cohesion-desktop`` commands with SIGKILL at chosen moments (see ``tests/kill_runner.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
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
        self._process = subprocess.Popen([sys.executable, "-m", "tests.kill_runner"], cwd=REPO, text=True,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, argv: list[str], *, home: Path, kill_at: int = 0, count: str = "all",
            watch: Path | None = None) -> Outcome:
        """Run ``cohesion-desktop argv`` with ``COHESION_HOME=home``; ``kill_at`` 0 lets it finish.

        ``count``: which moments count, "sql" (statements), "files" (file events, only those in ``watch``
        when given) or "all".
        """
        job: dict[str, Any] = {"argv": argv, "env": {"COHESION_HOME": str(home)}, "kill_at": kill_at,
                               "count": count, "watch": str(watch) if watch else None}
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        answer = json.loads(self._process.stdout.readline())
        return Outcome(killed=answer["killed"], exit_code=answer["exit_code"], moments=answer["moments"])

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


def every_moment(runner: KillRunner, argv: list[str], *, home: Path, watch: Path, sql_moments: int,
                 reset: Callable[[], None]) -> list[tuple[str, int]]:
    """Each file event in ``watch`` and ``sql_moments`` statements spread over the run: (count, kill_at) pairs.

    ``reset`` puts things back as they were before the command, between the two runs that count.
    """
    reset()
    files = runner.run(argv, home=home, count="files", watch=watch)
    reset()
    statements = runner.run(argv, home=home, count="sql")
    assert files.exit_code == 0 and statements.exit_code == 0 and files.moments and statements.moments
    return [("files", n) for n in range(1, files.moments + 1)] + [
        ("sql", n) for n in spread(statements.moments, sql_moments)]


def spread(total: int, count: int) -> list[int]:
    """``count`` moments spread evenly over 1..total (all of them when there are fewer)."""
    if total <= count:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (count - 1)) for i in range(count)})
