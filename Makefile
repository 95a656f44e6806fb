# One entry point: `make check` runs lint, tests and benchmarks.
PY ?= python

.PHONY: check lint test bench

check: lint test bench

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test:
	$(PY) -m pytest

bench:
	$(PY) -m pip install -q -e '.[bench]'
	cd benchmarks && $(PY) run.py
