# Two commands: `make run` sets up and runs the app; `make test` sets up and runs every check.
# `make run` installs only what the app needs; `make test` adds the test tools (a stamp each, so
# each is installed once and again only when pyproject.toml or constraints.txt changes). Both
# install the versions in constraints.txt (`make constraints` writes it again).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed
# pytest-xdist workers for `make test` (README, "Tests": measured on 2 cores).
TEST_WORKERS ?= 3

.PHONY: run test test-bytecode screenshots lint typecheck bench clean i18n constraints

$(BIN)/python:
	@echo "==> Making the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Updating pip in $(VENV)"
	$(PIP) install --progress-bar on --upgrade pip

$(APP_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "==> Installing Sciatica Care and what it needs to run (the first time takes a minute)"
	$(PIP) install --progress-bar on -c constraints.txt -e .
	@touch $@

$(DEV_STAMP): $(APP_STAMP)
	@echo "==> Installing the test tools (pytest, ruff, mypy, selenium...)"
	$(PIP) install --progress-bar on -c constraints.txt -e '.[dev]'
	@touch $@

run: $(APP_STAMP)
	@echo "==> Starting Sciatica Care with the demo accounts (Ctrl+C stops it)"
	$(BIN)/sciatica-care serve --demo

test: $(DEV_STAMP) lint
	@# mypy (one core) and the tests' bytecode (the other) side by side.
	@$(MAKE) --no-print-directory -j2 typecheck test-bytecode
	@echo "==> Running the tests on $(TEST_WORKERS) workers"
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Bytecode made once and read by every process the tests start, where PYTHONDONTWRITEBYTECODE
# is set (as on CI's machines) and each would otherwise compile it again: the app's, and the
# test modules' with their asserts rewritten by pytest (one collection writes them; each
# worker's collection then took 4 s instead of 10).
test-bytecode: $(DEV_STAMP)
	@$(BIN)/python -m compileall -q src
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -p no:cacheprovider --collect-only \
		> /dev/null || true

# The browser tests again, keeping a screenshot of each page they pass through (phone and
# desktop widths) in artifacts/screenshots/ for people to look at; `make test` keeps none.
screenshots: test-bytecode
	SCIATICA_CARE_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) \
		--dist worksteal -m browser $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

bench: $(DEV_STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Translations: collect the marked words (messages.pot), merge them into each language's
# catalog (messages.po: translate the new and fuzzy entries there), and compile (messages.mo).
LOCALES := src/sciatica_care/locale
i18n: $(DEV_STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o $(LOCALES)/messages.pot --no-location --sort-output \
		--omit-header -k _ -k N_ -k gettext -k ngettext:1,2 -k pgettext:1c,2 src/sciatica_care
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-fuzzy-matching \
		--ignore-obsolete --width 100
	$(BIN)/pybabel compile -d $(LOCALES) --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Every package `pip install -e '.[dev]'` brings, newest within pyproject.toml's pins, written to
# constraints.txt from a fresh virtual environment (run it after changing a dependency, then
# `make test`, and commit both files).
CONSTRAINTS_VENV ?= /tmp/sciatica-care-constraints
constraints:
	rm -rf $(CONSTRAINTS_VENV)
	$(PYTHON) -m venv $(CONSTRAINTS_VENV)
	$(CONSTRAINTS_VENV)/bin/python -m pip install -q --upgrade pip
	$(CONSTRAINTS_VENV)/bin/python -m pip install -q -e '.[dev]'
	grep '^#' constraints.txt > constraints.txt.new
	$(CONSTRAINTS_VENV)/bin/python -m pip freeze --exclude-editable >> constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(CONSTRAINTS_VENV)
