# The two commands of the README: `make demo` and `make test`. Python 3.11+ is all they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Tests run with DEBUG off, as production does; this key exists only for them.
TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG=0 DJANGO_ALLOW_ASYNC_UNSAFE=true
# The locks: every package pinned with its hashes, for Python 3.11 on any platform.
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
UV_VERSION := 0.13.9
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"

.PHONY: install lock demo test test-clock lint migrations-check screenshots bench bench-pages \
	reminders messages clean

# Installs exactly what the lock says (again whenever it changes); pip check fails when
# pyproject.toml asks for a package the lock does not have yet.
$(STAMP): $(TEST_LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(TEST_LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m pip check || { echo "$(TEST_LOCK) is behind pyproject.toml: run make lock"; exit 1; }
	touch $(STAMP)

install: $(STAMP)

# Makes the locks again from pyproject.toml. Pins already in a lock are kept where
# pyproject.toml allows them (`make lock LOCK_ARGS=--upgrade` moves every package to its newest
# version); a lock left with merge conflict markers is made anew. The test lock is constrained
# by the runtime lock, so tests run on the versions production installs.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	for lock in $(LOCK) $(TEST_LOCK); do \
	  if grep -qsE '^(<<<<<<<|=======|>>>>>>>)' $$lock; then rm $$lock; fi; \
	done
	$(UV_COMPILE) $(LOCK_ARGS) -o $(LOCK)
	$(UV_COMPILE) $(LOCK_ARGS) --extra test --constraint $(LOCK) -o $(TEST_LOCK)

demo: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	DEBUG=1 CELERY_TASK_ALWAYS_EAGER=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The reminder sweep, once (what beat runs every five minutes in the full stack).
reminders: install
	DEBUG=1 $(BIN)/python manage.py send_reminders

# The French and Spanish catalogues, brought up to date with the code (then translate what is
# new and run it again: it compiles the .mo files too). Needs Debian's gettext.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l fr -l es --no-location --no-obsolete \
		--ignore=.venv --ignore=staticfiles --ignore=media --ignore=tests --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

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

# The four daily flows in Chromium, each step saved at 1280 and 390 px as
# screenshots/<flow>/<NN>-<step>-<width>.png (ignored by git), for a reviewer to look through.
screenshots: install
	rm -rf screenshots
	SCREENSHOTS=1 $(TEST_ENV) $(BIN)/python -m pytest -m flow -p no:randomly $(PYTEST_ARGS)

# Benchmarks (not timed tests): the comment matrix of 10,000 comments; a reminder sweep over
# 100,000 action items and 10,000 people; the pages under load.
bench: install
	$(BIN)/python bench/matrix.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/pages.py

# Each page under load (gunicorn, wrk) on ten years of data, next to a bare Django page; writes
# bench/results/pages-<database>.{md,json}. About 8 minutes plus the build: bench/pages.py says
# how to run it on PostgreSQL, shorter, or on a database already built.
bench-pages: install
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache
