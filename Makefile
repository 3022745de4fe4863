# Quick start: `make demo` and `make test` each create .venv on first use, then run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test templates bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/xlperf demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

templates: $(STAMP)
	$(BIN)/xlperf templates --out workbooks

bench: $(STAMP)
	$(BIN)/python bench/bench_appraisal.py
	$(BIN)/python bench/bench_liven.py

clean:
	rm -rf $(VENV) xlperf-demo .pytest_cache bench/out
