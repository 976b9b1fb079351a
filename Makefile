# MindNotes: `make run` starts the app on its embedded default; `make test` runs the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test test-fast test-dates lint worker bench

# Tests run in parallel, one pytest-xdist process per core (at most 4), each with stores of its own (its
# PostgreSQL database, Redis database number and nx-27017). A file's tests stay in one process, in order: a
# scenario is one story told test by test. PYTEST_WORKERS=0 runs them all in one process.
PYTEST_WORKERS ?= auto
PARALLEL := -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/flask --app wsgi serve

test: $(BIN)/.installed
	$(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

# Everything but the browser tests (tests/browser/, marked `browser`).
test-fast: $(BIN)/.installed
	$(BIN)/pytest $(PARALLEL) -m "not browser" $(PYTEST_ARGS)

# Store faults with real processes (tests/faults/): Redis, nx-27017 and worker.py started and killed.
.PHONY: test-faults
test-faults: $(BIN)/.installed
	$(BIN)/pytest tests/faults $(PYTEST_ARGS)

# The suite passes on any date: the non-browser tests once per moment, with this
# process's clock moved there (MINDNOTES_TEST_NOW, tests/conftest.py): the last
# half hour of February in UTC (already 1 March in Berlin), and the night Europe/Berlin
# moves to summer time. The scenarios, the fault tests and test_embedded are left out: the
# app or the worker they start runs in its own process, on the machine's clock.
TEST_MOMENTS ?= 2027-02-28T23:30:00Z 2027-03-28T01:30:00Z
test-dates: $(BIN)/.installed
	status=0; for moment in $(TEST_MOMENTS); do \
		echo "== make test-dates: the clock at $$moment"; \
		MINDNOTES_TEST_NOW=$$moment $(BIN)/pytest $(PARALLEL) -m "not browser" --ignore=tests/scenarios --ignore=tests/faults \
			--ignore=tests/stores/test_embedded.py $(PYTEST_ARGS) || status=1; \
	done; exit $$status

lint: $(BIN)/.installed
	$(BIN)/ruff check mindnotes tests bench worker.py wsgi.py
	$(BIN)/ruff format --check mindnotes tests bench worker.py wsgi.py
	$(BIN)/mypy

worker: $(BIN)/.installed
	$(BIN)/python worker.py

# A second opinion on semantics (issue 16): the documents layer and every test calling it
# directly, again with the app's MongoDB swapped for mongomock (tests/_mongo_lane.py).
.PHONY: test-mongomock
MONGOMOCK_TESTS = $(shell grep -rl --include='test_*.py' -e 'mindnotes.documents' -e 'from mindnotes import documents' tests)
test-mongomock: $(BIN)/.installed
	$(BIN)/pytest $(PARALLEL) --mongo=mongomock -m "not browser" $(MONGOMOCK_TESTS) $(PYTEST_ARGS)
