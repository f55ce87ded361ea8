"""Merging two large files, in a process of its own so that its peak memory is its own.

    python -m bench.merges TARGET OTHER    → one JSON object: the merge's seconds, the reference's, peak MB

TARGET and OTHER are two benchmark files made with different seeds (every record only in one of them, but the
built-in themes, places and templates, matched by key). The reference copies the same rows with SQLite's own
``INSERT … SELECT`` over ``ATTACH`` in one transaction, which is as fast as rows can move between two files;
the merge does that and more (matching by key, comparing the records in both, the history, the report).
Each runs on a fresh copy of TARGET; OTHER is only read.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from cohesion_desktop.logging_setup import peak_memory_mb


def reference_seconds(target: Path, other: Path) -> float:
    """Every table's rows of OTHER into TARGET, ``INSERT OR IGNORE … SELECT`` (a theme of the same name stays)."""
    from sqlmodel import SQLModel

    from cohesion_desktop.db import models

    data_tables = {model.__table__.name for model in models.ALL_TABLES}  # type: ignore[attr-defined]

    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    # A floor, not a merge: the other file's links to its own themes would not hold here, so no key checks.
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("ATTACH DATABASE ? AS other", (str(other),))
    started = time.perf_counter()
    connection.execute("BEGIN")
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in data_tables:  # hours_day: the triggers keep it as the entries come in
            continue
        connection.execute(f'INSERT OR IGNORE INTO main."{table.name}" SELECT * FROM other."{table.name}"')
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.execute("DETACH DATABASE other")
    connection.close()
    return seconds


def merge_seconds(target: Path, other: Path) -> tuple[float, dict[str, int]]:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import merging

    with open_store(target) as store:
        started = time.perf_counter()
        report = merging.merge_file(store, other=other)
        seconds = time.perf_counter() - started
    return seconds, {kind: count.added for kind, count in report.counts.items()}


def measure(target: Path, other: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="cohesion-bench-merge-") as scratch:
        copy = Path(scratch) / "reference.sqlite"
        shutil.copyfile(target, copy)
        reference = reference_seconds(copy, other)
        copy.unlink()
        work = Path(scratch) / "merged.sqlite"
        shutil.copyfile(target, work)
        seconds, added = merge_seconds(work, other)
    peak_mb = peak_memory_mb() or float("nan")
    return {"merge_s": seconds, "reference_s": reference, "peak_mb": peak_mb, "added": added}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
