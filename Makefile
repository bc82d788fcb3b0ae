# Partnernet: the two sacred commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
VENV := .venv
PN := $(VENV)/bin/partnernet
PORT ?= 8000
export UV_NO_CONFIG := 1

.PHONY: install demo test lint format bench bench-upload bench-programme loadtest messages clean

var/tools/bin/uv:
	$(PYTHON) -m venv var/tools
	var/tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: requirements/dev.txt pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(VENV)/bin/python requirements/dev.txt
	$(UV) pip install --quiet --python $(VENV)/bin/python --no-deps -e .
	touch $@

install: $(VENV)/.installed ## .venv with the project, its test tools and the partnernet command

demo: install ## migrate, load reference data and the seed network, serve on PORT
	$(PN) setup_demo
	$(PN) collectstatic --noinput --verbosity 0
	@echo "Partnernet is serving on http://127.0.0.1:$(PORT)/"
	$(PN) serve --port $(PORT)

test: install ## the whole suite; DATABASE_URL picks the database
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: install ## ruff, the import layers, mypy, and GNU gettext's check of every catalogue
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy partnernet
	@command -v msgfmt >/dev/null || { echo "msgfmt (GNU gettext) is needed: apt-get install gettext"; exit 1; }
	find partnernet -path '*/locale/*/LC_MESSAGES/*.po' -print0 | xargs -0 -n1 msgfmt --check --output-file=/dev/null

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

BENCH_SIZE ?= 10000
bench: install ## every benchmark (BENCH="scale gunicorn" for some) at BENCH_SIZE partnerships on DATABASE_URL, DEBUG=0; exits 1 when a goal is missed
	BENCH_SIZE=$(BENCH_SIZE) DEBUG=0 $(VENV)/bin/python -m bench $(BENCH)

bench-programme: install ## the programme dashboard and budget at 1 000 partnerships, 100 000 costs
	$(VENV)/bin/python -m bench programme

bench-upload: install ## the 20 MB streamed upload alone (peak memory beside the file size)
	$(VENV)/bin/python -m bench upload

loadtest: install ## locust against gunicorn + PostgreSQL + Redis (LOADTEST_USERS=50, LOADTEST_SECONDS=60); bench/results.json
	$(VENV)/bin/python -m bench.loadtest

messages: install ## extract and compile interface translations (needs GNU gettext)
	$(VENV)/bin/python -m partnernet.lib.messages

clean:
	rm -rf $(VENV) var
