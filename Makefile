# Học vụ số Đồng Nai — two commands do everything: `make run` and `make test`.
SHELL := /bin/sh
PY := .venv/bin/python
PIP := .venv/bin/pip
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: run test test-sqlite test-postgres deps-run deps-test venv messages bench clean

run: deps-run venv .make/run-reqs messages
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo
	@echo ""
	@echo "Mở http://127.0.0.1:8000 (quản trị nội dung: http://127.0.0.1:8000/quan-tri/)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: deps-test venv .make/test-reqs messages
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run -v0
	.venv/bin/bandit -q -r framework community certificates cms learning assessment reports config -ll
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Kiểm thử trên SQLite =="
	.venv/bin/pytest

test-postgres:
	@echo "== Kiểm thử trên PostgreSQL =="
	scripts/test-postgres.sh

deps-run:
	@scripts/system-deps.sh run

deps-test:
	@scripts/system-deps.sh test

venv: .venv/bin/python

.venv/bin/python:
	python3 -m venv .venv
	$(PIP) install -q --upgrade pip

.make/run-reqs: requirements.txt | .venv/bin/python
	$(PIP) install -q -r requirements.txt
	@mkdir -p .make && touch $@

.make/test-reqs: requirements.txt requirements-dev.txt | .venv/bin/python
	$(PIP) install -q -r requirements-dev.txt
	@mkdir -p .make && touch .make/run-reqs $@

messages:
	@cd . && $(PY) manage.py compilemessages -v0 --ignore=.venv

bench: venv .make/test-reqs
	$(PY) bench/run.py

clean:
	rm -rf .venv .make db.sqlite3* media .test-media staticfiles
