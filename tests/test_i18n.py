"""The translation seam and the one formatter: Welsh plurals, catalogues that are complete, no text left unmarked in
the window, no plural built by hand, and dates and numbers that no system locale can change."""

from __future__ import annotations

import ast
import locale
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from cohesion_desktop import formatting, i18n
from cohesion_desktop.domain import MatrixColumn, Sector
from cohesion_desktop.i18n import _, ngettext

PACKAGE = Path(i18n.__file__).resolve().parent
UI = PACKAGE / "ui"


@pytest.fixture
def welsh() -> Iterator[None]:
    i18n.set_language("cy")
    yield
    i18n.set_language("en")


# ============================================================================ the seam


def test_english_is_the_source_and_welsh_reads_from_the_catalogue(welsh: None) -> None:
    assert _("Partners") == "Partneriaid"
    assert _("Volunteers") == "Gwirfoddolwyr"
    i18n.set_language("en")
    assert _("Partners") == "Partners"


def test_welsh_counts_take_their_six_forms(welsh: None) -> None:
    # CLDR: zero, one, two, few (3), many (6), other.
    forms = {n: ngettext("{n} partner", "{n} partners", n).format(n=n) for n in (0, 1, 2, 3, 6, 7, 10)}
    assert len({text.split(" ", 1)[1] for text in forms.values()}) >= 3, forms  # not English's two
    assert forms[1] == "1 partner" and forms[2] == "2 bartner"  # soft mutation after "dau"
    assert forms[3] == "3 phartner"  # aspirate mutation after "tri"


def test_an_unknown_language_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="“de” is not a language of this app"):
        i18n.set_language("de")


def test_the_systems_language_is_matched_by_its_code() -> None:
    assert i18n.match_language(["fr_FR.UTF-8", "cy_GB.UTF-8"]) == "cy"
    assert i18n.match_language(["cy-GB", "en-GB"]) == "cy"
    assert i18n.match_language(["C", "POSIX"]) is None


def test_the_vocabularies_labels_are_read_in_the_current_language(welsh: None) -> None:
    assert [column.label for column in MatrixColumn] == [
        "Eisoes yn ei wneud",
        "Gallu gwneud mwy",
        "Angen cymorth",
        "Rhwystrau/pryderon",
    ]
    assert Sector.VCS.label == "Y sector gwirfoddol a chymunedol"
    # A spreadsheet may name a sector in either language.
    assert Sector.from_label("Y sector gwirfoddol a chymunedol") is Sector.VCS
    assert Sector.from_label("Voluntary and community sector") is Sector.VCS


# ============================================================================ an export's own language


def test_an_export_speaks_its_language_in_its_thread_while_the_window_keeps_its_own() -> None:
    import threading

    inside, checked = threading.Event(), threading.Event()
    heard: list[str] = []

    def export() -> None:
        with i18n.speaking("cy"):
            inside.set()
            checked.wait(5)  # the main thread looks while this one is in the middle of its export
            heard.append(_("Partners"))
            heard.append(i18n.carrying(lambda: _("Volunteers"))())
        heard.append(_("Partners"))

    worker = threading.Thread(target=export)
    worker.start()
    assert inside.wait(5)
    assert _("Partners") == "Partners" and i18n.language() == "en"
    checked.set()
    worker.join(5)
    assert heard == ["Partneriaid", "Gwirfoddolwyr", "Partners"]


def test_work_handed_to_another_thread_takes_the_language_along() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool, i18n.speaking("cy"):
        assert pool.submit(i18n.carrying(lambda: _("Partners"))).result() == "Partneriaid"
        assert pool.submit(lambda: _("Partners")).result() == "Partners"  # without it: the window's language


def test_bilingual_texts_give_welsh_first_and_each_count_its_own_form() -> None:
    both = i18n.translator("cy+en")
    assert both.gettext("Volunteering hours") == "Oriau gwirfoddoli / Volunteering hours"
    assert both.gettext("Partner") == "Partner"  # the same in both languages: said once
    assert both.ngettext("{n} partner", "{n} partners", 2).format(n=2) == "2 bartner / 2 partners"
    sentence = both.gettext("Hours given on the opportunities each partner hosts.")
    assert sentence.split("\n") == [
        "Oriau a roddwyd ar y cyfleoedd y mae pob partner yn eu cynnal.",
        "Hours given on the opportunities each partner hosts.",
    ]
    assert (
        both.short("Summary", 31) == "Crynodeb - Summary"
        and both.short("Volunteering hours", 31) == "Oriau gwirfoddoli"
    )
    assert (both.tag, i18n.translator("en").tag) == ("cy-GB", "en-GB")
    with i18n.speaking(both):
        made = i18n.in_each_language(lambda: _("in recognition of {hours} of volunteering").format(
            hours=ngettext("{hours} hour", "{hours} hours", 3).format(hours=3)))  # fmt: skip
        assert made == "i gydnabod 3 awr o wirfoddoli / in recognition of 3 hours of volunteering"
        assert formatting.month_name(12) == "Rhagfyr / December"
    with pytest.raises(ValueError, match="“de” is not a language an export can be written in"):
        i18n.translator("de")


# ============================================================================ the formatter


@pytest.fixture
def c_locale() -> Iterator[None]:
    """The C library's locale as a bare server or a POSIX shell has it (Qt changes it to the system's)."""
    saved = locale.setlocale(locale.LC_ALL)
    locale.setlocale(locale.LC_ALL, "C")
    yield
    locale.setlocale(locale.LC_ALL, saved)


def test_dates_numbers_and_money_keep_uk_conventions_in_a_c_locale(c_locale: None) -> None:
    day = date(2026, 12, 1)
    assert formatting.format_date(day) == "01/12/2026"
    assert formatting.format_iso_date(day) == "2026-12-01"
    assert formatting.format_datetime(datetime(2026, 12, 1, 14, 2, 9), seconds=True) == "01/12/2026 14:02:09"
    assert formatting.format_number(1234.5, decimals=1) == "1,234.5"
    assert formatting.format_hours(1234.0) == "1,234" and formatting.format_hours(42.5) == "42.5"
    assert formatting.format_money(12.21) == "£12.21" and formatting.format_money(-1234.5) == "-£1,234.50"
    assert formatting.format_month(day) == "Dec 2026"
    assert formatting.weekday_name(day) == "Tuesday"


def test_hours_choose_their_plural_form_by_the_whole_number_they_show() -> None:
    assert formatting.plural_count(1.0) == 1
    assert formatting.plural_count(0.1 + 0.2 + 0.7) == 1  # 0.9999999999999999, shown as "1"
    assert formatting.plural_count(40.0) == 40
    one, fraction = formatting.plural_count(1.0), formatting.plural_count(1.5)
    assert ngettext("{hours} hour given", "{hours} hours given", one) == "{hours} hour given"
    assert ngettext("{hours} hour given", "{hours} hours given", fraction) == "{hours} hours given"


def test_welsh_dates_use_welsh_words_and_the_same_figures(welsh: None, c_locale: None) -> None:
    day = date(2026, 12, 1)
    assert formatting.format_date(day) == "01/12/2026"
    assert formatting.format_month(day, short=False) == "Rhagfyr 2026"
    assert formatting.weekday_name(day) == "Dydd Mawrth"
    assert formatting.format_money(12.21) == "£12.21"


def test_month_and_day_names_are_cldrs_in_each_language() -> None:
    from babel.dates import get_day_names, get_month_names

    day = date(2026, 11, 30)  # a Monday
    for language in i18n.LANGUAGES:
        i18n.set_language(language)
        for short, width in ((False, "wide"), (True, "abbreviated")):
            months = get_month_names(width, locale=language)
            days = get_day_names(width, locale=language)
            assert [formatting.month_name(m, short=short) for m in range(1, 13)] == [months[m] for m in range(1, 13)]
            assert [formatting.weekday_name(day + timedelta(days=n), short=short) for n in range(7)] == [
                days[n] for n in range(7)
            ]
    i18n.set_language("en")


def test_an_aware_moment_is_shown_in_the_laptops_time_zone() -> None:
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert formatting.format_datetime(moment) == formatting.format_datetime(moment.astimezone().replace(tzinfo=None))


# ============================================================================ the catalogue


def extracted() -> set[tuple[str | None, str]]:
    """Every (context, text) marked in the package, as `make translations` extracts them."""
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(PACKAGE), keywords=keywords):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    # The built-in templates' texts, as babel.cfg has `make translations` find them.
    templates = [("templates.json", "cohesion_desktop.db.defaults:extract_template_texts")]
    for _file, _line, message, _comments, context in extract_from_dir(
        str(PACKAGE.parent / "resources" / "vocabularies"), method_map=templates
    ):
        found.add((context, message))
    return found


def test_the_welsh_catalogue_translates_every_marked_text() -> None:
    with i18n.catalogue_path("cy").open("rb") as stream:
        catalogue = read_po(stream)
    entries = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue if m.id}
    missing = sorted(text for key in extracted() - entries.keys() for text in [f"{key[0] or ''}|{key[1]}"])
    assert not missing, f"not in the Welsh catalogue (run `make translations`, then translate): {missing[:20]}"
    fuzzy = sorted(key[1] for key, m in entries.items() if m.fuzzy)
    assert not fuzzy, f"fuzzy in the Welsh catalogue (check and clear the flag): {fuzzy[:20]}"
    untranslated = sorted(
        key[1]
        for key, m in entries.items()
        if not (all(m.string) if isinstance(m.string, tuple) else m.string)
        or (isinstance(m.string, tuple) and len(m.string) != 6)
    )
    assert not untranslated, f"untranslated in the Welsh catalogue: {untranslated[:20]}"


def test_every_translation_keeps_the_placeholders_of_its_english() -> None:
    with i18n.catalogue_path("cy").open("rb") as stream:
        catalogue = read_po(stream)
    placeholder = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sdr]|%[sd]")
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        welsh = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(english[-1]))
        for text in welsh:
            if set(placeholder.findall(text)) - wanted or (
                len(english) == 1 and wanted - set(placeholder.findall(text))
            ):
                wrong.append((english[0], text))
    assert not wrong, wrong[:10]


# ============================================================================ the source


# Methods and constructors whose text argument a person reads or a screen reader announces.
TEXT_CALLS = {
    "setText", "setWindowTitle", "setToolTip", "setAccessibleName", "setAccessibleDescription", "setPlaceholderText",
    "setStatusTip", "setWhatsThis", "setTitle", "setSuffix", "setPrefix", "addAction", "addMenu", "addTab",
    "setTabText", "showMessage", "setHorizontalHeaderLabels", "setLabelText", "setSpecialValueText",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QListWidgetItem", "QToolButton",
    "CommandButton", "HintLabel", "ChoiceBox", "add_field_row", "Column", "QProgressDialog", "QMessageBox",
    "addButton", "addItem", "addItems", "insertItem", "run_undoable", "try_undoable",
}  # fmt: skip
PROMPT_CALLS = {"info", "warning", "error", "confirm", "choose", "ask_text", "open_path", "save_path"}
WORDS = re.compile(r"[A-Za-z]{2,}")
SHOWN_CONSTANTS = re.compile(r"(HEADERS|HEADINGS|TITLES|LABELS|FILTER)$", re.IGNORECASE)
# A class's attributes that a subclass's window shows: window_title = "…", empty_text = "…".
SHOWN_ATTRIBUTES = re.compile(r"(title|label|text|headers|headings|titles|labels|heading|tooltip|hint)$", re.IGNORECASE)
MARKUP = re.compile(r"<[^>]*>|&\w+;")

# Files of ui/ whose texts are not marked yet. This list must only shrink: mark a file's texts, translate them in
# resources/locale/cy/LC_MESSAGES/cohesion.po, and take it off. (Pages other sessions were changing when the
# translation began were left for later, to spare merges.)
NOT_YET_MARKED: set[str] = set()


def _has_words(node: ast.AST) -> bool:
    """A literal text (or an f-string's literal part) with a word in it outside markup: what translation has to
    see. A path joined with "/" is a file name, not a sentence."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(MARKUP.sub("", node.value)))
    if isinstance(node, ast.JoinedStr):
        literal = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        return bool(WORDS.search(MARKUP.sub("", literal)))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_has_words(item) for item in node.elts)
    return False


def unmarked_texts(path: Path) -> list[str]:
    """ "line: text" of every literal text in ``path`` handed to a widget or a prompt without ``_()``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # A default label is made when the module is imported, in the language of that moment: never right.
            named = [*node.args.args[len(node.args.args) - len(node.args.defaults) :], *node.args.kwonlyargs]
            defaults = [*node.args.defaults, *node.args.kw_defaults]
            for argument, default in zip(named, defaults, strict=True):
                shown = any(part in argument.arg for part in ("label", "title", "text"))
                if shown and default is not None and _has_words(default):
                    found.append(f"{path.relative_to(UI)}:{node.lineno}: {argument.arg}={ast.unparse(default)}")
            continue
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                targets = (
                    statement.targets
                    if isinstance(statement, ast.Assign)
                    else [statement.target]
                    if isinstance(statement, ast.AnnAssign)
                    else []
                )
                value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
                if (
                    value is not None
                    and any(isinstance(target, ast.Name) and SHOWN_ATTRIBUTES.search(target.id) for target in targets)
                    and _has_words(value)
                ):  # made when the class is defined: mark with N_, translate where shown
                    found.append(f"{path.relative_to(UI)}:{statement.lineno}: {ast.unparse(value)[:80]}")
            continue
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(target, ast.Name) and SHOWN_CONSTANTS.search(target.id) for target in targets):
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if value is not None and _has_words(value):  # headings and labels made at import: mark them with N_
                found.append(f"{path.relative_to(UI)}:{node.lineno}: {ast.unparse(value)[:80]}")
            continue
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        is_prompt = (
            isinstance(func, ast.Attribute) and name in PROMPT_CALLS and "prompts" in ast.unparse(func.value).casefold()
        )
        if name not in TEXT_CALLS and not is_prompt:
            continue
        arguments = [*node.args, *(k.value for k in node.keywords if k.arg and ("label" in k.arg or "text" in k.arg))]
        for argument in arguments:
            if _has_words(argument):
                found.append(f"{path.relative_to(UI)}:{node.lineno}: {ast.unparse(argument)[:80]}")
    return found


def ui_files() -> list[Path]:
    return sorted(UI.rglob("*.py"))


# ---------------------------------------------------------------------------- texts carried to a widget

# A text can reach a widget through a name: a helper's parameter (`_linked_list("Actions owned")` whose `name` goes
# to setAccessibleName), or a loop over literals (`for label, view in (("Actions owned", view), …): QLabel(label)`).
# The scan above looks only at the call that shows a text; these follow the text back, one file at a time for loops
# and across ui/ for helpers (a widget's constructor in widgets/ carries its label into every page that makes one).


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _names_in(node: ast.AST) -> set[str]:
    return {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}


# A helper that carries a text: its name -> the positions and keywords of the arguments that reach a widget.
Carriers = dict[str, set[int | str]]
_LOGGERS = {"log", "logger", "logging"}
# What a helper or a loop also carries that is not words: a key ("partners", "owner_id"), a file's name or suffix
# ("partner-directory", ".xlsx", "window/geometry"), a shortcut ("Ctrl+N", "Enter").
_NOT_WORDS = re.compile(
    r"^([a-z0-9_./-]*|((Ctrl|Alt|Shift|Meta)\+)*([A-Z0-9]|F\d+|Enter|Return|Del|Delete|Esc|Escape|Space|Tab))$"
)


def _carried_words(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _NOT_WORDS.match(node.value):
        return False
    if isinstance(node, ast.IfExp):
        return _carried_words(node.body) or _carried_words(node.orelse)
    return _has_words(node)


def _shown_arguments(call: ast.Call, carriers: Carriers) -> list[ast.AST]:
    """The arguments of ``call`` that a person reads: those of a text call or a prompt, or a carrier's."""
    name = _call_name(call)
    func = call.func
    is_prompt = (
        isinstance(func, ast.Attribute) and name in PROMPT_CALLS and "prompts" in ast.unparse(func.value).casefold()
    )
    if name in TEXT_CALLS or is_prompt:
        return [*call.args, *(k.value for k in call.keywords if k.arg and ("label" in k.arg or "text" in k.arg))]
    if isinstance(func, ast.Attribute) and ast.unparse(func.value) in _LOGGERS:
        return []  # the log file is read by whoever supports the app, in English
    if name == "emit":
        return list(call.args)  # a signal's text is shown by whoever listens: `said.emit("Backup failed", 15000)`
    positions = carriers.get(name, set())
    return [argument for index, argument in enumerate(call.args) if index in positions] + [
        keyword.value for keyword in call.keywords if keyword.arg in positions
    ]


def _shown_names(scope: ast.AST, carriers: Carriers) -> set[str]:
    """The names in ``scope`` whose value reaches a widget's text: used in what a text call shows, or assigned to
    such a name (`heading = f"<b>{label}</b>"; QLabel(heading)`)."""
    shown: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Call):
            for argument in _shown_arguments(node, carriers):
                shown |= _names_in(argument)
    assignments = [node for node in ast.walk(scope) if isinstance(node, ast.Assign | ast.AnnAssign)]
    while True:
        more = {
            name
            for node in assignments
            if node.value is not None
            and any(isinstance(target, ast.Name) and target.id in shown
                    for target in (node.targets if isinstance(node, ast.Assign) else [node.target]))
            for name in _names_in(node.value)
        } - shown  # fmt: skip
        if not more:
            return shown
        shown |= more


def _functions(tree: ast.AST) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function by the name it is called by: a class's ``__init__`` by the class's name."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.FunctionDef) and statement.name == "__init__":
                    yield node.name, statement
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "__init__":
            yield node.name, node


@cache
def ui_carriers() -> Carriers:
    """Every function of ui/ with a parameter that reaches a widget's text, to a fixed point (a helper calling a
    helper)."""
    functions = [found for path in ui_files() for found in _functions(ast.parse(path.read_text(encoding="utf-8")))]
    carriers: Carriers = {}
    while True:
        found: Carriers = {}
        for name, function in functions:
            shown = _shown_names(function, carriers)
            parameters = [*function.args.posonlyargs, *function.args.args]
            if parameters and parameters[0].arg in ("self", "cls"):
                parameters = parameters[1:]
            for index, parameter in enumerate(parameters):
                if parameter.arg in shown:
                    found.setdefault(name, set()).update({index, parameter.arg})
            for parameter in function.args.kwonlyargs:
                if parameter.arg in shown:
                    found.setdefault(name, set()).add(parameter.arg)
        if found == carriers:
            return carriers
        carriers = found


def _literal_values(node: ast.AST, bound: dict[str, ast.AST]) -> list[ast.AST] | None:
    """The elements a loop over ``node`` takes one by one, where ``node`` is written out as literals (or is a name
    bound to such), else None. A dict's ``items()`` gives (key, value) pairs."""
    if isinstance(node, ast.Name) and node.id in bound:
        return _literal_values(bound[node.id], {})
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return list(node.elts)
    if isinstance(node, ast.Dict):
        return [key for key in node.keys if key is not None]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
        inner = node.func.value
        inner = bound.get(inner.id, inner) if isinstance(inner, ast.Name) else inner
        if isinstance(inner, ast.Dict) and node.func.attr in ("items", "values", "keys"):
            keys = [key for key in inner.keys if key is not None]
            if node.func.attr == "keys":
                return list(keys)
            if node.func.attr == "values":
                return list(inner.values)
            return [ast.Tuple(elts=[key, value]) for key, value in zip(keys, inner.values, strict=False)]
    return None


def _loop_texts(target: ast.AST, values: list[ast.AST], shown: set[str]) -> Iterator[ast.AST]:
    """The literal elements of ``values`` that land in a name of ``target`` which reaches a widget."""
    for value in values:
        if isinstance(target, ast.Name) and target.id in shown:
            yield value
        elif (
            isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
        ):
            for part, element in zip(target.elts, value.elts, strict=True):
                yield from _loop_texts(part, [element], shown)


def carried_texts(path: Path) -> list[str]:
    """ "line: text" of every literal text in ``path`` that reaches a widget through a helper's parameter or a
    loop's name without ``_()``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    carriers = ui_carriers()
    bound = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    scopes = [tree, *(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))]
    seen: set[int] = set()
    for scope in scopes:
        shown = _shown_names(scope, carriers)
        for node in ast.walk(scope):
            texts: list[ast.AST] = []
            if isinstance(node, ast.Call) and (_call_name(node) in carriers or _call_name(node) == "emit"):
                texts = _shown_arguments(node, carriers)
            elif isinstance(node, ast.For | ast.comprehension):
                target, source = node.target, node.iter
                if isinstance(source, ast.Call) and _call_name(source) == "enumerate" and source.args:
                    source = source.args[0]
                    if isinstance(target, ast.Tuple) and len(target.elts) == 2:
                        target = target.elts[1]
                values = _literal_values(source, bound)
                texts = list(_loop_texts(target, values, shown)) if values is not None else []
            for text in texts:
                if id(text) not in seen and _carried_words(text):
                    seen.add(id(text))
                    line = getattr(text, "lineno", getattr(node, "lineno", 0))
                    found.append(f"{path.relative_to(UI)}:{line}: {ast.unparse(text)[:80]}")
    return found


def test_every_text_the_window_shows_is_marked_for_translation() -> None:
    unmarked = [line for path in ui_files() if path.relative_to(UI).as_posix() not in NOT_YET_MARKED
                for line in unmarked_texts(path)]  # fmt: skip
    assert not unmarked, "wrap these in _() (see cohesion_desktop/i18n.py):\n" + "\n".join(unmarked)


def test_the_list_of_files_not_yet_marked_only_shrinks() -> None:
    known = {path.relative_to(UI).as_posix() for path in ui_files()}
    gone = NOT_YET_MARKED - known
    assert not gone, f"no longer in ui/, take them off NOT_YET_MARKED: {sorted(gone)}"
    done = sorted(name for name in NOT_YET_MARKED if not unmarked_texts(UI / name))
    assert not done, f"all marked now: take them off NOT_YET_MARKED: {done}"


def test_the_scan_sees_an_unmarked_text(tmp_path: Path) -> None:
    sample = UI / "__scan_sample__.py"
    try:
        sample.write_text(
            'label.setText("Hello there")\nlabel.setText(_("Marked"))\nprompts.error(t, f"No {x}")\n'
            'class Page:\n    window_title = "Partners"\n    empty_text: str = N_("Nothing yet")\n'
            'headers = ["Name", "Sector"]\nheaders = [N_("Name")]\n'
        )
        assert sorted(line.split(": ", 1)[0] for line in unmarked_texts(sample)) == [
            "__scan_sample__.py:1",
            "__scan_sample__.py:3",
            "__scan_sample__.py:5",
            "__scan_sample__.py:7",
        ]
    finally:
        sample.unlink()


def test_every_text_carried_to_a_widget_is_marked_for_translation() -> None:
    unmarked = [line for path in ui_files() for line in carried_texts(path)]
    assert not unmarked, "wrap these in _() (see cohesion_desktop/i18n.py):\n" + "\n".join(unmarked)


def test_the_scan_follows_a_text_through_a_helper_and_a_loop() -> None:
    sample = UI / "__carried_sample__.py"
    try:
        sample.write_text(
            "def _linked(name):\n    view.setAccessibleName(name)\n"
            '_linked("Actions owned")\n_linked(_("Marked"))\n'
            'for column, (label, key) in enumerate((("Workshops taken part in", "workshops"),)):\n'
            '    heading = f"<b>{label}</b>"\n    grid.addWidget(QLabel(heading), 0, column)\n'
            'for key in ("partners", "Ctrl+N"):\n    QLabel(key)\n'
            'said.emit("Backup failed", 15000)\nlog.info("backup made %s", path)\n'
        )
        ui_carriers.cache_clear()  # the sample's helper is one of ui/'s now
        assert sorted(line.split(": ", 1)[1] for line in carried_texts(sample)) == [
            "'Actions owned'",
            "'Backup failed'",
            "'Workshops taken part in'",
        ]
    finally:
        sample.unlink()
        ui_carriers.cache_clear()


# ---------------------------------------------------------------------------- the core's refusals and output

# Outside ui/: the errors a person reads (ours, and argparse's type errors), an import's row problems, and what the
# command line prints. Python's own errors (ValueError …) are left out: most are programmers' words (dates.py's are
# marked anyway).
CORE_TEXT_CALLS = {"warn", "refused", "RowProblem", "print"}
_PROGRAMMERS_ERRORS = {"ValueError", "TypeError", "KeyError", "RuntimeError", "AssertionError", "AttributeError",
                       "NotImplementedError", "OSError", "LookupError", "IndexError"}  # fmt: skip
_KEY = re.compile(r"^[a-z_]*$")  # a field's key ("sector") or a severity ("warning"): not words

# Files outside ui/ whose refusals or output are not marked yet. This list must only shrink.
CORE_NOT_YET_MARKED: set[str] = set()


def _core_words(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _KEY.match(node.value):
        return False
    if isinstance(node, ast.IfExp):
        return _core_words(node.body) or _core_words(node.orelse)
    return _has_words(node)


def unmarked_core_texts(path: Path) -> list[str]:
    """ "line: text" of every literal text in ``path`` that a refusal, a row problem or a print gives a person
    without ``_()``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        shown = name in CORE_TEXT_CALLS or (name.endswith("Error") and name not in _PROGRAMMERS_ERRORS)
        if not shown:
            continue
        for argument in [*node.args, *(keyword.value for keyword in node.keywords if keyword.arg != "file")]:
            if _core_words(argument):
                found.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}: {ast.unparse(argument)[:80]}")
    return found


def core_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if not path.is_relative_to(UI))


def test_every_refusal_and_output_of_the_core_is_marked_for_translation() -> None:
    unmarked = [line for path in core_files() if path.relative_to(PACKAGE).as_posix() not in CORE_NOT_YET_MARKED
                for line in unmarked_core_texts(path)]  # fmt: skip
    assert not unmarked, "wrap these in _() (see cohesion_desktop/i18n.py):\n" + "\n".join(unmarked)
    done = sorted(name for name in CORE_NOT_YET_MARKED if not unmarked_core_texts(PACKAGE / name))
    assert not done, f"all marked now: take them off CORE_NOT_YET_MARKED: {done}"


def test_the_core_scan_sees_an_unmarked_refusal() -> None:
    sample = PACKAGE / "__core_scan_sample__.py"
    try:
        sample.write_text(
            'raise CohesionError(f"No {x} here")\nraise CohesionError(_("Marked"))\nread.warn("name", "Bad")\n'
            'RowProblem(1, "", _("Ok"), "warning")\nraise ValueError(f"bad {x!r}")\nprint(f"Wrote {path}.")\n'
        )
        assert [line.split(": ", 1)[0] for line in unmarked_core_texts(sample)] == [
            "__core_scan_sample__.py:1",
            "__core_scan_sample__.py:3",
            "__core_scan_sample__.py:6",
        ]
    finally:
        sample.unlink()


# Words an English plural is built from by hand: "partner" + ("s" if n != 1 else "").
_PLURAL_PIECES = {"s", "es", "ies", "y", "is", "are", "was", "were", "has", "have", "person", "people", "it", "them"}

# Files that still build English plurals by hand; this list must only shrink (use ngettext).
PLURAL_HACKS_LEFT: set[str] = set()


def plural_hacks(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.IfExp) and isinstance(node.test, ast.Compare):
            compared = [node.test.left, *node.test.comparators]
            pieces = [
                branch.value.strip()
                for branch in (node.body, node.orelse)
                if isinstance(branch, ast.Constant) and isinstance(branch.value, str)
            ]
            if any(isinstance(c, ast.Constant) and c.value == 1 for c in compared) and any(
                piece in _PLURAL_PIECES for piece in pieces
            ):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"\w\((s|es)\)", node.value):
            found.append(f"{node.lineno}: {node.value!r}")
    return found


def test_no_plural_is_built_by_hand() -> None:
    hacks = {
        path.relative_to(PACKAGE).as_posix(): plural_hacks(path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).as_posix() not in PLURAL_HACKS_LEFT
    }
    found = [f"{name}:{line}" for name, lines in hacks.items() for line in lines]
    assert not found, "use ngettext() (Welsh has six plural forms):\n" + "\n".join(found)
    done = sorted(name for name in PLURAL_HACKS_LEFT if not plural_hacks(PACKAGE / name))
    assert not done, f"no hand-built plural left: take them off PLURAL_HACKS_LEFT: {done}"


def test_a_pdf_the_person_chose_not_to_write_is_said_in_a_short_status(welsh: None) -> None:
    from cohesion_desktop.ui.pdf_tasks import not_written

    assert not_written() == "Ni chafodd y PDF ei ysgrifennu."
