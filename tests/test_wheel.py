"""Installs whole: the sdist and the wheel carry everything the app needs, and the wheel installed on its own (no
``-e``, nothing from the source tree) passes the same checks as the laptop bundle.

One build and one install serve every test here. The wheel goes into a new environment on its own (no
dependencies installed there: that would copy 700 MB of Qt for each run); the packages it depends on are
lent by the test environment through a path file, and ``pip check`` proves that the wheel's declared
dependencies are all met by them, so a missing or wrong requirement still fails.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cohesion_desktop import APP_ID, __version__

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
sys.path.insert(0, str(ROOT / "packaging"))
from self_check import CheckFailed, check_app  # noqa: E402


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sdist, and the wheel built from that sdist (as ``python -m build`` does by default): a file the sdist
    forgot would be missing from the wheel too."""
    out = tmp_path_factory.mktemp("dist")
    # The build's own environments (setuptools and Babel, as pyproject.toml asks) made by uv where make installed it:
    # the same packages, ~6 s less CPU than pip's.
    installer = ["--installer", "uv"] if importlib.util.find_spec("uv") else []
    done = subprocess.run(
        [sys.executable, "-m", "build", *installer, "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return Built(sdist, wheel)


@dataclass(frozen=True)
class Installed:
    venv: Path
    package: Path  # cohesion_desktop/ in the environment's site-packages


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """A new virtual environment with the wheel installed (not editable, not from the source tree), its
    dependencies lent by this environment."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    # This environment's pip installs into the new one (--python).
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-compile",
            "--no-deps",
            str(built.wheel),
        ],
        capture_output=True,
        text=True,
        timeout=800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    [site_packages] = venv.glob("lib/python3*/site-packages")
    # The dependencies, from this environment's site-packages, after the new one's own (a plain path: the
    # editable install of the source tree that this environment holds is not loaded from there).
    lent = [path for path in sys.path if path.endswith("site-packages") and Path(path).is_dir()]
    (site_packages / "zz-lent-dependencies.pth").write_text("\n".join(lent) + "\n")
    checked = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, f"the wheel's requirements are not met: {checked.stdout}{checked.stderr}"
    # Another distribution's top-level "resources" folder beside ours (some wheels do ship one): the app must
    # still read its own.
    (site_packages / "resources" / "fonts").mkdir(parents=True)
    (site_packages / "resources" / "vocabularies").mkdir()
    yield Installed(venv, site_packages / "cohesion_desktop")
    shutil.rmtree(venv, ignore_errors=True)


def shipped_resources() -> dict[str, int]:
    return {p.relative_to(RESOURCES).as_posix(): p.stat().st_size for p in RESOURCES.rglob("*") if p.is_file()}


def test_the_sdist_carries_the_resources(built: Built) -> None:
    top = f"cohesion_desktop-{__version__}/"
    with tarfile.open(built.sdist) as sdist:
        found = {
            member.name.removeprefix(f"{top}resources/"): member.size
            for member in sdist.getmembers()
            if member.isfile() and member.name.startswith(f"{top}resources/")
        }
        names = set(sdist.getnames())
    assert found == shipped_resources()
    assert {f"{top}setup.py", f"{top}pyproject.toml", f"{top}cohesion_desktop/__init__.py"} <= names


def test_the_wheel_carries_the_resources_inside_the_package(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        found = {
            info.filename.removeprefix("cohesion_desktop/resources/"): info.file_size
            for info in wheel.infolist()
            if info.filename.startswith("cohesion_desktop/resources/")
        }
        top_levels = {name.split("/")[0] for name in wheel.namelist()}
    # Each message catalogue is also there compiled (setup.py), beside its source.
    compiled = {name.removesuffix(".po") + ".mo" for name in shipped_resources() if name.endswith(".po")}
    assert compiled and compiled <= found.keys()
    assert {name: size for name, size in found.items() if name not in compiled} == shipped_resources()
    # Nothing at the top of site-packages but the package and its metadata (a top-level "resources" would clash).
    assert top_levels == {"cohesion_desktop", f"cohesion_desktop-{__version__}.dist-info"}


def test_the_installed_wheel_works_on_its_own(installed: Installed, tmp_path: Path) -> None:
    # From a folder that is not the source tree, and with a clean environment: the code comes from the wheel.
    shown = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import cohesion_desktop; print(cohesion_desktop.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.defpath},
        timeout=120,
        check=True,
    ).stdout.strip()
    assert Path(shown) == installed.package / "__init__.py"
    try:
        # The fonts --self-test reports must be the package's own.
        passed = check_app(installed.venv / "bin" / APP_ID, tmp_path, inside=installed.package)
    except CheckFailed as exc:
        pytest.fail(str(exc))
    assert [line.split(":")[0] for line in passed] == [
        "--version",
        "demo",
        "check",
        "export summary",
        "export summary",
        "--self-test",
        "--lang cy",
    ]
    # The Welsh came from the catalogue compiled into the wheel.
    assert (installed.package / "resources" / "locale" / "cy" / "LC_MESSAGES" / "cohesion.mo").is_file()
    # Its folders went to the temporary COHESION_HOME the checks gave it.
    assert (tmp_path / "cohesion-home" / "logs").is_dir()
    assert (tmp_path / "summary.xlsx").stat().st_size > 0 and (tmp_path / "summary.pdf").stat().st_size > 0
