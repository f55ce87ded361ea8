"""The layering rules of DESIGN.md, proved by reading the code rather than trusting it."""

from __future__ import annotations

import ast
from pathlib import Path

import cohesion_desktop

PACKAGE = Path(cohesion_desktop.__file__).resolve().parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _core_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]


def test_the_core_has_files_to_check() -> None:
    relative = {str(p.relative_to(PACKAGE)) for p in _core_files()}
    assert {"cli.py", "db/store.py", "db/models.py", "services/demo.py"} <= relative


def test_nothing_outside_ui_imports_qt() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): name
        for path in _core_files()
        for name in _imports(path)
        if name.split(".")[0] in QT_MODULES
    }
    assert offenders == {}


def test_db_does_not_reach_up_into_services_or_ui() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): name
        for path in (PACKAGE / "db").rglob("*.py")
        for name in _imports(path)
        if name.startswith(("cohesion_desktop.services", "cohesion_desktop.ui", "cohesion_desktop.export",
                            "cohesion_desktop.importing"))
    }
    assert offenders == {}


def test_export_and_importing_take_plain_rows_not_sessions() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): name
        for folder in ("export", "importing")
        for path in (PACKAGE / folder).rglob("*.py")
        for name in _imports(path)
        if name.startswith(("sqlmodel", "sqlalchemy", "cohesion_desktop.db", "cohesion_desktop.services"))
    }
    assert offenders == {}


def test_views_do_not_query_the_database() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): name
        for path in (PACKAGE / "ui").rglob("*.py")
        for name in _imports(path)
        if name.startswith(("sqlalchemy", "cohesion_desktop.db.models", "sqlmodel.select", "sqlmodel.col"))
    }
    assert offenders == {}
