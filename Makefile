# Lộ Trình — the README's two commands, plus a few for developers.
#   make run    set up, load the sample data into SQLite and serve http://127.0.0.1:8000
#   make test   set up and run the whole test suite (lint, types, checks, SQLite and PostgreSQL)
#   make bench  run the benchmarks under bench/

.PHONY: run test bench lint fmt setup messages openapi-snapshot clean

setup:
	@scripts/setup

run: setup
	.venv/bin/lotrinh demo
	DJANGO_SETTINGS_MODULE=config.settings.base .venv/bin/lotrinh serve  # plain HTTP, this machine only

test:
	@scripts/setup --test
	@scripts/test

bench: setup
	@scripts/bench

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .

fmt: setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages: setup
	cd lotrinh && ../.venv/bin/lotrinh makemessages --locale vi --no-obsolete --add-location file
	.venv/bin/python scripts/compile_messages.py

openapi-snapshot: setup
	DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m lotrinh.api.snapshot --write

clean:
	rm -rf .venv node_modules var .pytest_cache .mypy_cache .ruff_cache
