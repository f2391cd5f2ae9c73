"""An export whose previous run died: the dead run's lock is taken over at once, its progress
record is closed as FAILED with a reason, and the data files it wrote but never committed are
removed, while committed files and other runs' pending files stay."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

try:  # tests/ may or may not be a package
    from tests.fixtures_exports import create_sales, sale
except ImportError:  # pragma: no cover
    from fixtures_exports import create_sales, sale

from commerce_platform import wiring
from commerce_platform.exports.iceberg import export_table
from commerce_platform.ports.fetcher import ImageFetcher
from commerce_platform.ports.locks import host_id
from commerce_platform.ports.urlsafety import UrlPolicy

pytestmark = pytest.mark.integration
DAY = "2026-03-10"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def run(settings, source, **kw):
    from commerce_platform.factory import object_store

    fetcher = ImageFetcher(UrlPolicy(settings.allowed_fetch_hosts()), store=object_store(settings), concurrency=4,
                           timeout=2.0, backoff=0.01)
    return wiring.run_export(settings, date=DAY, source=source, fetcher=fetcher, **kw)


def data_files_on_disk(settings) -> set[str]:
    return {str(p) for p in Path(settings.paths.iceberg_warehouse).rglob("*.parquet") if "/data/" in str(p)}


def test_dead_runs_lock_record_and_files_are_cleaned_up(settings, server, tmp_path, caplog):
    settings.fetch_allow_hosts = "127.0.0.1"
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale(f"s{i}", server.url(f"/img/p{i}.png"), tenant="t1" if i % 2 else "t2")
                       for i in range(1, 7)])
    first = run(settings, src)
    assert first["status"] == "COMPLETE"
    committed = data_files_on_disk(settings)
    assert committed == {p.removeprefix("file://") for p in export_table(settings).data_files()}

    # A single-tenant run of the day was killed after writing data files, before its commit.
    dead_write, live_write = str(uuid.uuid4()), str(uuid.uuid4())
    sample = Path(sorted(committed)[0])
    dead_files = [sample.with_name(f"00000-{n}-{dead_write}.parquet") for n in range(2)]
    live_file = sample.with_name(f"00000-0-{live_write}.parquet")  # another day's run, not committed yet
    ancient = sample.with_name(f"00000-0-{uuid.uuid4()}.parquet")  # left by a crash long ago
    for f in (*dead_files, live_file, ancient):
        shutil.copy(sample, f)
    past = time.time() - 3 * 86400
    os.utime(ancient, (past, past))
    store = wiring.progress_store(settings)
    store.put(DAY, "t2", status="RUNNING", runId="dead-run", writeId=dead_write, totalCount=0, successCount=0,
              errorCount=0)
    store.table.put({"PK": f"LOCK#export-{DAY}", "SK": "LOCK", "owner": "dead-owner", "host": host_id(),
                     "pid": dead_pid(), "acquired_at": 1}, ttl_seconds=3600)

    again = run(settings, src)  # no LockHeld: the holder's process is gone
    assert again["status"] == "COMPLETE" and again["totalCount"] == 6
    dead = store.get(DAY, "t2")
    assert dead["status"] == "FAILED" and dead["runId"] == "dead-run"
    assert "interrupted" in dead["error"] and again["runId"] in dead["error"] and dead["endTime"]
    assert not any(f.exists() for f in dead_files) and not ancient.exists()
    assert live_file.exists()  # unreferenced but possibly in use: kept
    rows = export_table(settings).scan().to_pylist()
    assert sorted(r["sale_id"] for r in rows) == [f"s{i}" for i in range(1, 7)]
    assert any(r.getMessage() == "lock taken over: its holder's process is gone" for r in caplog.records)
    assert store.table.get(f"LOCK#export-{DAY}", "LOCK") is None  # released after the run


def test_a_whole_day_record_left_running_is_closed_by_the_next_run(settings, server, tmp_path):
    settings.fetch_allow_hosts = "127.0.0.1"
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("a1", server.url("/img/a1.png"))])
    store = wiring.progress_store(settings)
    store.put(DAY, None, status="RUNNING", runId="dead-run", writeId=str(uuid.uuid4()), totalCount=0,
              successCount=0, errorCount=0)
    summary = run(settings, src)
    assert summary["status"] == "COMPLETE" and summary["interruptedRunId"] == "dead-run"
