# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-only lint typecheck bench clean install test-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Create the environment, migrate the embedded SQLite database, load the Södertörn demo,
## write the annual reports to out/ and serve the web app on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/samverkan demo --out out

## Install what the tests need (Debian packages, axe-core) and run the whole suite
test: $(STAMP) test-deps test-only

test-deps:
	bash scripts/install-test-deps.sh

test-only: $(STAMP)
	$(BIN)/ruff check samverkan tests bench
	$(BIN)/ruff format --check samverkan tests bench
	$(BIN)/mypy samverkan
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check samverkan tests bench
	$(BIN)/ruff format --check samverkan tests bench

typecheck: $(STAMP)
	$(BIN)/mypy samverkan

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var out node_modules
