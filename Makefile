# The index of what can be done here. `make demo` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Test processes in parallel (pytest-xdist): one per core of the 2-core machines the suite runs on.
TEST_WORKERS ?= 2

.PHONY: demo test screenshots lint format bench serve-demo-data clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet '.[dev]'
	touch $@

## make demo: install, migrate, load the plan and demo data, recompute progress, serve on http://127.0.0.1:8000
demo:  # bin/demo installs (its step 1), so the first line a newcomer sees says what is happening
	DEMO_MODE=1 ./bin/demo

## make test: lint, the import contract, then the whole test suite (SQLite by default; DATABASE_URL=postgres://… for
## PostgreSQL). On SQLite, when a PostgreSQL server answers locally, the PostgreSQL-only tests run there as well.
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n $(TEST_WORKERS)
	@./bin/test-postgres-only

## make screenshots: the browser tests, writing a full-page screenshot of every page they visit to tests/screenshots/
screenshots: $(VENV)/.installed
	TEST_SCREENSHOTS=1 $(BIN)/pytest -n $(TEST_WORKERS) -m browser

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test_db.sqlite3
