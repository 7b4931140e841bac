# Veiviser: `make run` starts the stack locally, `make test` runs every check. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export VEIVISER_PORT ?= 8000

.PHONY: help install setup run serve test lint typecheck pytest bench clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the catalogue, tools and test dependencies

setup: install ## Create or upgrade the database and load the seed catalogue where empty (idempotent)
	$(BIN)/veiviser setup

run: setup ## Set everything up on first use and start the stack on localhost
	@echo "Veiviser catalogue on http://127.0.0.1:$(VEIVISER_PORT)/docs  (health: /health)"
	$(BIN)/veiviser serve

lint: install ## ruff
	$(BIN)/ruff check service_catalog tests
	$(BIN)/ruff format --check service_catalog tests

typecheck: install ## mypy (strict for service_catalog)
	$(BIN)/mypy service_catalog

pytest: install ## The test suite (SQLite, and PostgreSQL when reachable)
	$(BIN)/pytest

test: lint typecheck pytest ## Every check CI runs

bench: install ## Benchmarks; results go to bench/results/
	$(BIN)/python -m bench

clean: ## Remove the virtual environments, local database and caches
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
