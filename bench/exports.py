"""The funder export (and a workshop's follow-up pack) on the benchmark file, in a process of its own so that its
peak memory is its own.

python -m bench.exports FILE RUNS    → prints one JSON object of medians (ms) and the peak memory (MB)
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench import median_ms
from cohesion_desktop.logging_setup import peak_memory_mb


def measure(data: Path, runs: int) -> dict[str, float]:
    from openpyxl import Workbook, load_workbook

    from cohesion_desktop.dates import Period
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.services import reporting, workshop_export, workshops

    period = Period.last_12_months(date.today())
    with open_store(data, read_only=True) as store, tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)

        def export(suffix: str) -> None:
            with store.session() as session:
                reporting.export_summary(
                    session,
                    path=folder / f"summary{suffix}",
                    period=period,
                    organisation_name="Benchmark Trust",
                    logo=None,
                    include_names=False,
                )

        xlsx_ms = median_ms(lambda: export(".xlsx"), runs, warmups=0)
        # The same cells, read back from the workbook just written, written by openpyxl's write-only mode alone.
        book = load_workbook(folder / "summary.xlsx", read_only=True)
        sheets = [(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]) for sheet in book.worksheets]
        book.close()
        cells = sum(len(row) for _title, rows in sheets for row in rows)

        def bare() -> None:
            plain = Workbook(write_only=True)
            for title, rows in sheets:
                sheet = plain.create_sheet(title)
                for row in rows:
                    sheet.append(row)
            plain.save(folder / "bare.xlsx")

        reference_ms = median_ms(bare, runs, warmups=0)
        sheets.clear()  # the reference cells need not stay in memory for the PDF runs
        pdf_ms = median_ms(lambda: export(".pdf"), runs, warmups=0)

        with store.session() as session:
            largest = max(workshops.list_workshops(session), key=lambda workshop: workshop.entry_count)

        def followup() -> None:
            with store.session() as session:
                workshop_export.export_followup(session, workshop_id=largest.id, path=folder / "pack.pdf")

        followup_ms = median_ms(followup, runs, warmups=0)
    peak_mb = peak_memory_mb() or float("nan")
    return {
        "xlsx_ms": xlsx_ms,
        "reference_ms": reference_ms,
        "pdf_ms": pdf_ms,
        "peak_mb": peak_mb,
        "cells": cells,
        "followup_ms": followup_ms,
        "followup_entries": largest.entry_count,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
