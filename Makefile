# ClearSky: the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench check-migrations venv venv-dev clean

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "Need Python >= 3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

## run: set up and serve the site with demo content on http://$(HOST):$(PORT)
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "净空 ClearSky → http://$(HOST):$(PORT)/   管理后台 admin → http://$(HOST):$(PORT)/admin/  (admin / clearsky-admin)"
	@echo ""
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application

## test: the whole suite, on PostgreSQL + Redis when they answer (see scripts/services.sh)
test: venv-dev
	@scripts/ensure-chromium
	@source scripts/services.sh && $(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "no tests ran"; exit 1; fi; exit $$status

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: venv-dev
	$(PY) manage.py makemigrations --check --dry-run

bench: venv-dev
	@source scripts/services.sh && $(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles tests/artifacts
