# Two set-up commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# crmctl's main job on the example repository, judged as of the examples' own date
# (stalled stages and cold contacts depend on the day), so the demo prints the same every day
TODAY ?= 2026-11-29
demo: install
	$(BIN)/crmctl --version
	$(BIN)/crmctl check examples --today $(TODAY)
	$(BIN)/crmctl list --repo examples
	$(BIN)/crmctl show bj-huanwei --repo examples
	$(BIN)/crmctl status --repo examples --today $(TODAY)
	$(BIN)/crmctl status bj-huanwei --repo examples --today $(TODAY)
	$(BIN)/crmctl classify --repo examples
	$(BIN)/crmctl map bj-huanwei --repo examples --today $(TODAY)
	$(BIN)/crmctl score bj-huanwei --repo examples
	$(BIN)/crmctl fees --year 2026 --repo examples
	$(BIN)/crmctl due --repo examples --today $(TODAY)
	$(BIN)/crmctl report summary --repo examples --as-of $(TODAY)
	$(BIN)/crmctl render bj-huanwei/sweeper-renewal-2027 development_plan --repo examples --today $(TODAY)
	$(BIN)/crmctl import customers examples/imports/客户名单.xlsx --repo examples --dry-run

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py

# keep the example repository's schemas in step with the models
schema: install
	$(BIN)/crmctl schema --repo examples

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
