# Holdspace: `make demo` serves the app with demo data; `make test` runs every check.
# Both set everything up first. PYTHON may be given: make test PYTHON=/path/to/python3.13

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell scripts/find-python.sh)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_DB := $(CURDIR)/demo.sqlite3
DEMO_ENV := DEBUG=1 DATABASE_URL=sqlite:///$(DEMO_DB) ACCOUNT_EMAIL_VERIFICATION=optional

.PHONY: demo test install lint bench clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer found. Install one, or run: make $(MAKECMDGOALS) PYTHON=/path/to/python3.13" >&2; \
	  exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) -c 'import sys; print(sys.version.split()[0])'))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: install
	$(DEMO_ENV) scripts/demo.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy holdspace tests bench
	$(BIN)/lint-imports

test: install
	scripts/test.sh

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_DB) staticfiles .mypy_cache .ruff_cache
