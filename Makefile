# The two commands of the README: `make demo` and `make test`. Python 3.11+ is all they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Tests run with DEBUG off, as production does; this key exists only for them.
TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG=0 DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: install demo test test-clock lint migrations-check bench reminders clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The reminder sweep, once (what beat runs every five minutes in the full stack).
reminders: install
	DEBUG=1 $(BIN)/python manage.py send_reminders

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# In a random order (pytest-randomly prints its seed: -p randomly --randomly-seed=N replays it).
test: lint migrations-check
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite again with every test starting at 00:30 UTC today, when New York still has
# yesterday's date. Browser and PostgreSQL-only tests keep the real clock, so they are left out.
test-clock: install
	TEST_CLOCK=00:30 $(TEST_ENV) $(BIN)/python -m pytest -m "not browser and not postgres" \
		$(PYTEST_ARGS)

# Benchmarks (not timed tests): the comment matrix of 10,000 comments; a reminder sweep over
# 100,000 action items and 10,000 people.
bench: install
	$(BIN)/python bench/matrix.py
	$(BIN)/python bench/reminders.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache
