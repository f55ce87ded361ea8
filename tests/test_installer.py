"""The laptop build: build_installer.spec makes a folder that works on its own, without the venv or the source.

One build (about 90 s of CPU on a 2-core machine) serves every test here; it goes to a temporary folder, so a
developer's own dist/ and build/ are left alone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cohesion_desktop import APP_ID, APP_NAME

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (the test extra installs it)")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"
SELF_CHECK = ROOT / "packaging" / "self_check.py"
# The laptop budget. Untrimmed, the bundle was 258 MB; with Qt's unused modules, plugins and translations left out,
# 188 MB; with Qt's ICU data cut to what Qt reads and unused bindings and libraries left out, 133 MB; without the
# test tools PyInstaller found through optional imports, 129 MB (PySide6 6.11).
MAX_BUNDLE_MB = 150


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("installer")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "build"),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=800,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-6000:]
    return out / "dist" / APP_NAME


def test_the_bundle_passes_its_self_check(bundle: Path, tmp_path: Path) -> None:
    exe = bundle / APP_ID
    assert exe.is_file() and exe.resolve().is_relative_to(bundle.resolve())
    checked = subprocess.run(
        [sys.executable, str(SELF_CHECK), "--work", str(tmp_path), str(bundle)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = checked.stdout
    assert (tmp_path / "demo.sqlite").stat().st_size > 0
    written = re.search(r"ok  demo: .* (\d+) partners,", out)
    counted = re.search(r"ok  check: integrity ok, (\d+) partners", out)
    assert written and counted and written.group(1) == counted.group(1) != "0", out
    assert "ok  --self-test: Self-test passed" in out
    assert "ok  --lang cy: “dangos y neges gymorth hon a gadael”" in out  # Welsh from the bundled catalogue
    # The fonts PDFs need were read from inside the bundle, not from the source tree beside it.
    fonts = re.search(r"fonts from (.+)$", out, re.MULTILINE)
    assert fonts and Path(fonts.group(1)).resolve().is_relative_to(bundle.resolve()), out
    # The app kept to the temporary COHESION_HOME it was given: data, backups, logs and settings.
    assert (tmp_path / "cohesion-home" / "logs").is_dir()


def test_the_bundle_carries_every_resource(bundle: Path) -> None:
    shipped = ROOT / "resources"
    bundled = bundle / "_internal" / "resources"
    expected = {p.relative_to(shipped): p.stat().st_size for p in shipped.rglob("*") if p.is_file()}
    found = {p.relative_to(bundled): p.stat().st_size for p in bundled.rglob("*") if p.is_file()}
    # Each message catalogue is also there compiled, beside its source.
    compiled = {path.with_suffix(".mo") for path in expected if path.suffix == ".po"}
    assert compiled and compiled <= found.keys()
    assert {path: size for path, size in found.items() if path not in compiled} == expected
    assert {"fonts", "vocabularies", "icons"} <= {p.parts[0] for p in found}


def test_the_bundle_has_the_qt_it_needs_and_no_more(bundle: Path) -> None:
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file() or p.is_symlink()]
    for module in ("QtCore", "QtGui", "QtWidgets", "QtCharts"):  # the Python modules the app imports
        assert any(f"PySide6/{module}." in name for name in files), module
    for library in ("Core", "Gui", "Widgets", "Charts", "OpenGL", "OpenGLWidgets"):  # and the libraries they link
        assert f"_internal/PySide6/Qt/lib/libQt6{library}.so.6" in files, library
    unwanted = re.compile(
        r"WebEngine|Qt6?3D|Multimedia|Quick|Qml|Qt6?Pdf|Qt6?Network|VirtualKeyboard|translations/"
        r"|PySide6/QtOpenGL|libcrypto|libssl|_avif|libavif|_webp|objectify"
        r"|psycopg|keyring|secretstorage|jeepney|cryptography"  # team mode's extra: not in the laptop app yet
    )
    assert [name for name in files if unwanted.search(name)] == []
    # Qt's ICU data, cut down to what Qt reads (tests/test_icu_data.py checks what it still answers)
    [icu] = [name for name in files if "/libicudata.so." in name and not (bundle / name).is_symlink()]
    assert (bundle / icu).stat().st_size < 8e6
    assert "platforms/libqoffscreen" in " ".join(files)  # what the headless checks run on
    size_mb = sum((bundle / name).lstat().st_size for name in files) / 1e6  # a link is not a second copy
    assert size_mb < MAX_BUNDLE_MB, f"the bundle grew to {size_mb:.0f} MB"
