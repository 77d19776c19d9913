# The words the README uses. `make run` and `make test` are the two commands a fresh
# machine needs; everything they need is installed by `make install`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PACKAGES := -p handoff_schemas -p handoff_plumbing -p handoff_workdays -p handoff_devtools -p handoff_cli -p intake -p returns -p police_handover -p monitoring -p resettlement

.PHONY: help install run observe ops-tools browser screenshots alerts charts test test-sqlite lint typecheck format kafka-up kafka-down kafka-status token clean bench contracts fuzz chaos

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

HELM := $(shell command -v helm 2>/dev/null || echo $(CURDIR)/.cache/tools/bin/helm)
CHARTS := intake returns police-handover monitoring resettlement

install: ## install uv, the locked Python packages and the Kafka broker jars
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet 'uv>=0.9'
	$(UV) sync --frozen
	$(UV) run python -m handoff_devtools.local_kafka fetch

run: install ## run Kafka and all five services on the embedded defaults (SQLite)
	$(UV) run python tools/run_suite.py

observe: install ## make run plus the operators' stack: Zipkin (traces) and Prometheus (metrics, alerts) on 127.0.0.1
	bash tools/ops-tools.sh prometheus
	$(UV) run python tools/observe.py

ops-tools: ## install promtool, Prometheus and Chromium (Debian), helm (built from the Go module proxy), axe-core (npm)
	bash tools/ops-tools.sh

browser: ## install headless Chromium (Debian) and axe-core (npm) for the browser test of the ombudsman's pages
	bash tools/ops-tools.sh chromium axe-core

screenshots: install browser ## redraw docs/screenshots/ (the ombudsman's pages, desktop and phone) in headless Chromium
	$(UV) run python tools/screenshots.py

alerts: ## check the alert rules and run their unit tests with promtool
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts.test.yml

charts: ## helm lint --strict and helm template every chart
	cd deploy/helm && for chart in $(CHARTS); do \
	  $(HELM) dependency build $$chart >/dev/null && $(HELM) lint --strict $$chart && $(HELM) template $$chart $$chart >/dev/null || exit 1; \
	done && $(HELM) lint --strict handoff-observability

test: install ## lint, types and the whole test suite on SQLite and PostgreSQL, with coverage (installs PostgreSQL, promtool, helm, Chromium, axe-core)
	$(MAKE) --no-print-directory lint typecheck
	bash tools/ops-tools.sh
	url=$$(bash .ci/postgres.sh) && \
	  HANDOFF_TEST_POSTGRES_URL=$$url HANDOFF_REQUIRE_POSTGRES=1 HANDOFF_REQUIRE_OPS_TOOLS=1 $(UV) run pytest --cov --cov-report=
	@echo "coverage: $$($(UV) run coverage report --format=total)% of the lines of the shipped packages"

fuzz: install ## schemathesis over every operation of every service, in-process on SQLite (FUZZ_EXAMPLES=100 per operation)
	FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),100) $(UV) run pytest -m fuzz -q -s tests/fuzz

chaos: install ## cases through the whole chain while services are SIGKILLed and the broker restarted (CASES=2000)
	$(UV) run python -m handoff_devtools.chaos --cases $(or $(CASES),2000)

test-sqlite: install ## the test suite on SQLite only (no PostgreSQL needed)
	$(UV) run pytest

lint: ## ruff, and the import contracts that keep every service's shape (lint-imports)
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

typecheck: ## mypy --strict over every package
	$(UV) run mypy $(PACKAGES)

format: ## apply ruff's formatting and fixes
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

kafka-up: ## start the local Kafka broker (127.0.0.1:19092) in the background
	$(UV) run python -m handoff_devtools.local_kafka start

kafka-down: ## stop it
	$(UV) run python -m handoff_devtools.local_kafka stop

kafka-status: ## is it up?
	$(UV) run python -m handoff_devtools.local_kafka status

token: ## print a development token: make token ROLE=agency (COUNTY=12, MUNICIPALITY=1280, DEPARTMENT=syd)
	@$(UV) run python -m handoff_devtools.issuer --role $(or $(ROLE),agency) \
	  $(if $(COUNTY),--county $(COUNTY)) $(if $(MUNICIPALITY),--municipality $(MUNICIPALITY)) \
	  $(if $(DEPARTMENT),--department $(DEPARTMENT)) $(if $(SUBJECT),--subject $(SUBJECT))

clean: ## remove local state (databases, broker data, logs)
	rm -rf var

bench: install ## print footprint, backlog drain rates, notice latency and matching time, each beside its baseline
	$(UV) run python benchmarks/footprint.py
	url=$$(bash .ci/postgres.sh) && HANDOFF_TEST_POSTGRES_URL=$$url $(UV) run python benchmarks/backlog.py
	$(UV) run python benchmarks/notice_latency.py
	$(UV) run python services/resettlement/benchmarks/matching.py

contracts: ## regenerate the JSON Schemas, the event catalogue and each service's AsyncAPI/OpenAPI documents, then run the compatibility gate
	$(UV) run python -m handoff_schemas.registry
	$(UV) run python tools/api_docs.py
	$(UV) run python -m handoff_schemas.gate
