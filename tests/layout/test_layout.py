"""Every page, tab and dialog fits the laptops charities have and reads well: measured, on virtual screens.

Each screen of tests/layout/configurations.py is walked in a process of its own (the screen's size and scaling
are fixed when Qt starts) by tests/layout/screens.py, which reports what it finds: a window or dialog larger than
the screen, a page that must be scrolled sideways at 1366×768, text cut short on a button, label, tab or column
heading, text under 4.5:1 contrast. One screen is walked in the pseudo-language (every text accented and 40% longer:
cohesion_desktop/pseudo_language.py), so that what fits only in English's short words is found before a translation
is cut short.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cohesion_desktop.db.store import open_store
from cohesion_desktop.services import demo
from tests.layout.configurations import CHECKED, Screen

ROOT = Path(__file__).resolve().parents[2]


def walk(screen: Screen, example: Path, report: Path) -> list[dict[str, str]]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("QT_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.layout.screens",
            *screen.arguments,
            "--example",
            str(example),
            "--report",
            str(report),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0 and report.exists(), f"{screen}: the walk failed:\n{done.stdout}\n{done.stderr}"
    return list(json.loads(report.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_every_screen_fits_and_reads_well_on_the_laptops_charities_have(tmp_path: Path) -> None:
    example = tmp_path / "example.sqlite"
    with open_store(example) as store, store.session() as session:
        demo.load_demo(session)
    # Two at a time: the machine's two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(
            pool.map(lambda screen: walk(screen, example, tmp_path / f"{screen}.json".replace("/", "-")), CHECKED)
        )
    problems = [f"{p['where']} {p['palette']} {p['screen']}: {p['problem']}" for walked in found for p in walked]
    assert problems == [], "\n".join(problems)
