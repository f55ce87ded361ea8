# The two commands a user needs: `make run` and `make test` (and `make try` to look around on example data).
# Everything else is for the team.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Qt needs no display for tests and the benchmark.
HEADLESS := QT_QPA_PLATFORM=offscreen

.PHONY: run try test lint bench screenshots installer test-installer translations clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Cohesion Desktop needs Python 3.11 or newer; '$(PYTHON)' is older. Try: make PYTHON=python3.12 run"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# uv installs what pip would, from PyPI too, but in seconds once it has the packages in its cache (pip took ~100 s
# for the test extra, from its cache, before make test ran anything). It is installed into the venv by pip, so a new
# machine needs only Python. Bytecode is compiled at install, as pip does: where PYTHONDONTWRITEBYTECODE is set
# (this workplace sets it), every test process would otherwise compile the libraries it imports anew.
# uv does not read pip's settings (a company's package mirror or proxy in pip.conf or PIP_INDEX_URL): where uv cannot
# be had or cannot install, pip does it as before, only slower.
install = { test -x $(BIN)/uv && $(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode $(1); } || \
	{ echo "Installing with pip instead of uv"; $(BIN)/python -m pip install --quiet $(1); }

$(BIN)/uv: | $(BIN)/python
	-$(BIN)/python -m pip install --quiet uv

# Re-install whenever pyproject.toml or setup.py changes (a new dependency, or where the package's files come
# from), not on every run.
$(VENV)/.installed-app: pyproject.toml setup.py | $(BIN)/uv
	$(call install,-e .)
	@touch $@

$(VENV)/.installed-test: pyproject.toml setup.py | $(BIN)/uv
	$(call install,-e '.[test]')
	@touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(BIN)/cohesion-desktop

# The app on the example town, in a temporary folder of its own (data, backups, log, settings) that is removed
# when the window closes: nobody's own data file is read or written, whatever COHESION_DATA says.
# TRY_ARGS passes options to the window (tests/test_make_try.py uses --self-test).
try: $(VENV)/.installed-app
	@home=$$(mktemp -d "$${TMPDIR:-/tmp}/cohesion-try-XXXXXX") || exit 1; \
	echo "Example data in $$home (removed when you close the window; your own data file is not touched)"; \
	env -u COHESION_DATA COHESION_HOME="$$home" $(BIN)/cohesion-desktop demo >/dev/null && \
	  env -u COHESION_DATA COHESION_HOME="$$home" $(BIN)/cohesion-desktop $(TRY_ARGS); \
	status=$$?; rm -rf "$$home"; exit $$status

# Two test processes (one per core of a small laptop); each file's tests stay in one process, so a file's
# one-off set-up (the wheel, the laptop bundle) is made once. --no-loadscope-reorder keeps the order of
# tests/conftest.py (longest files first): by default xdist hands out the files with most tests first, and
# the few long ones ran alone at the end.
# The tests' processes keep the bytecode of the app and the tests (in __pycache__, ignored by git) even where
# PYTHONDONTWRITEBYTECODE is set: otherwise each of the ~60 processes the tests start compiles the app again
# (tests/test_cli.py: 33.7 s of CPU, 30.5 s on a first run with the caches written, 28.6 s with them there).
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(HEADLESS) env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=15

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(HEADLESS) $(BIN)/python -m bench

# Every page, tab and dialog as PNGs in screenshots/ (not committed), on the screens of
# tests/layout/configurations.py, for people to look at; the problems found are listed as they are drawn.
screenshots: $(VENV)/.installed-test
	@rm -rf screenshots
	@for screen in $$($(BIN)/python -c 'from tests.layout.configurations import PICTURED; print(" ".join(",".join(s.arguments) for s in PICTURED))'); do \
	  $(BIN)/python -m tests.layout.screens $$(echo $$screen | tr , ' ') --out screenshots || exit 1; \
	done
	@echo "Pictures in screenshots/"

# The laptop app: dist/Cohesion Desktop/, then the bundle's own self-check (see README).
installer: $(VENV)/.installed-test
	$(BIN)/pyinstaller --noconfirm --clean build_installer.spec
	$(BIN)/python packaging/self_check.py "dist/Cohesion Desktop"
	@du -sh "dist/Cohesion Desktop"

# Only the installer test (it is part of make test too).
test-installer: $(VENV)/.installed-test
	$(HEADLESS) $(BIN)/python -m pytest tests/test_installer.py

# Every text marked in the code (_, ngettext, pgettext, N_, NP_), and the built-in templates' texts (babel.cfg), into
# resources/locale/cohesion.pot, and the Welsh
# catalogue brought up to date with it: new and changed texts appear untranslated (Babel's fuzzy guesses were mostly
# wrong: "&Remit" → "&Golygu"), and tests/test_i18n.py fails until a translator has written each. No line numbers: every edit of the code
# would otherwise touch the catalogues (and clash with everyone else's edits).
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract --no-location --sort-output --add-comments=TRANSLATORS: --no-wrap -k NP_:1c,2 \
	  --project "Cohesion Desktop" --copyright-holder "Cohesion Desktop" --msgid-bugs-address "" \
	  -F babel.cfg -o resources/locale/cohesion.pot cohesion_desktop resources/vocabularies
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching --ignore-obsolete -i resources/locale/cohesion.pot -d resources/locale -D cohesion

clean:
	rm -rf build dist .pytest_cache .ruff_cache
