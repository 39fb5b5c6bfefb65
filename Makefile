# Memorial: `make run` serves the site with demo data, `make test` runs every check.
.PHONY: run test install lock lint format bench clean

# A Python 3.12+ found by itself: PYTHON=... first, then what is on PATH, then pyenv's.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# Exact versions with hashes (make lock writes them from pyproject.toml's ranges).
LOCK := requirements/dev.txt
COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

$(INSTALLED): pyproject.toml $(LOCK)
	@test -n "$(PYTHON)" || { echo "Memorial needs Python 3.12 or newer: install python3.13 (or set PYTHON=/path/to/python3.12+)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python requirements/check_lock.py
	@touch $(INSTALLED)

install: $(INSTALLED)

run: $(INSTALLED)
	@# exec: the shell would otherwise end by SIGINT after Ctrl-C, and make report it as a failure.
	DEBUG=$${DEBUG:-1} exec $(BIN)/python manage.py run_site

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	TESTING=1 $(BIN)/python manage.py check --fail-level WARNING
	TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# Write the lock files again after changing pyproject.toml (a few minutes: it resolves afresh).
lock:
	@test -x $(BIN)/pip-compile || $(MAKE) --no-print-directory install || test -x $(BIN)/pip-compile
	$(COMPILE) --output-file requirements/main.txt pyproject.toml
	$(COMPILE) --extra s3 --output-file requirements/s3.txt pyproject.toml
	$(COMPILE) --extra dev --output-file requirements/dev.txt pyproject.toml

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles
