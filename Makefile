# MintKit Hub — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EMULATOR_PORT ?= 12111

.PHONY: run test install lint format check migrate seed emulator bench bench-load screenshots lighthouse clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## run: set up and start the site at http://127.0.0.1:8000 with the Stripe emulator beside it
run: install
	$(PY) -m stripe_emulator --port $(EMULATOR_PORT) \
		--webhook-url http://127.0.0.1:8000/billing/webhook/ \
		--webhook-secret whsec_emulator --state-file .stripe_emulator.json & \
	EMU=$$!; trap 'kill $$EMU 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed_demo && \
	{ $(PY) manage.py stripe_setup --no-webhook || \
		echo "make run: stripe_setup failed (is the emulator up?); the portal uses its default"; } && \
	$(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite (SQLite unless DATABASE_URL is set)
test: install
	$(PY) -m pytest

## screenshots: the README's pictures (docs/screenshots/*.png) from the browser tests; look at them before committing
screenshots: install
	SCREENSHOTS=1 REQUIRE_BROWSER=1 $(PY) -m pytest tests/browser/test_screenshots.py -q
	@ls -l docs/screenshots/*.png

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py seed_demo

emulator: install
	$(PY) -m stripe_emulator --port $(EMULATOR_PORT) \
		--webhook-url http://127.0.0.1:8000/billing/webhook/ --webhook-secret whsec_emulator

bench: install
	$(PY) bench/run.py

## bench-load: PostgreSQL + gunicorn + wrk at SCALE businesses (see bench/README.md)
SCALE ?= 1000
DURATION ?= 10
bench-load: install
	command -v wrk >/dev/null || sudo apt-get install -y wrk
	$(PY) bench/run.py --load --scale $(SCALE) --duration $(DURATION) --write-docs

clean:
	rm -rf $(VENV) staticfiles .test-media

## lighthouse: Lighthouse (mobile) on home, pricing and a storefront in each theme, production-like
## (PostgreSQL, Redis, gunicorn; npm's lighthouse@12 in bench/lighthouse/, Debian's Chromium)
lighthouse: install
	command -v npm >/dev/null || sudo apt-get install -y npm
	test -x /usr/bin/chromium || test -n "$$CHROME_PATH" || sudo apt-get install -y chromium
	cd bench/lighthouse && npm install --no-audit --no-fund
	$(PY) bench/lighthouse/run.py
