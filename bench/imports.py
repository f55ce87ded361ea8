"""The partner import at two sizes, in a process of its own: read, plan and import a generated list.

    python -m bench.imports [--runs N] ROWS [ROWS …]   → one JSON object: per size, each run's seconds and finds

Each list has 2% planted near-duplicates: later rows that spell an earlier row's organisation differently
("St. Marys church" for "St Mary's Church"), as hand-made lists do. The import must name each of them.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

DUPLICATE_SHARE = 0.02
HEADERS = ["Organisation", "Sector", "What they do", "Themes", "Places served", "Main contact", "E-mail"]
_SYLLABLES = (
    "har",
    "row",
    "mill",
    "brook",
    "east",
    "field",
    "can",
    "al",
    "hol",
    "lins",
    "west",
    "bury",
    "brack",
    "en",
    "hill",
    "low",
    "moor",
    "ash",
    "ton",
    "dale",
    "stan",
    "ley",
    "kirk",
    "lees",
    "pen",
    "nine",
    "wold",
    "thorn",
    "by",
    "mere",
    "grave",
    "wick",
    "ford",
    "ham",
    "stead",
    "ridge",
)
_KINDS = (
    "Community Group",
    "Residents' Association",
    "Youth Club",
    "Food Pantry",
    "Lunch Club",
    "Sports Club",
    "Methodist Chapel",
    "Primary School",
    "Medical Practice",
    "Housing Co-operative",
    "Arts Collective",
    "Business Group",
    "Bakery Ltd",
    "Garage Ltd",
    "Café",
    "Law Firm LLP",
    "Trust",
    "Foodbank",
    "Parish Church",
    "Mosque",
    "Credit Union",
    "Men's Shed",
    "Library Friends",
    "Allotment Society",
)
_SECTORS = ("Charity", "Business", "School", "Faith", "Council", "NHS", "Sport", "Housing association", "")
_THEMES = (
    "Social mixing",
    "Youth",
    "Older people",
    "Digital skills",
    "ESOL and language",
    "Housing",
    "Volunteering",
    "Poverty and inequality",
    "Health inequalities",
    "Climate justice",
)


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


def _respelt(name: str, rng: random.Random) -> str:
    """Another hand's spelling of the same organisation: what a person would type, not noise."""
    ways = [
        lambda n: n.replace("'", "").replace("Club", "club").replace("Group", "group") + ".",
        lambda n: f"The {n}",
        lambda n: n.replace(" ", "  ", 1) + ".",
        lambda n: (
            n.replace("Co-operative", "Cooperative")
            .replace("Café", "Cafe")
            .replace("Foodbank", "Food Bank")
            .replace("Ltd", "Limited")
            + " "
        ),
        lambda n: n[: len(n) // 2] + n[len(n) // 2 + 1 :],  # a letter dropped
    ]
    respelt = rng.choice(ways)(name).strip()
    return respelt if respelt != name else name.lower()


_WARDS = tuple(_place(random.Random(ward)) for ward in range(40))


def partner_sheet(rows: int, *, seed: int = 14) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """``rows`` partner rows under a header, and the planted pairs (duplicate's row, original's row, as Excel
    numbers them)."""
    rng = random.Random(seed)
    sheet: list[list[str]] = [HEADERS]
    seen: set[str] = set()
    planted: list[tuple[int, int]] = []
    duplicates = round(rows * DUPLICATE_SHARE)
    duplicate_at = set(rng.sample(range(rows // 10, rows), duplicates))
    while len(sheet) <= rows:
        row_number = len(sheet) + 1
        if len(sheet) - 1 in duplicate_at:
            original = rng.randrange(2, row_number - 1)
            sheet.append([_respelt(sheet[original - 1][0], rng), *sheet[original - 1][1:]])
            planted.append((row_number, original))
            continue
        name = f"{_place(rng)} {rng.choice(_KINDS)}"
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        person = f"{rng.choice(('Ann', 'Bilal', 'Chen', 'Dafydd', 'Ewa', 'Femi'))} {_place(rng)}"
        sheet.append(
            [
                name,
                rng.choice(_SECTORS),
                f"Runs activities in {_place(rng)}",
                ", ".join(rng.sample(_THEMES, rng.randint(1, 3))),
                ", ".join(rng.sample(_WARDS, 2)),
                person,
                f"{person.split()[0].lower()}@{name.split()[0].lower()}.example.org",
            ]
        )
    return sheet, planted


def write_xlsx(path: Path, sheet: list[list[str]]) -> Path:
    from openpyxl import Workbook

    # Not write-only mode: that writes no size and inline strings, where Excel writes both the size and one
    # table of shared strings. Reading should be measured on what people have.
    book = Workbook()
    worksheet = book.active
    worksheet.title = "Partners"
    for row in sheet:
        worksheet.append(row)
    book.save(path)
    return path


def measure(rows: int, folder: Path) -> dict[str, float]:
    """Read, plan and import ``rows`` partners into a new data file, as ``cohesion-desktop import partners``."""
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.importing.partners import parse_partners
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.services.partner_import import apply_import, plan_import

    sheet, planted = partner_sheet(rows)
    source = write_xlsx(folder / f"partners-{rows}.xlsx", sheet)
    with open_store(folder / f"import-{rows}.sqlite") as store, store.session() as session:
        cpu_started = time.process_time()
        started = time.perf_counter()
        parsed = parse_partners(read_sheet(source))
        read_done = time.perf_counter()
        plan = plan_import(session, parsed)
        planned = time.perf_counter()
        report = apply_import(session, plan)
        finished = time.perf_counter()
        cpu = time.process_time() - cpu_started
    # A spelling that folds to the same name is refused as "Same name as row …": found as well.
    flagged = {row for row, *_rest in report.look_alikes + report.look_alikes_in_sheet} | {
        row for row, _name, why in report.skipped if "Same name as row" in why
    }
    return {
        "rows": rows,
        "seconds": finished - started,
        "cpu_s": cpu,
        "read_s": read_done - started,
        "plan_s": planned - read_done,
        "apply_s": finished - planned,
        "added": len(report.added),
        "planted": len(planted),
        "planted_found": sum(1 for row, _original in planted if row in flagged),
        "look_alikes": len(report.look_alikes) + len(report.look_alikes_in_sheet),
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.imports")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("sizes", type=int, nargs="+")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cohesion-import-bench-") as scratch:
        results: dict[str, list[dict[str, float]]] = {}
        for run in range(args.runs):
            for size in args.sizes:
                folder = Path(scratch) / f"{size}-{run}"
                folder.mkdir()
                results.setdefault(str(size), []).append(measure(size, folder))
        print(json.dumps(results))
