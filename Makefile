# Pintar Ekspor — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve migrate seed test lint format typecheck test-backend \
	test-sqlite test-postgres bench clean

help:
	@echo "make run    - install, migrate, seed demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   - lint, type-check and run every test (SQLite and PostgreSQL)"
	@echo "make lint   - ruff check + ruff format --check"
	@echo "make bench  - run the benchmarks under bench/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p data
	$(BIN)/pintar-ekspor db upgrade

seed: migrate
	$(BIN)/pintar-ekspor seed-demo

run: install migrate seed
	@echo ""
	@echo "  Pintar Ekspor: http://$(HOST):$(PORT)   API docs: http://$(HOST):$(PORT)/docs"
	@echo ""
	$(BIN)/pintar-ekspor serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/pintar-ekspor serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

typecheck: install
	$(BIN)/mypy

test-sqlite: install
	TEST_DB=sqlite $(BIN)/pytest -q

test-postgres: install
	TEST_DB=postgres $(BIN)/pytest -q

test-backend: test-sqlite test-postgres

test: lint typecheck test-backend

bench: install
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
