"""``commerce export`` as a subprocess: exit codes and the JSON documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def commerce(home, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    return subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from commerce_platform.config import load_settings
    from commerce_platform.demo import smartgo

    home = tmp_path_factory.mktemp("cli") / "home"
    smartgo.build(load_settings(home))
    return home


def test_run_status_similar(home):
    run = commerce(home, "export", "run", "--json")
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["status"] == "PARTIAL" and summary["errorCount"] == 5
    assert "sale rejected" in run.stderr and "SG-" in run.stderr  # explained in the log with the sale id

    text = commerce(home, "export", "run", "--date", summary["date"])
    assert text.returncode == 0 and "PARTIAL" in text.stdout and "total" in text.stdout

    status = commerce(home, "export", "status", "--json")
    doc = json.loads(status.stdout)
    assert doc["runs"][0]["date"] == summary["date"] and doc["partitions"]
    assert sum(p["rows"] for p in doc["partitions"]) == summary["exportedCount"]

    date_compact = summary["date"].replace("-", "")
    sim = commerce(home, "export", "similar", "--sale-id", f"SG-{date_compact}-00001", "-k", "3", "--json")
    assert sim.returncode == 0, sim.stderr
    assert len(json.loads(sim.stdout)["neighbours"]) == 3


@pytest.mark.parametrize(("args", "code"), [
    (["export", "run", "--date", "yesterday"], 2),
    (["export", "similar", "--sale-id", "nope"], 4),
])
def test_bad_input_exits_non_zero_with_a_message(home, args, code):
    out = commerce(home, *args)
    assert out.returncode == code and out.stderr.startswith("commerce: error:")


def test_a_failed_run_exits_non_zero(home, tmp_path):
    out = commerce(home, "export", "run", "--source", f"sqlite:///{tmp_path / 'none.db'}")
    assert out.returncode != 0 and "has no 'sales' table" in out.stderr


@pytest.mark.parametrize("args", [["--date", "2030-01-01"], ["--tenant", "nonexistent-tenant"]])
def test_a_run_without_sales_says_empty(home, args):
    out = commerce(home, "export", "run", *args)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert ": EMPTY - the source has no sales on" in first  # was "COMPLETE" with 0 rows
    if "--tenant" in args:
        assert "check the tenant id" in first
    status = json.loads(commerce(home, "export", "status", "--json").stdout)
    assert any(r["status"] == "EMPTY" for r in status["runs"])


def test_retry_of_permanent_failures_says_so(home):
    day = json.loads(commerce(home, "export", "run", "--json").stdout)["date"]
    out = commerce(home, "export", "run", "--date", day, "--retry-failed")
    assert out.returncode == 0, out.stderr
    # the demo day's failures are a missing URL, an HTML page and three bad rows: none can recover
    assert "retried 0 retryable failure(s), recovered 0; 5 permanent failure(s) not retried" in out.stdout
