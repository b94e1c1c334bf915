# Stemtest: `make run` sets everything up and serves; `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

# The first Python 3.13 we can find: on PATH (pyenv reads .python-version), in pyenv, or Debian's.
PYTHON ?= $(shell for p in python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1 && { command -v "$$p"; break; }; done)

MANAGE ?= DEBUG=1 $(PY) manage.py

.PHONY: run test lint format serve venv data bench clean messages catalogues

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.13 not found. Install it (pyenv install 3.13, or apt-get install python3.13) or run 'make PYTHON=/path/to/python3.13 ...'." >&2; \
		exit 1; fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	@touch $@

venv: $(VENV)/.installed

# The translation catalogues (locale/*/LC_MESSAGES/*.po) compiled for Django; needs GNU gettext.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "Compiling the translations needs GNU gettext's msgfmt: sudo apt-get install -y gettext" >&2; exit 1; }
	msgfmt --check-format -o $@ $<

messages: $(MESSAGES)

# After changing a text of the voter's interface: the French and English catalogues brought up to
# date, and what they still lack listed (docs/translations.md).
catalogues: venv
	$(MANAGE) catalogues

# Migrate, import the programme and the curated quiz; each step skips what is already there.
# The demo election of fictional parties too when DEMO_ELECTION=1 (make run's default; make
# serve reads it from the environment, .env.example).
data: venv messages
	$(MANAGE) migrate --no-input
	$(MANAGE) import_programme fixtures/programmes/vooruit-2024.txt --party vooruit --skip-unchanged
	$(MANAGE) import_quiz fixtures/quizzes/vooruit-2024.csv --quiz fixtures/quizzes/vooruit-2024.json
	@if [ "$${DEMO_ELECTION:-$(DEMO_DEFAULT)}" = 1 ]; then $(MANAGE) load_demo; fi

run: DEMO_DEFAULT = 1
run: data
	@echo "Stemtest on http://127.0.0.1:$(PORT)/"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv messages
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "The browser tests need Debian's Chromium at /usr/bin/chromium: sudo apt-get install -y chromium" >&2; \
		exit 1; fi
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "The production-stack tests need nginx (make serve puts it in front): sudo apt-get install -y nginx" >&2; \
		exit 1; fi
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

# The benchmarks that print figures, one after the other (their meaning: docs/PERFORMANCE.md).
# bench/load.py needs wrk (apt-get install -y wrk); quiz.py and load.py take a few minutes each.
bench: data
	DEBUG=1 $(PY) bench/import_programme.py
	DEBUG=1 $(PY) bench/search.py
	DEBUG=1 $(PY) bench/suggestions.py
	DEBUG=1 $(PY) bench/quiz.py
	$(PY) bench/load.py

# Every check, changing nothing (CI runs it before the tests): lint, format, types.
lint: venv
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	DEBUG=1 $(BIN)/mypy || status=1; \
	exit $$status

# Fix what can be fixed: import order and other safe lint fixes, then the formatting.
format: venv
	$(BIN)/ruff check --fix-only --quiet .
	$(BIN)/ruff format .

# Production stack: nginx on 127.0.0.1:$(PORT) (or LISTEN) in front of gunicorn + whitenoise on
# the next port (or APP_BIND); settings from the environment (.env.example). Needs nginx.
serve: venv messages
	@if [ -z "$$SECRET_KEY" ]; then \
		echo "make serve runs production settings: set SECRET_KEY (and the rest of .env.example)." >&2; \
		exit 1; fi
	$(MAKE) --no-print-directory data MANAGE="$(PY) manage.py"
	$(PY) manage.py collectstatic --no-input -v0
	PORT=$(PORT) $(PY) -m deploy.serve

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
