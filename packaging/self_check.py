"""Run the bundled app the way a laptop would, and fail loudly if any part of it does not work.

    python packaging/self_check.py "dist/Cohesion Desktop"            (make installer runs this)
    python packaging/self_check.py --work DIR "dist/Cohesion Desktop"  (keep the files it makes in DIR)

Six checks, each from the bundle's own executable with a clean environment (no virtual environment, no
PYTHONPATH, PATH=/usr/bin:/bin, Qt offscreen) and the app's folders in a temporary COHESION_HOME, so that
it never reads or writes anyone's real data: ``--version``, ``demo``, ``check``, ``export summary`` to .xlsx, and
to .pdf with the app's icon as the organisation's logo (a PNG through Pillow and reportlab, with the bundled
fonts), and ``--self-test``. tests/test_wheel.py runs the same checks on the app installed from its wheel.
Linux and macOS; a Windows build without a console prints nothing to check.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from cohesion_desktop import APP_ID, APP_NAME, __version__  # noqa: E402
from cohesion_desktop.db.store import open_store  # noqa: E402
from cohesion_desktop.logging_setup import LOG_FILE_NAME  # noqa: E402
from cohesion_desktop.services import settings as app_settings  # noqa: E402

TIMEOUT = 180  # seconds for one command; the first start of a cold bundle takes a few


class CheckFailed(Exception):
    pass


def executable_in(bundle: Path) -> Path:
    """The app's executable, which must be a file of the bundle itself (not a link out of it)."""
    name = f"{APP_ID}.exe" if sys.platform.startswith("win") else APP_ID
    exe = bundle / name
    if not exe.is_file():
        raise CheckFailed(f"there is no {name} in {bundle}: did the build finish?")
    if not exe.resolve().is_relative_to(bundle.resolve()):
        raise CheckFailed(f"{exe} points outside the bundle, to {exe.resolve()}")
    return exe


def clean_environment(work: Path) -> dict[str, str]:
    """What a fresh login would have, and nothing from the developer's shell or virtual environment."""
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "COHESION_HOME": str(work / "cohesion-home"),
    }


def run(exe: Path, work: Path, *args: str) -> str:
    """Run the bundled executable; returns what it printed, or raises with everything it said."""
    command = [str(exe), *args]
    shown = " ".join(command)
    try:
        done = subprocess.run(
            command, env=clean_environment(work), cwd=work, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"{shown} did not finish in {TIMEOUT} s") from exc
    except OSError as exc:
        raise CheckFailed(f"{shown} could not start: {exc}") from exc
    if done.returncode != 0:
        raise CheckFailed(f"{shown} exited with {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}")
    return done.stdout


# argparse's "show this help message and exit" in the Welsh catalogue.
WELSH_HELP = "dangos y neges gymorth hon a gadael"


def self_check(bundle: Path, work: Path) -> list[str]:
    """Run the checks on a bundle; returns one line per check passed, raises :class:`CheckFailed` on the first that
    fails."""
    bundle = bundle.absolute()  # the commands run in the work folder
    return check_app(executable_in(bundle), work, inside=bundle)


def check_app(exe: Path, work: Path, *, inside: Path) -> list[str]:
    """Run the seven checks on the app's command ``exe``, whose code and resources must all come from ``inside`` (a
    bundle, or the environment a wheel was installed into); returns one line per check passed, raises
    :class:`CheckFailed` on the first that fails."""
    passed = []

    out = run(exe, work, "--version").strip()
    if out != f"{APP_NAME} {__version__}":
        raise CheckFailed(f"--version printed {out!r}, not '{APP_NAME} {__version__}'")
    passed.append(f"--version: {out}")

    demo_file = work / "demo.sqlite"
    out = run(exe, work, "demo", "--data", str(demo_file))
    if not demo_file.is_file() or "partners" not in out:
        raise CheckFailed(f"demo did not write {demo_file}:\n{out}")
    passed.append(f"demo: {out.strip()}")

    out = run(exe, work, "check", "--data", str(demo_file))
    partners = re.search(r"Partners:\s+([\d,]+)", out)
    if "Integrity: ok" not in out or not partners or partners.group(1) == "0":
        raise CheckFailed(f"check did not report a healthy file with partners:\n{out}")
    passed.append(f"check: integrity ok, {partners.group(1)} partners")

    workbook = work / "summary.xlsx"
    run(exe, work, "export", "summary", "--data", str(demo_file), "--out", str(workbook))
    partner_rows = summary_partner_rows(workbook)
    if partner_rows != int(partners.group(1).replace(",", "")):
        raise CheckFailed(f"the summary {workbook} lists {partner_rows} partners, check counted {partners.group(1)}")
    passed.append(f"export summary: {workbook.name} with {partner_rows} partners")

    set_logo(demo_file, ROOT / "resources" / "icons" / f"{APP_ID}.png")
    document = work / "summary.pdf"
    run(exe, work, "export", "summary", "--data", str(demo_file), "--out", str(document))
    content = document.read_bytes() if document.is_file() else b""
    # reportlab writes each picture as an image XObject, whose dictionary is never compressed.
    if not content.startswith(b"%PDF-") or b"/Subtype /Image" not in content:
        raise CheckFailed(f"the summary {document} is not a PDF with the logo in it")
    passed.append(f"export summary: {document.name} with the logo, {len(content):,} bytes")

    out = run(exe, work, "--self-test", "--data", str(work / "self-test.sqlite"))
    fonts = re.search(r"fonts from (.+)$", out.strip())
    if not out.startswith("Self-test passed") or not fonts:
        raise CheckFailed(f"--self-test did not pass:\n{out}")
    if not Path(fonts.group(1)).resolve().is_relative_to(inside.resolve()):
        raise CheckFailed(f"the fonts came from {fonts.group(1)}, outside {inside}")
    passed.append(f"--self-test: {out.strip()}")

    # Welsh from the compiled catalogue that was built in (argparse's own words come from it too).
    out = run(exe, work, "--lang", "cy", "--help")
    if WELSH_HELP not in out:
        raise CheckFailed(f"--lang cy --help did not speak Welsh (no “{WELSH_HELP}”):\n{out}")
    passed.append(f"--lang cy: “{WELSH_HELP}”")

    # The app's folders went where COHESION_HOME sent them, so the checks touched no real user data.
    log = work / "cohesion-home" / "logs" / LOG_FILE_NAME
    if not log.is_file():
        raise CheckFailed(f"the app wrote no log at {log}: it did not use COHESION_HOME")
    return passed


def set_logo(data: Path, logo: Path) -> None:
    """Make ``logo`` the organisation's logo in the data file (as File → Settings does)."""
    with open_store(data) as store, store.session() as session:
        current = app_settings.get_settings(session)
        app_settings.save_settings(session, settings=dataclasses.replace(current, logo_path=str(logo)))


def summary_partner_rows(workbook: Path) -> int:
    """How many partners the funder summary's Partners sheet lists (re-opening the file as Excel would)."""
    import openpyxl  # the project's own dependency, from the environment that runs this script

    try:
        book = openpyxl.load_workbook(workbook, read_only=True)
    except Exception as exc:  # whatever the reason, the workbook cannot be opened
        raise CheckFailed(f"the summary {workbook} cannot be opened: {exc}") from exc
    try:
        if book.sheetnames[:2] != ["Summary", "Partners"]:
            raise CheckFailed(f"the summary {workbook} has the sheets {book.sheetnames}")
        return sum(1 for row in book["Partners"].iter_rows(min_row=2, values_only=True) if row[0])
    finally:
        book.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("bundle", type=Path, help='the one-folder build, e.g. "dist/Cohesion Desktop"')
    parser.add_argument("--work", type=Path, help="where to put the files it makes (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cohesion-self-check-") as temporary:
        work = (args.work or Path(temporary)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        try:
            passed = self_check(args.bundle, work)
        except CheckFailed as exc:
            print(f"SELF-CHECK FAILED: {exc}", file=sys.stderr)
            return 1
    for line in passed:
        print(f"ok  {line}")
    print(f"Self-check passed: {args.bundle} ({APP_NAME} {__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
