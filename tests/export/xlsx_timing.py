"""How much the safe writer costs over bare openpyxl write-only mode. Not a test: run it by hand.

    .venv/bin/python -m tests.export.xlsx_timing [rows]

Writes the same rows × 10 columns of mixed text, numbers and dates both ways (best of two runs each).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from cohesion_desktop.export.xlsx import Column, WorkbookWriter

WORDS = ["Community", "Centre", "Kirklees", "volunteering", "Youth", "Trust", "ESOL", "café", "Huddersfield", "Faith"]


def make_rows(count: int) -> list[list[object]]:
    chance = random.Random(1)
    start = date(2024, 1, 1)
    return [
        [
            f"Partner {number}",
            " ".join(chance.sample(WORDS, 3)),
            number,
            number * 1.5,
            start + timedelta(days=number % 365),
            chance.choice(WORDS),
            chance.randint(0, 1000),
            chance.random() * 100,
            f"REF{number:06d}",
            "Leeds",
        ]
        for number in range(count)
    ]


def bare(path: Path, rows: list[list[object]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    book.save(path)


def safe(path: Path, rows: list[list[object]]) -> None:
    with WorkbookWriter(path) as book:
        book.add_table_sheet("Data", [Column(f"Column {number}") for number in range(10)], rows)


def best_of_two(write: Callable[[Path, list[list[object]]], None], folder: Path, rows: list[list[object]]) -> float:
    times = []
    for attempt in range(2):
        started = time.perf_counter()
        write(folder / f"{write.__name__}{attempt}.xlsx", rows)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rows = make_rows(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    with tempfile.TemporaryDirectory() as folder:
        bare_time = best_of_two(bare, Path(folder), rows)
        safe_time = best_of_two(safe, Path(folder), rows)
    print(
        f"{len(rows) * 10:,} cells: openpyxl write-only {bare_time:.2f} s, WorkbookWriter {safe_time:.2f} s, "
        f"ratio {safe_time / bare_time:.2f}"
    )


if __name__ == "__main__":
    main()
