# Veiviser: `make run` starts the whole stack locally, `make test` runs every check. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RASA_VENV := .venv-rasa
RASA_TEST_STAMP := $(RASA_VENV)/.test-installed
export VEIVISER_PORT ?= 8000
export RASA_PORT ?= 5005
export ACTION_PORT ?= 5055

.PHONY: help install install-rasa install-browser install-nginx audit setup generate train run serve-catalogue test catalogue-checks stack-tests lint typecheck pytest test-bot validate test-stack bench clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv: the catalogue, the tools and their tests

install-rasa: ## Create .venv-rasa: Rasa 3.6, rasa-sdk and veiviser_contract (idempotent)
	scripts/install-rasa-venv.sh

install-browser: ## Debian's Chromium for the browser tests (installed with apt-get when missing)
	scripts/install-browser.sh

install-nginx: ## Debian's nginx, to check deploy/nginx.conf with `nginx -t` (installed with apt-get when missing)
	scripts/install-nginx.sh

audit: install ## Known vulnerabilities (pip-audit) in .venv and Rasa's pins, minus deploy/audit-known.txt
	scripts/audit.sh

$(RASA_TEST_STAMP): requirements-rasa-test.txt | install-rasa
	$(RASA_VENV)/bin/pip install --quiet -r requirements-rasa-test.txt
	touch $(RASA_TEST_STAMP)

setup: install ## Create or upgrade the database and load the seed catalogue where empty (idempotent)
	$(BIN)/veiviser setup

generate: install ## Write the crisis replies and the cached national doors from the catalogue data (after a routing change)
	$(BIN)/veiviser generate

.PHONY: widget
widget: ## Rebuild the chat widget, static/widget.js, from its ES modules in service_catalog/web/widget/
	$(PYTHON) scripts/build_widget.py

train: install-rasa ## Train the assistant into models/ (kept when config, domain and data are unchanged)
	scripts/train.sh

run: setup train ## Set everything up on first use and start catalogue, action server and Rasa on localhost
	scripts/run-stack.sh

serve-catalogue: setup ## Start only the catalogue
	$(BIN)/veiviser serve

lint: install ## ruff over every Python folder
	$(BIN)/ruff check service_catalog veiviser_contract actions bot tests bench testing scripts/build_widget.py
	$(BIN)/ruff format --check service_catalog veiviser_contract actions bot tests bench testing scripts/build_widget.py

typecheck: install install-rasa ## mypy: strict for the catalogue, the shared contract, the action server and bot/
	$(BIN)/mypy service_catalog veiviser_contract
	# The contract is imported in .venv-rasa too: the actions and bot runs below check it under that Python as well.
	$(BIN)/mypy --python-executable $(RASA_VENV)/bin/python --strict actions
	# bot/ extends Rasa, which ships no type information: subclassing its classes is allowed, the rest is strict.
	$(BIN)/mypy --python-executable $(RASA_VENV)/bin/python --strict --allow-subclassing-any --allow-untyped-decorators bot

pytest: install install-nginx ## The catalogue suite (SQLite, and PostgreSQL when reachable) and the reply-text checks
	$(BIN)/pytest

test-bot: $(RASA_TEST_STAMP) ## Action server, crisis lexicon, language and NLU component tests (in .venv-rasa)
	cd tests/actions && ../../$(RASA_VENV)/bin/pytest -q
	cd tests/bot && ../../$(RASA_VENV)/bin/pytest -q

validate: install-rasa ## rasa data validate (domain, rules, stories, NLU)
	source scripts/rasa-env.sh && $$RASA data validate --domain bot/domain --data data/rasa --config bot/config.yml

test-stack: train stack-tests ## Conversations, the routing lab and browser tests (Chromium) against the whole stack

stack-tests: install install-browser ## test-stack without (re)training: `make test` has trained the model already
	VEIVISER_STACK_TESTS=1 $(BIN)/pytest tests/conversation tests/lab tests/privacy tests/scaleout tests/browser

test: ## Every check CI runs (the model trains beside the catalogue checks, which do not need it)
	$(MAKE) --no-print-directory --output-sync=target -j2 catalogue-checks train
	$(MAKE) --no-print-directory test-bot validate stack-tests

catalogue-checks: lint typecheck audit pytest ## ruff, mypy, the dependency audit and the catalogue suite

bench: install train ## Benchmarks (PARTS="e2e route training nlu" to choose); results go to bench/results/
	$(BIN)/python -m bench $(PARTS)

clean: ## Remove the virtual environments, local database, models and caches
	rm -rf $(VENV) $(RASA_VENV) var models .rasa .pytest_cache .mypy_cache .ruff_cache .hypothesis
