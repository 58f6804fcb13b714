# tiendo — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST_PORT ?= 127.0.0.1:8000

# Two jobs: on a new machine the system packages (apt) install while the venv does (pip).
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += --jobs=2
endif

.PHONY: run test test-sqlite test-postgres lint system-deps messages clean setup bench load mutants

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

## make run: install, migrate, load An Giang's units and demo data, serve on 127.0.0.1:8000 with the
## job worker beside the server (scripts/with_worker.sh stops it when the server stops)
run: setup
	$(PY) manage.py send_reminders --schedule
	PY=$(PY) scripts/with_worker.sh $(PY) manage.py runserver $(HOST_PORT)

setup: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo

## make test: everything the tests need, then the whole suite on SQLite and on PostgreSQL
test: $(STAMP) system-deps lint
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with a test database of its own
# (SQLite: a file per process; PostgreSQL: test_postgres_gw0, _gw1, …). Two: the machines have two
# cores. `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 2

test-sqlite: $(STAMP)
	mkdir -p var
	DATABASE_URL= PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	PYTHONDONTWRITEBYTECODE= scripts/with_postgres.sh $(PY) -m pytest -n $(TEST_WORKERS) --database-tests-only $(PYTEST_ARGS)

## make bench: indicator and dashboard timings at 1,500 / 15,000 / 135,000 grassroots unions
bench: $(STAMP) system-deps
	scripts/bench.sh

## make load: deadline-rush load test (LOAD_USERS=200 officers submit while the province watches) on SQLite and PostgreSQL
load: $(STAMP) system-deps
	scripts/load.sh

## make mutants [MUTANTS="indicators.status* reporting.completeness*"]: mutation testing (mutmut) of the rules
## behind the figures — status, completeness, engine, validation — against the tests that guard them; the
## engine alone takes an hour or more on two shared cores; not part of `make test`
mutants: $(STAMP)
	rm -rf mutants
	mkdir -p mutants/var
	DATABASE_URL= $(VENV)/bin/mutmut run --max-children 1 $(MUTANTS)
	$(VENV)/bin/mutmut results

lint: $(STAMP)
	$(PY) -m ruff check .

system-deps:
	scripts/install_system_deps.sh

messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --no-wrap --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf var/test-artifacts
