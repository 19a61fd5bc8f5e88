# Pintar Ekspor — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
FRONTEND := frontend
NODE_STAMP := $(FRONTEND)/node_modules/.installed-stamp
# `make run` rebuilds the web app only when one of its sources changed since the last build.
WEB_STAMP := $(FRONTEND)/dist/.build-stamp
WEB_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public $(FRONTEND)/scripts -type f \
	2>/dev/null) $(wildcard $(FRONTEND)/index.html $(FRONTEND)/vite.config.ts \
	$(FRONTEND)/tsconfig*.json $(FRONTEND)/package.json $(FRONTEND)/package-lock.json)
HAVE_NODE := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)
# Without Node the web app targets skip locally but fail in CI, where the UI must be tested.
NODE_MISSING = @if [ -n "$$CI" ]; then echo "error: $@ needs Node >= 20.19 and npm" >&2; exit 1; \
	else echo "skipped $@: Node/npm not found (install Node >= 20.19 for the web app)"; fi

.PHONY: help install run serve migrate seed test lint format typecheck test-backend \
	test-sqlite test-postgres test-deploy bench clean web frontend-install frontend-build \
	frontend-check openapi e2e probe fuzz

help:
	@echo "make run    - install, migrate, seed demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   - lint, type-check and run every test (SQLite and PostgreSQL)"
	@echo "make lint   - ruff check + format check, import-linter layer contracts, deptry"
	@echo "make bench  - run the benchmarks under bench/"
	@echo "make probe  - schemathesis as learner, developer and admin (part of make test)"
	@echo "make fuzz   - the long schemathesis run (>= 100,000 cases)"
	@echo "make test-deploy    - nginx (TLS) in front of two app processes on PostgreSQL + Redis"
	@echo "make frontend-build - build the web app into frontend/dist (prints the bundle size)"
	@echo "make frontend-check - web app type check, unit tests, OpenAPI client staleness check"
	@echo "make openapi        - regenerate frontend/src/api/schema.d.ts from the platform"
	@echo "make e2e            - browser journey in Chromium against a real platform process"

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

run: install web migrate seed
	@echo ""
	@echo "  Pintar Ekspor: http://$(HOST):$(PORT)   API docs: http://$(HOST):$(PORT)/docs"
	@echo ""
	$(BIN)/pintar-ekspor serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/pintar-ekspor serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/deptry .

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

typecheck: install
	$(BIN)/mypy

# tests/deploy starts nginx and several app processes: its own target, below.
test-sqlite: install
	TEST_DB=sqlite $(BIN)/pytest -q --ignore=tests/deploy

test-postgres: install
	TEST_DB=postgres $(BIN)/pytest -q --ignore=tests/deploy

test-backend: test-sqlite test-postgres

# Debian's nginx (+ brotli modules) is installed when missing, as Chromium is for e2e.
test-deploy: install
	scripts/ensure-deploy-tools.sh
	TEST_DB=postgres $(BIN)/pytest -q tests/deploy

test: lint typecheck test-backend test-deploy probe frontend-check frontend-build e2e

# The outside probe: schemathesis as learner, developer and admin against a live platform on
# PostgreSQL + Redis (scripts/probe.py). `probe` is the CI slice (fixed seed, ~3 min);
# `fuzz` the long run (>= 100,000 cases; PROBE_MAX_EXAMPLES sets the budget).
probe: install
	$(BIN)/python scripts/probe.py

fuzz: install
	PROBE_MAX_EXAMPLES=$${PROBE_MAX_EXAMPLES:-600} $(BIN)/python scripts/probe.py

# --- web app (frontend/) ------------------------------------------------------------------

# `make run` builds the web app when Node is present and its sources changed since the last
# build; without Node the platform serves the API.
web:
ifeq ($(HAVE_NODE),yes)
	@$(MAKE) --no-print-directory $(WEB_STAMP)
else
	@echo "web app unavailable: Node not found; serving the API only"
endif

$(NODE_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

ifeq ($(HAVE_NODE),yes)
frontend-install: $(NODE_STAMP)

frontend-build: frontend-install
	cd $(FRONTEND) && npm run --silent build
	@touch $(WEB_STAMP)

$(WEB_STAMP): $(WEB_SOURCES) $(NODE_STAMP)
	@$(MAKE) --no-print-directory frontend-build

openapi: install frontend-install
	scripts/openapi.sh

frontend-check: install frontend-install
	cd $(FRONTEND) && npm run --silent typecheck
	cd $(FRONTEND) && npm run --silent test
	scripts/openapi.sh --check

e2e: install frontend-build
	scripts/e2e.sh
else
frontend-install:
	@echo "frontend-install skipped: Node/npm not found (install Node >= 20.19 for the web app)"

frontend-build openapi frontend-check e2e:
	$(NODE_MISSING)
endif

# bench/http.py and bench/deploy.py drive the platform with wrk (Debian), installed when missing.
bench: install web
	scripts/ensure-deploy-tools.sh --with-wrk
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
