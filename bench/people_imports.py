"""The volunteer and past-hours imports, in a process of their own: a generated workbook of each is read,
matched and written into a new data file, then the hours workbook is imported again (it must add nothing).

    python -m bench.people_imports ROWS   → one JSON object: seconds (wall and CPU) of each import, entries added

The workbooks are written as Excel writes them (a size and one table of shared strings), with dates as date
cells and as Excel serial numbers, ten volunteer columns, and hours spread over 5,000 people and 600 days.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

VOLUNTEER_HEADERS = [
    "Full name",
    "Email",
    "Phone",
    "Skills",
    "Availability",
    "Consent",
    "Consent date",
    "DBS level",
    "DBS date",
    "Notes",
]


def write_workbooks(rows: int, folder: Path, *, seed: int = 19) -> tuple[Path, Path]:
    from openpyxl import Workbook

    rng = random.Random(seed)
    people = Workbook()
    sheet = people.active
    sheet.title = "Volunteers"
    sheet.append(["Volunteers, copied from the old spreadsheet"])
    sheet.append([])
    sheet.append(VOLUNTEER_HEADERS)
    for i in range(rows):
        sheet.append(
            [
                f"Person {i}",
                f"p{i}@example.org",
                f"07700 {i:06d}",
                "cooking, driving",
                rng.choice(["weekends", "evenings", "anytime", ""]),
                rng.choice(["Yes", "No", "", "N/A"]),
                date(2023, 1, 1) + timedelta(days=i % 500),
                rng.choice(["Enhanced", "", "First aid"]),
                45_000 + i % 400,  # a date typed into a number cell: an Excel serial
                "",
            ]
        )
    people_path = folder / "volunteers.xlsx"
    people.save(people_path)
    hours = Workbook()
    sheet = hours.active
    sheet.title = "Hours"
    sheet.append(["Volunteer", "Date", "Role", "Hours"])
    for i in range(rows):
        sheet.append(
            [
                f"Person {i % 5000}",
                date(2024, 1, 1) + timedelta(days=i % 600),
                "Food bank",
                rng.choice([1, 1.5, 2, 2.5, 3]),
            ]
        )
    hours_path = folder / "hours.xlsx"
    hours.save(hours_path)
    return people_path, hours_path


def measure(rows: int, folder: Path) -> dict[str, Any]:
    from cohesion_desktop.db.store import open_store
    from cohesion_desktop.domain import OpportunityStatus, Sector
    from cohesion_desktop.importing.hours import parse_hours
    from cohesion_desktop.importing.spreadsheet import read_sheet
    from cohesion_desktop.importing.volunteers import parse_volunteers
    from cohesion_desktop.services import hours_import, partners, volunteer_import
    from cohesion_desktop.services.partners import PartnerInput
    from cohesion_desktop.services.volunteering import opportunities
    from cohesion_desktop.services.volunteering.opportunities import OpportunityInput

    people_path, hours_path = write_workbooks(rows, folder)
    figures: dict[str, Any] = {"rows": rows}
    with open_store(folder / "people.sqlite") as store, store.session() as session:
        host = partners.create_partner(session, data=PartnerInput(name="Millbrook Food Bank", sector=Sector.VCS))
        data = OpportunityInput(title="Food bank", host_partner_id=host.id, status=OpportunityStatus.OPEN)
        opportunities.create_opportunity(session, data=data)

        cpu, started = time.process_time(), time.perf_counter()
        plan = volunteer_import.plan_volunteer_import(session, parse_volunteers(read_sheet(people_path)))
        report = volunteer_import.apply_volunteer_import(session, plan)
        figures.update(volunteers_s=time.perf_counter() - started, volunteers_cpu_s=time.process_time() - cpu)
        figures["volunteers_added"] = len(report.added)

        for run in ("hours", "hours_again"):
            cpu, started = time.process_time(), time.perf_counter()
            hours_plan = hours_import.plan_hours_import(session, parse_hours(read_sheet(hours_path)))
            added = hours_import.apply_hours_import(session, hours_plan)
            figures.update({f"{run}_s": time.perf_counter() - started, f"{run}_cpu_s": time.process_time() - cpu})
            figures[f"{run}_added"] = added.entries_added
            figures[f"{run}_adds_up"] = added.totals.adds_up
    return figures


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.people_imports")
    parser.add_argument("rows", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cohesion-people-bench-") as scratch:
        print(json.dumps(measure(args.rows, Path(scratch))))
