"""Fault tier: kill -9 of a learning run and of an export run in the middle of their writes, then
an immediate re-run. The re-run must start at once (the dead run's lock is taken over, not waited
out), clean what the dead run left, and end with exactly the results of a run never interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.faults
SLOW_CLI = Path(__file__).with_name("slow_cli.py")


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    return {**base, **extra}


def commerce(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(home), *args],
                          capture_output=True, text=True, env=env(), timeout=120)


def kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    """kill -9 the process as soon as ``ready()`` holds; fail if it finished first."""
    deadline = time.time() + timeout
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before the fault could be injected: "
                        f"{proc.stderr.read().decode()[-2000:]}")
        if time.time() > deadline:
            proc.kill()
            pytest.fail("the run never reached the stage where the fault is injected")
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()  # reaped: the dead run's pid names no process
    assert proc.returncode == -signal.SIGKILL


def copy_home(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# ---- the learning agent ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def offers_home(tmp_path_factory):
    from commerce_platform.config import load_settings
    from commerce_platform.demo import build_all

    home = tmp_path_factory.mktemp("faults-offers") / "home"
    settings = load_settings(home)
    build_all(settings, only=["offers"])
    past = time.time() - 3600  # by night the ERP's export is hours old
    for path in (settings.paths.erp / "offers").iterdir():
        os.utime(path, (past, past))
    return home


def learning_outputs(home: Path) -> dict[str, object]:
    """Everything the agent writes, minus the run's own timestamp in each state file."""
    from commerce_platform.config import load_settings

    root = load_settings(home).paths.bucket(load_settings(home).offers.bucket)
    out: dict[str, object] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if not p.is_file() or rel.startswith("offer-requests"):
            continue
        if rel.startswith("learnings/evidence/"):
            continue  # named by the time of the run: compared below by content, as the sidecar lists them
        if rel.startswith("learning-state/") and p.suffix == ".json":
            doc = json.loads(p.read_bytes())
            doc.pop("last_check_timestamp", None)
            out[rel] = doc
        elif rel == "learnings/learning_meta.json":  # the hashes of the files each save replaced differ by history
            doc = json.loads(p.read_bytes())
            for info in doc["files"].values():
                info.pop("previous_sha256")
            out["evidence"] = sorted(line for key in doc.pop("evidence_runs")
                                     for line in (root / key).read_bytes().splitlines())
            out[rel] = doc
        elif rel == "learnings/learning_state_index.json":  # ERP versions hold inode numbers: per copy
            doc = json.loads(p.read_bytes())
            out[rel] = (doc["hashes"], sorted(doc["erp_versions"]))
        elif p.suffix == ".csv":
            out[rel] = sorted(p.read_text().splitlines())
        else:
            out[rel] = p.read_bytes()
    return out


def test_learning_run_killed_mid_write_then_rerun_gives_the_uninterrupted_result(offers_home, tmp_path):
    reference = copy_home(offers_home, tmp_path / "reference")
    crashed = copy_home(offers_home, tmp_path / "crashed")
    ok = commerce(reference, "learn", "run")
    assert ok.returncode == 0, ok.stderr

    state_dir = crashed / "objects" / "offer-learning-data" / "learning-state"
    lease = crashed / "locks" / "learning-agent.lock"
    proc = subprocess.Popen([sys.executable, str(SLOW_CLI), "learning-state", "--home", str(crashed), "learn", "run"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(FAULT_PAUSE_SECONDS="0.05"))

    def some_state_written_and_one_half_written() -> bool:
        names = [p.name for p in state_dir.iterdir()] if state_dir.is_dir() else []
        return sum(n.endswith(".json") for n in names) >= 5 and any(n.startswith(".tmp-") for n in names)

    kill_when(proc, some_state_written_and_one_half_written)
    leftovers = [p for p in state_dir.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers and lease.exists()  # the crash left a temp file and its lease behind
    written = sum(p.suffix == ".json" for p in state_dir.iterdir())
    assert 5 <= written < 120  # really mid-run

    t0 = time.time()
    rerun = commerce(crashed, "learn", "run", "--json")
    assert rerun.returncode == 0, rerun.stderr  # no "another run holds the lock"
    assert time.time() - t0 < 60
    assert "lock taken over" in rerun.stderr and "removed temp files" in rerun.stderr
    assert not lease.exists() and not any(p.name.startswith(".tmp-") for p in state_dir.iterdir())

    assert learning_outputs(crashed) == learning_outputs(reference)  # same learnings, no duplicated rows
    again = commerce(crashed, "learn", "run", "--json")  # and a third run finds nothing left to do
    assert again.returncode == 0 and json.loads(again.stdout)["successful"] == 0


def test_learning_run_killed_between_the_sidecar_and_the_csv_then_rerun_gives_the_uninterrupted_result(
        offers_home, tmp_path):
    reference = copy_home(offers_home, tmp_path / "reference")
    crashed = copy_home(offers_home, tmp_path / "crashed")
    assert commerce(reference, "learn", "run").returncode == 0

    # The crashed home learns all offers but one first, so the killed run has learnings to add to a CSV.
    requests = crashed / "objects" / "offer-learning-data" / "offer-requests"
    held_back = sorted(requests.glob("700100_*.json"))
    aside = tmp_path / "aside"
    aside.mkdir()
    for p in held_back:
        p.rename(aside / p.name)
    assert commerce(crashed, "learn", "run").returncode == 0
    learnings = crashed / "objects" / "offer-learning-data" / "learnings"
    csv_before = (learnings / "product_swaps.csv").read_bytes()
    for p in held_back:
        (aside / p.name).rename(p)

    marker = tmp_path / "sidecar-written"
    proc = subprocess.Popen([sys.executable, str(SLOW_CLI), "learnings-sidecar", "--home", str(crashed), "learn", "run"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(FAULT_MARKER=str(marker)))
    kill_when(proc, marker.exists)
    meta = json.loads((learnings / "learning_meta.json").read_bytes())
    assert (learnings / "product_swaps.csv").read_bytes() == csv_before  # killed between the two writes
    assert meta["files"]["learnings/product_swaps.csv"]["previous_sha256"] != meta["files"][
        "learnings/product_swaps.csv"]["sha256"]  # the sidecar describes a CSV that was never written

    rerun = commerce(crashed, "learn", "run", "--json")
    assert rerun.returncode == 0, rerun.stderr
    repaired = json.loads(rerun.stdout)["repaired"]
    assert "learnings/product_swaps.csv" in [r["file"] for r in repaired]
    assert "learnings/product_swaps.csv" in rerun.stderr  # the warning names the file
    assert learning_outputs(crashed) == learning_outputs(reference)
    again = commerce(crashed, "learn", "run", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["successful"] == 0


# ---- the exporter ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def smartgo_home(tmp_path_factory):
    from commerce_platform.config import load_settings
    from commerce_platform.demo import smartgo

    home = tmp_path_factory.mktemp("faults-smartgo") / "home"
    smartgo.build(load_settings(home))
    return home


def export_state(home: Path, day: str):
    from commerce_platform import wiring
    from commerce_platform.config import load_settings
    from commerce_platform.exports.iceberg import export_table
    from commerce_platform.factory import sql_engine

    settings = load_settings(home)
    try:
        sink = export_table(settings)
        rows = sorted(
            (r["sale_id"], r["tenant_id"], str(r["sold_price"]), r["image_sha256"], r["embedding_error"],
             None if r["embedding"] is None else tuple(r["embedding"]))
            for r in (sink.scan().to_pylist() if sink.exists() else [])
        )
        referenced = set()
        if sink.exists():
            table = sink.reload()
            referenced = {p.removeprefix("file://") for p in table.inspect.all_files().column("file_path").to_pylist()}
        on_disk = {str(p) for p in settings.paths.iceberg_warehouse.rglob("*.parquet") if "/data/" in str(p)}
        record = wiring.progress_store(settings).get(day)
    finally:
        sql_engine.cache_clear()  # the next subprocess owns the SQLite files
    return rows, referenced, on_disk, record


def test_export_killed_before_its_commit_then_rerun_gives_the_uninterrupted_result(smartgo_home, tmp_path):
    from commerce_platform.exports.models import parse_day

    day = str(parse_day(None))  # yesterday, fixed once for both runs
    reference = copy_home(smartgo_home, tmp_path / "reference")
    crashed = copy_home(smartgo_home, tmp_path / "crashed")
    ref = commerce(reference, "export", "run", "--date", day, "--json")
    assert ref.returncode == 0, ref.stderr
    ref_summary = json.loads(ref.stdout)
    ref_rows, _, _, _ = export_state(reference, day)
    assert ref_rows and ref_summary["status"] in ("COMPLETE", "PARTIAL")

    warehouse = crashed / "lake"
    proc = subprocess.Popen(
        [sys.executable, str(SLOW_CLI), "export-append", "--home", str(crashed), "export", "run", "--date", day],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=env(FAULT_PAUSE_SECONDS="0.2", COMMERCE_EXPORT_FLUSH_ROWS="10"))
    kill_when(proc, lambda: len([p for p in warehouse.rglob("*.parquet") if "/data/" in str(p)]) >= 2)
    rows, referenced, on_disk, record = export_state(crashed, day)
    assert record["status"] == "RUNNING" and rows == []  # nothing committed; the record says RUNNING
    assert on_disk and not (on_disk & referenced)  # the dead run's uncommitted files
    dead_run = record["runId"]

    rerun = commerce(crashed, "export", "run", "--date", day, "--json")
    assert rerun.returncode == 0, rerun.stderr  # no LockHeld: the dead holder is taken over at once
    summary = json.loads(rerun.stdout)
    assert "lock taken over" in rerun.stderr and "removed data files of interrupted export runs" in rerun.stderr
    for key in ("status", "totalCount", "successCount", "errorCount", "exportedCount", "rejectedCount"):
        assert summary[key] == ref_summary[key], key
    assert summary["interruptedRunId"] == dead_run

    rows, referenced, on_disk, record = export_state(crashed, day)
    assert rows == ref_rows  # the same rows, each sale once
    assert len({r[0] for r in rows}) == len(rows)
    assert on_disk == referenced  # no orphan data files
    assert record["status"] == ref_summary["status"] and record["runId"] == summary["runId"]
