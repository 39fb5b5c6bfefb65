# Memorial: `make run` serves the site with demo data, `make test` runs every check.
.PHONY: run test install lint format bench clean

# A Python 3.12+ found by itself: PYTHON=... first, then what is on PATH, then pyenv's.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

$(INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Memorial needs Python 3.12 or newer: install python3.13 (or set PYTHON=/path/to/python3.12+)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

run: $(INSTALLED)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py run_site

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	TESTING=1 $(BIN)/python manage.py check --fail-level WARNING
	TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles
