# The two commands that matter: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cpd_portal
# Redis database 15 for tests, so a test run never flushes what a dev server keeps in 0.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test check-deploy calendar pgbouncer lint format services demo clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving at http://127.0.0.1:8000 (Ctrl-C to stop)."
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

services:
	scripts/ensure-test-services.sh

# Tests never read the real clock: each starts at TODAY, London time (tests/clock.py), on a
# machine whose own zone is UTC. `make test TODAY=2028-02-29` runs the whole suite on that day;
# plain `make test` runs it on a fixed default, then the date-sensitive tests on each moment
# of the calendar matrix, then the database-heavy tests through PgBouncer.
# The tests run with production's settings (DEBUG off), except that the test client and the
# live server speak plain http: DJANGO_HTTPS=0 (cpd_portal/settings.py), for the tests only.
PYTEST := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) TZ=UTC DJANGO_HTTPS=0 \
	$(BIN)/pytest

test: $(VENV)/.dev-installed services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run  # needs no database
	$(MAKE) --no-print-directory check-deploy
	TODAY=$(TODAY) $(PYTEST) $(PYTEST_ARGS)
ifeq ($(TODAY)$(PYTEST_ARGS),)
	$(MAKE) --no-print-directory calendar
	$(MAKE) --no-print-directory pgbouncer
endif

# The database-heavy tests again, through the suite's own PgBouncer in transaction pooling
# (scripts/ensure-test-services.sh starts it on 127.0.0.1:6433, in front of the PostgreSQL on
# 5432) with README's settings for it, DATABASE_PGBOUNCER=1: every test of the entries, the
# API, account exports and packs (workers killed mid-build included), but the long random
# kills, which prove the worker rather than the connections. test_through_pgbouncer.py,
# skipped elsewhere, proves from PgBouncer's admin console that they went through it.
TEST_PGBOUNCER_URL ?= postgres://postgres@127.0.0.1:6433/cpd_portal
PGBOUNCER_TESTS := tests/portfolio tests/api tests/account_data tests/packs \
	tests/deploy/test_through_pgbouncer.py \
	--deselect tests/packs/test_reliability.py::test_workers_killed_at_random_moments_leave_one_pack_and_one_email_each_and_nothing_else

pgbouncer: $(VENV)/.dev-installed services
	@echo "== The database-heavy tests through PgBouncer"
	DATABASE_URL=$(TEST_PGBOUNCER_URL) DATABASE_PGBOUNCER=1 REDIS_URL=$(TEST_REDIS_URL) TZ=UTC \
	  DJANGO_HTTPS=0 $(BIN)/pytest -q $(PGBOUNCER_TESTS)

# Django's deployment checks and ours (core/checks.py) in the production configuration of the
# README: deploy/production.env.example alone, with a made-up secret key for the one it leaves
# blank. Any warning fails. Connects to nothing.
CHECK_DEPLOY_SECRET_KEY := made-up-for-check-deploy-only-never-used-by-a-real-server-0123456789

check-deploy: $(VENV)/.runtime-installed
	env -i PATH="$$PATH" sh -c 'set -a && . deploy/production.env.example && \
	  DJANGO_SECRET_KEY=$(CHECK_DEPLOY_SECRET_KEY) \
	  exec $(BIN)/python manage.py check --deploy --fail-level WARNING'

calendar: $(VENV)/.dev-installed services
	@failed=""; for moment in $$($(BIN)/python -m tests.clock); do \
	  echo "== The date-sensitive tests at $$moment, London time"; \
	  TODAY=$$moment $(PYTEST) -m calendar -q || failed="$$failed $$moment"; \
	done; \
	if [ -n "$$failed" ]; then echo "The date-sensitive tests failed at:$$failed" >&2; exit 1; fi

# The scale benchmark (bench/scale.py, README "Benchmarks"): builds a throwaway database of
# ENTRIES entries on the server of BENCH_DATABASE_URL, prints each page's cost against a floor,
# gunicorn's throughput and a load test, then drops the database. Not part of `make test`.
ENTRIES ?= 1000000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432
# Redis database 14, the bench's own: it clears the cache there before measuring.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14

bench: $(VENV)/.runtime-installed services
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	  $(BIN)/python -m bench.scale --entries $(ENTRIES) $(BENCH_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache .ruff_cache
