# Vasini — the README's commands. `make` installs uv (from PyPI) when it is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PYTEST_ARGS ?=

.PHONY: help setup run test test-unit lint typecheck format bench schemas clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	@echo "uv not found: installing it from PyPI into ~/.local" >&2
	python3 -m pip install --user --quiet uv

.venv/.synced: $(UV) pyproject.toml uv.lock $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages
	@touch $@

setup: .venv/.synced ## install every workspace member and dev tool (one lock file)

RUN_PACK ?= senior-python-dev
RUN_INPUT ?= Design a rate limiter for our public HTTP API
run: setup ## the main job: dev stack + services, run the reference pack, print the answer
	$(UV) run vasini up --run "$(RUN_PACK)" "$(RUN_INPUT)"

test: setup ## every test: unit, integration (real PostgreSQL + Redis/Valkey), e2e
	$(UV) run pytest libs services tests-e2e $(PYTEST_ARGS)

test-unit: setup ## unit tests only (no servers)
	$(UV) run pytest libs services -m "not integration" $(PYTEST_ARGS)

lint: setup ## ruff lint + format check, strict mypy
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy libs/*/src services/*/src

format: setup ## apply ruff fixes and formatting
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

bench: setup ## benchmarks: one JSON line each (not tests)
	$(UV) sync --frozen --all-packages --group bench
	@for script in bench/bench_*.py; do $(UV) run python $$script || exit 1; done

schemas: setup ## regenerate schemas/events from the contracts
	$(UV) run python -m vasini_contracts.schema_export

clean: ## remove the virtualenv and caches
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
