"""The proof notebooks stay honest: they import the package (no copied logic), build a fresh demo
home of their own, are stored executed and error-free, and pin their key metrics with
``# NBVAL_CHECK_OUTPUT`` cells that ``pytest --nbval-lax notebooks/`` compares on every run."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = ["01-learning-extraction.ipynb", "02-copilot-sql-generation.ipynb", "03-embedding-quality.ipynb"]
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
# Each notebook must exercise its service through these package modules.
REQUIRED_IMPORTS = {
    "01-learning-extraction.ipynb": {"commerce_platform.offers.agent", "commerce_platform.offers.evaluation"},
    "02-copilot-sql-generation.ipynb": {"commerce_platform.copilot.evaluation", "commerce_platform.ports.query_engine"},
    "03-embedding-quality.ipynb": {"commerce_platform.exports.service", "commerce_platform.support.kb",
                                   "commerce_platform.ports.text_embeddings"},
}
# Printed wall-clock figures would make a checked cell flaky.
VOLATILE = re.compile(r"\b(seconds|elapsed|perf_counter|time\.time|datetime\.now)\b")


def _load(name: str) -> dict:
    return json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _python(cell: dict) -> str:
    """The cell's Python without IPython magics (``%matplotlib inline``)."""
    return "\n".join(line for line in _source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))


def _imported_modules(nb: dict) -> set[str]:
    modules: set[str] = set()
    for cell in _code_cells(nb):
        for node in ast.walk(ast.parse(_python(cell))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
            elif isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
    return modules


def _text_outputs(cell: dict) -> str:
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append("".join(o["text"]) if isinstance(o["text"], list) else o["text"])
        elif "data" in o and "text/plain" in o["data"]:
            t = o["data"]["text/plain"]
            out.append("".join(t) if isinstance(t, list) else t)
    return "".join(out)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_valid_and_uses_the_python3_kernel(name):
    nb = _load(name)
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in _code_cells(nb):
        ast.parse(_python(cell))  # every code cell is valid Python


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_imports_the_package_it_proves(name):
    modules = _imported_modules(_load(name))
    missing = REQUIRED_IMPORTS[name] - modules
    assert not missing, f"{name} does not import {sorted(missing)}"
    assert not any(m.split(".")[0] == "benchmarks" for m in modules), "notebooks import the package, not scripts"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_builds_its_own_fresh_home(name):
    code = "\n".join(_source(c) for c in _code_cells(_load(name)))
    assert "tempfile.TemporaryDirectory" in code, "the notebook must work in a throwaway home"
    assert re.search(r"\bbuild(_all)?\(settings", code), "the notebook must build its demo data itself"
    assert "/work/" not in code and "/home/" not in code, "no machine-specific paths"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_stored_executed_without_errors(name):
    cells = _code_cells(_load(name))
    assert cells
    not_run = [i for i, c in enumerate(cells) if c.get("execution_count") is None]
    assert not not_run, f"code cells {not_run} were not executed; run jupyter nbconvert --execute --inplace"
    counts = [c["execution_count"] for c in cells]
    assert counts == sorted(counts), "cells must be executed top to bottom in one run"
    errors = [o.get("ename") for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, f"stored outputs contain errors: {errors}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_pins_key_metrics_in_checked_cells(name):
    checked = [c for c in _code_cells(_load(name)) if _source(c).lstrip().startswith(CHECK_MARK)]
    assert len(checked) >= 3, f"{name} pins fewer than 3 cells with {CHECK_MARK}"
    for cell in checked:
        assert _text_outputs(cell).strip(), "a checked cell must print what it pins"
        assert not any(o.get("name") == "stderr" for o in cell.get("outputs", [])), "stderr in a checked cell"
        assert not any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])), "plot in a checked cell"
        assert not VOLATILE.search(_source(cell)), "a checked cell prints timings"
        assert "/tmp" not in _text_outputs(cell), "a checked cell prints a temporary path"
