"""``make try``: the app on the example data in a throwaway folder, never on the user's own data file."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cohesion_desktop.db import models
from cohesion_desktop.db.store import open_store

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
    reason="runs the Makefile, whose environment is .venv (make test)",
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_make_try_loads_the_example_data_in_a_throwaway_folder(tmp_path: Path) -> None:
    # Someone whose own data file is named by COHESION_DATA, as the README allows.
    mine = tmp_path / "mine.sqlite"
    with open_store(mine) as store, store.session() as session:
        session.add(models.Partner(name="Our only partner", sector="faith"))
        session.commit()
    before = digest(mine)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "COHESION_DATA": str(mine), "TMPDIR": str(temporary), "HOME": str(tmp_path / "home")}
    # `check` in place of the window: it reports what the window would have opened.
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "try", "TRY_ARGS=check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    opened = re.search(r"^Data file: (.+)$", done.stdout, re.MULTILINE)
    assert opened and Path(opened.group(1)).is_relative_to(temporary), done.stdout
    partners = re.search(r"Partners:\s+([\d,]+)", done.stdout)
    assert partners and int(partners.group(1)) > 0, done.stdout  # the example town was loaded
    assert list(temporary.iterdir()) == []  # and thrown away afterwards
    assert digest(mine) == before
