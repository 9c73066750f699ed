# One entry point for every routine. `make run` and `make test` work on a fresh Debian/Ubuntu
# machine with Python 3.11, 3.12 or 3.13: everything else is installed here, into .venv and node_modules.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The newest Python 3.11-3.13 that actually runs (a pyenv shim can exist for a version it does not select).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && command -v $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKER_CONCURRENCY ?= 2
# pytest-xdist processes for `make test`: one per core, at most 4 (each has its own test database and
# sandbox zygote): much of the suite waits on subprocesses, browsers and brokers, so even 2 cores overlap well.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; [ $$n -lt 2 ] && n=0; echo $$n)
export PYTHONPATH := $(CURDIR):$(CURDIR)/platform
export DJANGO_SETTINGS_MODULE := config.settings
# Links in mails the workers send (invitations) point at the server `make run` starts.
export DLGRADE_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: help setup run test test-fast lint fmt bench bench-batch clean system-packages messages

help:
	@echo "make run    set everything up, then serve http://$(HOST):$(PORT) with a grading worker"
	@echo "make test   run the test suite (SQLite + embedded broker unless DATABASE_URL/REDIS_URL are set)"
	@echo "make lint   ruff;  make fmt  format;  make bench  benchmarks;  make clean  remove .venv, var/, node_modules"
	@echo "make messages  collect the interface strings into platform/locale (needs GNU gettext), then compile the catalogs"

# Debian packages the sandbox and browser tests use; installed when we may, skipped with a note otherwise.
system-packages:
	@missing=""; command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing"; (apt-get install -y -qq $$missing >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)) \
	      || echo "note: could not install$$missing; the sandbox falls back to rlimits + seccomp"; \
	  else echo "note: bubblewrap is not installed (sudo apt-get install bubblewrap); the sandbox falls back to rlimits + seccomp"; fi; \
	fi

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "dlgrade needs Python 3.11, 3.12 or 3.13 (python3.X on PATH); none was found"; exit 1; }
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13), "dlgrade needs Python 3.11 to 3.13, found " + sys.version.split()[0]'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || (echo "python3-venv is missing: sudo apt-get install python3-venv (or python3.X-venv)" && exit 1)
	$(PY) -m pip install -q --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get install -y -qq npm >/dev/null; } || \
	  { echo "note: npm is missing (sudo apt-get install npm); pages fall back to a plain text editor"; exit 0; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

setup: system-packages $(VENV)/.installed node_modules/.installed
	@mkdir -p var
	@$(PY) manage.py migrate --no-input -v0
	@DJANGO_DEBUG=1 $(PY) manage.py sync_exercises
	@DJANGO_DEBUG=1 $(PY) manage.py sync_quizzes

run: setup
	@echo; echo "dlgrade on http://$(HOST):$(PORT)  (Ctrl-C stops web and worker)"; echo "demo accounts:"
	@DJANGO_DEBUG=1 $(PY) manage.py demo_accounts
	@echo
	@DJANGO_DEBUG=1 exec $(PY) -m config.serve --host $(HOST) --port $(PORT) --concurrency $(WORKER_CONCURRENCY) \
		--queues $${DLGRADE_GRADING_QUEUE:-grading},$${DLGRADE_BATCH_QUEUE:-batch},$${DLGRADE_LTI_QUEUE:-lti}

test: $(VENV)/.installed node_modules/.installed
	@mkdir -p var
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=30 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed
	$(PY) bench/sandbox_bench.py
	$(PY) bench/batch_bench.py
	$(PY) bench/dashboard_bench.py
	$(PY) bench/trust_bench.py

# Batch grading: 1000 relu files with --workers 1 and 2, then --distributed over two workers (needs Redis).
bench-batch: $(VENV)/.installed
	$(PY) bench/batch_bench.py

# Translations: makemessages updates platform/locale/zh_Hans/LC_MESSAGES/django.po from the templates and
# Python of platform/ and graders/ (the grader's feedback phrases, marked with gettext_noop in
# graders/feedback.py); translate the new or changed entries there, then run it again: compilemessages writes
# the .mo files, which are committed too. Quizzes keep their own catalog, platform/quizzes/locale, edited by
# hand: the quiz pages' strings and what quizzes say (graders/quiz/, the `quiz` folder left out here), checked
# complete by tests/platform/quizzes/test_locale.py.
messages: $(VENV)/.installed
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-obsolete --add-location file \
		$(foreach dir,quizzes quiz exercises tests bench docs var node_modules dlgrade_client test-artifacts,--ignore $(dir))
	cd platform && DJANGO_DEBUG=1 ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var node_modules
