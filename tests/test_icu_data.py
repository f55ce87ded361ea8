"""packaging/icu_data.py: the laptop bundle's ICU data, trimmed to what Qt reads, still answers Qt's questions.

These run on the ICU data library of the installed PySide6 (Linux wheels carry one), without building the bundle:
the trimmed copy is loaded into a Qt process in place of the whole one (LD_PRELOAD).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import PySide6

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import icu_data  # noqa: E402

LIBRARIES = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not LIBRARIES
    or not all(shutil.which(tool) for tool in ("nm", "readelf", "objcopy", "as", "ld")),
    reason="only Linux builds of Qt carry their own ICU data, and trimming it needs binutils",
)

# What Qt asks ICU, in the languages the app keeps: collation, case mapping, time-zone names; and a language it
# drops (German), which must fall back rather than fail.
QT_QUESTIONS = """
from PySide6.QtCore import QCollator, QLocale, QTimeZone
collator = QCollator(QLocale("en_GB"))
print(sorted(["banana", "Apple", "Éclair", "cherry"], key=collator.sortKey))
print(QCollator(QLocale("cy_GB")).compare("ch", "d") < 0)
print(QLocale("cy_GB").toUpper("ŵyn"), QLocale("tr_TR").toUpper("istanbul"))
london = QTimeZone(b"Europe/London")
for name in ("en_GB", "cy_GB", "de_DE"):
    print(london.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale(name)))
"""
ANSWERS = [
    "['Apple', 'banana', 'cherry', 'Éclair']",
    "True",
    "ŴYN İSTANBUL",
    "Greenwich Mean Time",
    "Amser Safonol Greenwich",
]


def ask_qt(preload: Path | None) -> list[str]:
    env = {**os.environ, "LD_PRELOAD": str(preload)} if preload else dict(os.environ)
    done = subprocess.run(
        [sys.executable, "-c", QT_QUESTIONS], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return icu_data.trimmed_library(LIBRARIES[-1], tmp_path_factory.mktemp("icu"))


def test_the_common_data_package_is_read_and_written_back_byte_for_byte(tmp_path: Path) -> None:
    whole = tmp_path / "whole.dat"
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", str(LIBRARIES[-1]), str(whole)], check=True)
    blob = whole.read_bytes()
    header, items = icu_data.read_package(blob)
    assert len(items) > 1000 and any(name.endswith("/coll/root.res") for name, _data in items)
    assert icu_data.write_package(header, items) == blob


def test_the_trimmed_library_answers_what_qt_asks(trimmed: Path) -> None:
    assert trimmed.stat().st_size < LIBRARIES[-1].stat().st_size / 5
    whole, cut = ask_qt(None), ask_qt(trimmed)
    assert whole[:5] == cut[:5] == ANSWERS
    # A language whose names were dropped falls back to English: still an answer, not an error.
    assert cut[5] == "Greenwich Mean Time"


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        ("icudt73l/root.res", True),
        ("icudt73l/pool.res", True),
        ("icudt73l/res_index.res", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/zoneinfo64.res", True),
        ("icudt73l/cnvalias.icu", True),
        ("icudt73l/en_GB.res", True),
        ("icudt73l/cy.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/coll/cy.res", True),
        ("icudt73l/zone/en_GB.res", True),
        ("icudt73l/zone/root.res", True),
        ("icudt73l/de.res", False),
        ("icudt73l/zh_Hant_TW.res", False),
        ("icudt73l/coll/de.res", False),
        ("icudt73l/zone/fr.res", False),
        ("icudt73l/brkitr/cjdict.dict", False),
        ("icudt73l/lang/en.res", False),
        ("icudt73l/translit/root.res", False),
        ("icudt73l/ibm-5348_P100-1997.cnv", False),
    ],
)
def test_what_is_kept(item: str, kept: bool) -> None:
    assert icu_data.used_by_qt(item) is kept
