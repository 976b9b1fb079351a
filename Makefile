# MindNotes: `make run` starts the app on its embedded default; `make test` runs the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test test-fast lint worker bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/flask --app wsgi serve

test: $(BIN)/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# Everything but the browser tests (tests/browser/, marked `browser`).
test-fast: $(BIN)/.installed
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check mindnotes tests bench worker.py wsgi.py
	$(BIN)/ruff format --check mindnotes tests bench worker.py wsgi.py
	$(BIN)/mypy

worker: $(BIN)/.installed
	$(BIN)/python worker.py
