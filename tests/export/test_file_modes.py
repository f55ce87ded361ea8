"""Files the user saves get the permissions any program gives a new file (the umask decides, as for the .xlsx
exports), so a colleague on a shared drive can open them; subject access files are for their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cohesion_desktop.export.certificates import Certificate, write_certificates
from cohesion_desktop.export.subject_access import write_subject_access
from cohesion_desktop.export.xlsx import Column, WorkbookWriter

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX matter")


@pytest.fixture(params=[0o022, 0o002, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_pdfs_get_the_same_permissions_as_workbooks(tmp_path: Path, umask: int) -> None:
    workbook = tmp_path / "summary.xlsx"
    with WorkbookWriter(workbook) as book:
        book.add_table_sheet("Hours", [Column("Hours")], [[3]])
    pdf = write_certificates(
        tmp_path / "certificates.pdf",
        [Certificate(volunteer_name="Siân Ŵyn", hours=12, message="Thank you", awarded_on=date(2026, 3, 1))],
        organisation_name="Harrowfield",
    )
    assert mode(workbook) == 0o666 & ~umask
    assert mode(pdf) == mode(workbook)


def test_a_subject_access_file_is_for_its_owner_only(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "subject-access.txt"
    target.write_text("an older export, readable by all")
    target.chmod(0o644)
    for name in ("subject-access.txt", "subject-access.json"):
        written = write_subject_access(
            tmp_path / name,
            name="Siân Ŵyn",
            produced_on=date(2026, 3, 1),
            organisation="Harrowfield",
            sections=[("Personal details", [("Name", "Siân")])],
        )
        assert mode(written) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left behind
