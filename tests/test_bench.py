"""``make bench`` cannot rot: a tiny run of it, in its own process, must give a number for every operation."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = (
    "generate",
    "cold start: main window shown",
    "cold start: the file",
    "peak memory: app",
    "Partners page",
    "Volunteers page",
    "search keystroke",
    "hours per month",
    "open a workshop",
    "add a matrix entry",
    "funder .xlsx export",
    "funder PDF report",
    "workshop follow-up pack",
    "peak memory: the exports",
    "import 20 partners",
    "import 200 partners",
    "time per row",
    "planted near-duplicates",
    "import 50 volunteers",
    "import 50 rows of past hours",
    "hours entries added by importing the same 50 rows again",
    "stall: open the Dashboard page",
    "stall: Volunteers: the Milestones tab",
    "stall: Partners: the Remit map",
    "stall: Workshops: add a matrix entry",
    "stall: Export summary dialog",
    "merge another large file",
    "peak memory: merge",
)


def test_a_tiny_benchmark_run_measures_every_operation(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COHESION_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scale",
            "1",
            "--runs",
            "1",
            "--no-fail",
            "--import-rows",
            "20,200",
            "--people-rows",
            "50",
            "--file",
            str(tmp_path / "tiny.sqlite"),
            "--json",
            str(results),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = json.loads(results.read_text())
    assert written["machine_at_start"]["cpus"] >= 1 and len(written["machine_at_end"]["load_average"]) == 3
    rows = written["rows"]
    for operation in OPERATIONS:
        assert [row for row in rows if operation in row["operation"]], f"no row for {operation!r}"
    for row in rows:
        assert isinstance(row["value"], float | int) and math.isfinite(row["value"]) and row["value"] >= 0, row
        assert row["p95"] is None or row["p95"] >= row["value"] or row["runs"] == 1, row
        if row["reference_name"]:
            assert row["reference"] is not None and row["reference"] > 0, row
    assert "funder .xlsx export" in done.stdout, "the table is printed"


POSTGRES_OPERATIONS = (
    "load the benchmark file into a PostgreSQL server",
    "team database: read the Partners page's rows",
    "team database: search keystroke",
    "team database: hours per month",
    "team database: funder .xlsx export",
    "live refresh: a commit heard by another copy's listener",
    "save a change with 20 clients saving at once",
)


def test_a_tiny_team_database_run_measures_every_operation_on_a_server_of_its_own(tmp_path: Path) -> None:
    """``--only postgres`` (not in the default run): the file loaded into a server the bench starts itself."""
    results = tmp_path / "results.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COHESION_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "bench", "--only", "postgres", "--scale", "1", "--runs", "1", "--no-fail"]
    done = subprocess.run(
        [*command, "--file", str(tmp_path / "tiny.sqlite"), "--json", str(results)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(results.read_text())["rows"]
    for operation in POSTGRES_OPERATIONS:
        assert [row for row in rows if operation in row["operation"]], f"no row for {operation!r}"
    for row in rows:
        assert isinstance(row["value"], float | int) and math.isfinite(row["value"]) and row["value"] >= 0, row
        if row["reference_name"]:
            assert row["reference"] is not None and row["reference"] > 0, row


def test_a_missed_target_fails_the_run_unless_exploring() -> None:
    from bench.__main__ import Row, exit_status

    met = Row("fast enough", 10.0, "ms", target="≤ 25 ms", ok=True)
    reported = Row("only reported", 10.0, "ms", target="(reported)")
    missed = Row("too slow", 30.0, "ms", target="≤ 25 ms", ok=False)
    assert exit_status([met, reported], no_fail=False) == 0
    assert exit_status([met, missed, reported], no_fail=False) == 1
    assert exit_status([met, missed], no_fail=True) == 0
