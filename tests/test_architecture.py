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
    # The translation seam and the one formatter sit under everything that shows words, dates or numbers.
    "i18n": frozenset({"", "paths", "pseudo_language"}),
    # The layout tests' pseudo-language: texts in, texts out.
    "pseudo_language": frozenset(),
    "formatting": frozenset({"", "i18n"}),
    "domain": frozenset({"i18n"}),
    "text": frozenset(),
    "changes": frozenset(),
    "files": frozenset(),
    "paths": frozenset({"", "files"}),
    "dates": frozenset({"errors", "formatting", "i18n"}),  # its refusals of a typed date are words
    "logging_setup": frozenset({"", "paths", "files"}),
    "db": frozenset({"i18n", "formatting", "", "errors", "domain", "text", "files", "paths", "dates"}),
    "importing": frozenset({"i18n", "formatting", "", "errors", "domain", "text", "dates"}),
    "export": frozenset({"i18n", "formatting", "", "errors", "domain", "text", "files", "paths", "dates"}),
    "services": frozenset(
        {"i18n", "formatting", "", "errors", "domain", "text", "files", "paths", "dates", "db", "importing", "export"}
    ),
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
            "i18n",
            "formatting",
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
            "i18n",
            "formatting",
            "logging_setup",
            "changes",
            "db",
            "importing",
            "export",
            "services",
            "workspace",
            "ui",
            "team_commands",
        }
    ),
    # The command line's commands on a team database (grant, roles, backup): cli.py parses them.
    "team_commands": frozenset({"", "errors", "i18n", "formatting", "db"}),
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


# SQL that only SQLite understands, outside db/: team mode (issue 17) runs the same services on PostgreSQL, so
# each such use is to move into db/ behind a function with one implementation per engine
# (docs/dev/team-mode-plan.md, section 3). What is left of today's is listed; the list may only shrink.
SQLITE_ONLY_CALLS = {"with_attached": "ATTACH DATABASE"}
SQLITE_ONLY_WORDS = ("PRAGMA", "VACUUM", "ATTACH", "TEMPORARY", "TEMP TABLE", "SQLITE_MASTER")
SQLITE_ONLY_KNOWN: dict[str, set[str]] = {
    "logging_setup.py": {"sqlite3"},  # tells a storage error from a bug by sqlite3.Error
    "services/merging.py": {"sqlite3", "with_attached"},
    "services/reporting.py": {"TEMPORARY"},  # a table per report (PostgreSQL has them too, at a cost)
    "services/volunteering/erasure.py": {"sqlite3"},
}


def sqlite_only_sql(root: Path) -> dict[str, set[str]]:
    """Outside db/: each module's SQLite-only uses, named: a call in SQLITE_ONLY_CALLS, "+column" (the index
    hint of a unary plus), a SQL word of SQLITE_ONLY_WORDS in a string that is not a docstring, "sqlite3"."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in ("db", "ui"):  # the window runs no SQL (third_party_out_of_place says so)
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        uses = found.setdefault(str(relative), set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in SQLITE_ONLY_CALLS:
                    uses.add(name)
                first = node.args[0] if node.args else None
                if name == "literal_column" and isinstance(first, ast.Constant) and str(first.value).startswith("+"):
                    uses.add("+column")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                # SQL words in capitals: "PRAGMA user_version", not a message's "verify" or "temporary".
                uses.update(word for word in SQLITE_ONLY_WORDS if word in node.value)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(name.split(".")[0] == "sqlite3" for name in names):
                    uses.add("sqlite3")
    return {module: uses for module, uses in found.items() if uses}


# Outside db/, rows are updated through db.versions (update_rows, update_by_id), never SQLAlchemy's update():
# a statement that changes many rows must count one more save of each (team mode: a stale save is refused).
def bare_updates(root: Path) -> list[str]:
    """Where a module outside db/ imports ``update`` from SQLAlchemy or SQLModel, or calls ``<something>.update(``
    on one of them (``sqlalchemy.update(…)``)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "db":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlalchemy", "sqlmodel"):
                if any(alias.name == "update" for alias in node.names):
                    found.append(f"{relative}:{node.lineno}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("sqlalchemy", "sqlmodel", "sa")
            ):
                found.append(f"{relative}:{node.lineno}")
    return found


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


def test_no_new_sqlite_only_sql_outside_the_storage() -> None:
    found = sqlite_only_sql(PACKAGE)
    new = {module: uses - SQLITE_ONLY_KNOWN.get(module, set()) for module, uses in found.items()}
    assert {module: uses for module, uses in new.items() if uses} == {}, (
        "SQL only SQLite understands belongs in db/, behind a function PostgreSQL can have too"
    )
    gone = {module: uses - found.get(module, set()) for module, uses in SQLITE_ONLY_KNOWN.items()}
    assert {module: uses for module, uses in gone.items() if uses} == {}, (
        "moved into db/: take it off SQLITE_ONLY_KNOWN, so that it cannot come back unnoticed"
    )


def test_rows_are_updated_outside_the_storage_only_through_db_versions() -> None:
    assert bare_updates(PACKAGE) == [], "update many rows with db.versions.update_rows, which counts their versions"


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


def test_a_bare_update_outside_db_is_caught(tmp_path: Path) -> None:
    copy = _copy_with(
        tmp_path,
        {
            "services/lists.py": "from sqlalchemy import select, update  # noqa",
            "services/overview.py": "import sqlalchemy\ndef _hide():\n    return sqlalchemy.update(None)  # noqa",
            "services/settings.py": "def _merge(values, more):\n    values.update(more)  # noqa",
        },
    )
    assert [where.split(":")[0] for where in bare_updates(copy)] == ["services/lists.py", "services/overview.py"]


def test_sqlite_only_sql_outside_db_is_caught(tmp_path: Path) -> None:
    copy = _copy_with(
        tmp_path,
        {
            "services/lists.py": 'def _size(session):\n    return session.exec(text("PRAGMA page_count"))  # noqa',
            "services/overview.py": 'def _key():\n    return literal_column("+partner.name")  # noqa',
            "services/settings.py": 'def _told():\n    """What PRAGMA user_version says, in words."""',
        },
    )
    found = sqlite_only_sql(copy)
    assert "PRAGMA" in found["services/lists.py"] and "+column" in found["services/overview.py"]
    assert "services/settings.py" not in found  # a docstring is prose, not SQL
