"""The layering rules of DESIGN.md, proved by reading the code rather than trusting it.

Every import counts: at the top of a module or inside a function, absolute or relative, and (for the arrows
between packages) under ``if TYPE_CHECKING:`` too. The checks are functions of a source tree, so that a mutated
copy of the package can be shown to fail them (the last tests).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import cohesion_desktop

PACKAGE = Path(cohesion_desktop.__file__).resolve().parent
NAME = PACKAGE.name
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")

# The rooms of the house: a top-level module or a subpackage of cohesion_desktop ("" is the package's face).
# Each may import only the rooms it lists (and itself). From the bottom up:
ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset(),
    "errors": frozenset(),
    "domain": frozenset(),
    "text": frozenset(),
    "changes": frozenset(),
    "files": frozenset(),
    "paths": frozenset({"", "files"}),
    "dates": frozenset({"errors"}),
    "logging_setup": frozenset({"", "paths", "files"}),
    "db": frozenset({"", "errors", "domain", "text", "files", "paths", "dates"}),
    "importing": frozenset({"", "errors", "domain", "text", "dates"}),
    "export": frozenset({"", "errors", "domain", "text", "files", "paths", "dates"}),
    "services": frozenset({"", "errors", "domain", "text", "files", "paths", "dates", "db", "importing", "export"}),
    "workspace": frozenset({"changes", "db"}),
    "ui": frozenset(
        {
            "",
            "errors",
            "domain",
            "text",
            "files",
            "paths",
            "dates",
            "logging_setup",
            "changes",
            "db",
            "importing",
            "export",
            "services",
            "workspace",
        }
    ),
    "cli": frozenset(
        {
            "",
            "errors",
            "domain",
            "text",
            "files",
            "paths",
            "dates",
            "logging_setup",
            "changes",
            "db",
            "importing",
            "export",
            "services",
            "workspace",
            "ui",
        }
    ),
    "__main__": frozenset({"cli"}),
}
# What no room but these may import: Qt is the window's; SQL is for the storage, the services and the workspace.
THIRD_PARTY_ONLY_IN = {
    QT_MODULES: frozenset({"ui"}),
    ("sqlalchemy", "sqlmodel"): frozenset({"db", "services", "workspace"}),
}
# The window asks the services and the workspace for plain rows: no tables, no queries.
UI_MAY_NOT_IMPORT = (
    "cohesion_desktop.db.models",
    "cohesion_desktop.db.sql",
    "sqlalchemy",
    "sqlmodel.select",
    "sqlmodel.col",
)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted (for "from a import b": "a" and "a.b")
    line: int
    type_only: bool  # under ``if TYPE_CHECKING:``

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(root: Path) -> list[Import]:
    """Every import in the package at ``root`` (a folder named cohesion_desktop)."""
    found: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        type_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the package the module is in, up level-1 packages
                    base = module.split(".")[: len(module.split(".")) - (path.name != "__init__.py") - (node.level - 1)]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                targets = [source, *(f"{source}.{alias.name}" for alias in node.names)]
            else:
                continue
            found += [Import(module, target, node.lineno, id(node) in type_only) for target in targets]
    return found


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def arrows_against_the_design(root: Path) -> list[str]:
    """Imports from one room of the package to another that ALLOWED does not list."""
    problems = []
    for found in imports_of(root):
        if not found.target.startswith(NAME + ".") and found.target != NAME:
            continue
        source, target = room_of(found.module), room_of(found.target)
        if found.target == NAME or (target not in ALLOWED and found.target.count(".") == 1):
            target = ""  # "from cohesion_desktop import APP_NAME": the package's face
        if source != target and target not in ALLOWED.get(source, frozenset()):
            problems.append(f"{found} ({source or 'the package'} → {target or 'the package'})")
    return problems


def third_party_out_of_place(root: Path) -> list[str]:
    problems = []
    for found in imports_of(root):
        room = room_of(found.module)
        # The window annotates the functions it hands the workspace with the Session they are given: a type only.
        if room == "ui" and found.type_only and found.target in ("sqlmodel", "sqlmodel.Session"):
            continue
        for names, rooms in THIRD_PARTY_ONLY_IN.items():
            if found.target.split(".")[0] in names and room not in rooms:
                problems.append(str(found))
        if room == "ui" and found.target.startswith(UI_MAY_NOT_IMPORT):
            problems.append(str(found))
    return problems


def import_circles(root: Path) -> list[list[str]]:
    """Modules that import each other in a loop, at run time (imports inside functions count; type-only do not)."""
    modules = {_module_name(root, path) for path in root.rglob("*.py")}

    def resolved(target: str) -> str:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target

    graph: dict[str, set[str]] = {module: set() for module in modules}
    for found in imports_of(root):
        target = resolved(found.target)
        if not found.type_only and target and target not in (found.module, NAME):
            graph[found.module].add(target)
    # Tarjan's strongly connected components: a component of two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def qt_loaded_by_the_core(root: Path) -> list[str]:
    """Import every module outside ui/ in a fresh interpreter: the ones after which PySide6 is loaded."""
    modules = sorted(
        _module_name(root, path)
        for path in root.rglob("*.py")
        if "ui" not in path.relative_to(root).parts and path.name != "__main__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    if any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules):\n"
        "        print(name)\n"
        "        break\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root.parent, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.split()


# ---------------------------------------------------------------------------- the package as it is


def test_the_checks_read_the_whole_package() -> None:
    modules = {found.module for found in imports_of(PACKAGE)}
    assert {
        "cohesion_desktop.cli",
        "cohesion_desktop.db.store",
        "cohesion_desktop.workspace",
        "cohesion_desktop.services.volunteering.volunteers",
        "cohesion_desktop.ui.main_window",
    } <= modules
    assert set(ALLOWED) >= {room_of(module) for module in modules}, "a new room needs its row in ALLOWED"


def test_every_arrow_between_rooms_is_one_the_design_allows() -> None:
    assert arrows_against_the_design(PACKAGE) == []


def test_qt_only_in_ui_sql_only_in_the_storage_and_no_queries_in_the_window() -> None:
    assert third_party_out_of_place(PACKAGE) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert import_circles(PACKAGE) == []


def test_importing_everything_outside_ui_loads_no_qt() -> None:
    assert qt_loaded_by_the_core(PACKAGE) == []


# ---------------------------------------------------------------------------- the checks can fail


def _copy_with(tmp_path: Path, changes: dict[str, str]) -> Path:
    """A copy of the package with ``changes``: {module path: a line added at its end}."""
    copy = tmp_path / NAME
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, line in changes.items():
        with (copy / relative).open("a", encoding="utf-8") as handle:
            handle.write(f"\n\n{line}\n")
    return copy


def test_a_services_import_of_the_window_is_caught(tmp_path: Path) -> None:
    copy = _copy_with(tmp_path, {"services/partners.py": "def _reach():\n    from ..ui import app  # noqa"})
    assert any(
        "cohesion_desktop.services.partners" in problem and "services → ui" in problem
        for problem in arrows_against_the_design(copy)
    )


def test_qt_in_export_is_caught_by_reading_and_by_importing(tmp_path: Path) -> None:
    copy = _copy_with(tmp_path, {"export/xlsx.py": "from PySide6 import QtCore  # noqa"})
    assert any(problem.startswith("cohesion_desktop.export.xlsx:") for problem in third_party_out_of_place(copy))
    assert qt_loaded_by_the_core(copy) != []


def test_a_circle_is_caught_even_through_an_import_inside_a_function(tmp_path: Path) -> None:
    copy = _copy_with(tmp_path, {"errors.py": "def _back():\n    from . import dates  # noqa"})
    assert import_circles(copy) == [["cohesion_desktop.dates", "cohesion_desktop.errors"]]
