"""SmartGo exporter benchmark (issue 4).

1. Throughput: N sales (default 2,000) whose images come from a loopback HTTP server (a subprocess)
   with 100 ms latency per image: sales/s of our pipeline vs a reference implementation of the seed's
   design (5 sales at a time, download -> embed -> one Parquet file per sale), same machine, same run,
   same embedder, three ways (issue 15): default settings with the offline embedder; equal
   concurrency (ours 5 downloads / 5 embeddings vs the seed's 5); and a simulated Titan call of
   150 ms (a wait, like the real HTTP call) at default settings. Prints what bounds each run.
2. Data files written vs partitions (ours vs the reference), and files per partition after one run
   of 100,000 sales (table side only: the run's flushes appended and committed as an export does).
3. Peak memory (max RSS of a fresh subprocess) exporting 2,000 vs 20,000 sales. Goal: ratio < 2x.

Usage: .venv/bin/python benchmarks/bench_export.py [--sales 2000] [--latency 0.1] [--titan-latency 0.15]
       [--scale-sales 100000] [--big 20000] [--skip-memory]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _memory import peak_rss_kb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

DAY = "2026-03-10"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The loopback image server (tests/fixtures_exports.py) in its own process, so it does not share our GIL."""

    def __init__(self, latency: float) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fixtures_exports.py"), str(self.port),
                                      str(latency)], stdout=subprocess.PIPE, text=True)
        self.proc.stdout.readline()
        self.base = f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """utime + stime of the server process (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def make_source(path: Path, n: int, base: str, tenants: int = 4) -> str:
    from fixtures_exports import create_sales, sale

    url = f"sqlite:///{path}"
    rows = [sale(f"b{i:06d}", f"{base}/img/b{i}.png", tenant=f"tenant-{i % tenants}", hour=i % 24)
            for i in range(n)]
    create_sales(url, rows)
    return url


def settings_for(home: Path):
    from commerce_platform.config import load_settings

    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        del os.environ[key]
    s = load_settings(home)
    s.fetch_allow_hosts = "127.0.0.1"
    return s


# --------------------------------------------------------------------------- ours, instrumented
class TimedEmbedder:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.max_concurrency = getattr(inner, "max_concurrency", None)
        self.cpu = 0.0
        self.calls = 0
        self._lock = threading.Lock()

    def embed(self, image: bytes):
        t = time.thread_time()
        vec = self.inner.embed(image)
        with self._lock:
            self.cpu += time.thread_time() - t
            self.calls += 1
        return vec


class SimulatedTitan:
    """Titan's shape without AWS: the call waits ``latency`` seconds (a network wait: the GIL is
    free) and returns a deterministic unit vector of the image bytes, as cheap as an HTTP answer."""

    dim = 1024

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.name = f"simulated-titan-{latency * 1000:.0f}ms"

    def embed(self, image: bytes):
        import hashlib

        import numpy as np

        time.sleep(self.latency)
        seed = int.from_bytes(hashlib.sha256(image).digest()[:8], "little")
        vec = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return vec / np.linalg.norm(vec)


def _table_api():
    """(table of settings, replace(table, day) -> replacement, Replacement class): the port since issue 17."""
    try:
        from commerce_platform.exports.iceberg import day_filter, export_table
        from commerce_platform.ports.iceberg_table import Replacement

        return export_table, lambda t, day, **kw: t.replace(day_filter(day), **kw), Replacement
    except ImportError:  # before issue 17 (the "before" figures)
        from commerce_platform.exports.iceberg import IcebergSink, Replacement, day_filter

        return IcebergSink.from_settings, lambda t, day, **kw: t.replace(day_filter(day), **kw), Replacement


def timed_sink(settings):
    table_of, _replace, replacement_cls = _table_api()

    class TimedReplacement(replacement_cls):
        seconds = 0.0

        def append(self, batch):
            t = time.perf_counter()
            super().append(batch)
            TimedReplacement.seconds += time.perf_counter() - t

        def commit(self):
            t = time.perf_counter()
            super().commit()
            TimedReplacement.seconds += time.perf_counter() - t

    sink = table_of(settings)
    cls = type(sink)

    class TimedSink(cls):
        def replace(self, row_filter, write_id=None):
            return TimedReplacement(self, row_filter, write_id=write_id)

    sink.__class__ = TimedSink
    return sink, TimedReplacement


def run_ours(n: int, latency: float, server: Server, work: Path, name: str = "ours", embedder=None,
             downloads: int | None = None, embeds: int | None = None) -> dict:
    from commerce_platform.exports.service import table_partitions
    from commerce_platform.ports.image_embeddings import OfflineImageEmbedder
    from commerce_platform.wiring import run_export

    src = make_source(work / f"{name}.db", n, server.base)
    settings = settings_for(work / name)
    if downloads:
        settings.exports.download_concurrency = downloads
    if embeds:
        settings.exports.embed_concurrency = embeds
    emb = TimedEmbedder(embedder or OfflineImageEmbedder())
    sink, timed = timed_sink(settings)
    import httpx  # noqa: F401  (imports are not part of the run for either side)
    import pyiceberg.catalog.sql  # noqa: F401

    server_cpu = server.cpu_seconds()
    t, cpu = time.perf_counter(), time.process_time()
    summary = run_export(settings, date=DAY, source=src, embedder=emb, sink=sink)
    wall = time.perf_counter() - t
    cpu = time.process_time() - cpu
    server_cpu = server.cpu_seconds() - server_cpu
    parts = table_partitions(settings)
    cores = os.cpu_count() or 1
    E = settings.exports.embed_concurrency
    floors = {
        "network wait": n * latency / settings.exports.download_concurrency,
        # A CPU embedder runs on at most the cores; a remote one (Titan) waits, E calls at a time.
        "embedding": emb.cpu / min(E, cores) if isinstance(emb.inner, OfflineImageEmbedder)
        else n * getattr(emb.inner, "latency", 0.0) / E,
        "writing": timed.seconds,
        "CPU (GIL)": (cpu + server_cpu) / cores,
    }
    return {"wall": wall, "rate": n / wall, "summary": summary, "partitions": len(parts),
            "files": sum(p["files"] for p in parts), "floors": floors, "embed_cpu": emb.cpu,
            "D": settings.exports.download_concurrency, "E": E, "cpu": cpu, "server_cpu": server_cpu}


def files_at_scale(n: int, work: Path, tenants: int = 4) -> dict:
    """The table side only (no downloads): ``n`` sales of one day over ``tenants`` partitions, with
    1024-d embeddings, appended in the export's flushes of ``export_flush_rows`` and committed once,
    as a run does. Returns data files per partition."""
    import numpy as np

    from commerce_platform.exports.models import SaleRow, parse_day
    from commerce_platform.exports.pipeline import rows_to_arrow

    settings = settings_for(work / "scale")
    table_of, replace, _cls = _table_api()
    table = table_of(settings)
    replacement = replace(table, parse_day(DAY))
    schema = table.arrow_schema()
    rng = np.random.default_rng(7)
    from datetime import UTC, datetime
    from decimal import Decimal

    exported_at = datetime.now(UTC)
    flush = settings.exports.flush_rows
    t = time.perf_counter()
    for start in range(0, n, flush):
        rows = []
        for i in range(start, min(n, start + flush)):
            vec = rng.standard_normal(1024).astype(np.float32)
            rows.append(SaleRow(sale_id=f"s{i:07d}", tenant_id=f"tenant-{i % tenants}", product_id=None, title="x",
                                category="mug", brand="B", sold_price=Decimal("9.90"), currency="EUR",
                                sold_at=datetime(2026, 3, 10, i % 24, tzinfo=UTC), image_url=None,
                                image_sha256=f"{i:064x}", embedding=vec, embedding_model="m"))
        replacement.append(rows_to_arrow(rows, schema, exported_at))
    replacement.commit()
    wall = time.perf_counter() - t
    parts = table.partitions()
    return {"n": n, "partitions": len(parts), "files": sum(p["files"] for p in parts),
            "rows": sum(p["rows"] for p in parts), "flushes": -(-n // flush), "wall": wall}


# --------------------------------------------------------------------------- the seed's design
def run_reference(n: int, server: Server, work: Path, concurrency: int = 5, embedder=None, name: str = "ref") -> dict:
    """5 sales at a time; each: GET image, embed, write one Parquet file (tenant_id=/year=/month=/<sale>.parquet)."""
    import httpx
    import pyarrow as pa
    import pyarrow.parquet as pq
    import sqlalchemy as sa

    from commerce_platform.ports.image_embeddings import OfflineImageEmbedder

    src = make_source(work / f"{name}.db", n, server.base)
    out = work / name
    emb = embedder or OfflineImageEmbedder()
    engine = sa.create_engine(src)
    with engine.connect() as conn:
        sales = [dict(r._mapping) for r in conn.execute(sa.text("select * from sales"))]
    local = threading.local()

    def one(s: dict) -> None:
        client = getattr(local, "client", None) or httpx.Client(timeout=30, trust_env=False)
        local.client = client
        resp = client.get(s["image_url"])
        vec = emb.embed(resp.content)
        sold = s["sold_at"] if not isinstance(s["sold_at"], str) else s["sold_at"][:10]
        year, month = str(sold)[:4], str(sold)[5:7]
        d = out / f"tenant_id={s['tenant_id']}" / f"year={year}" / f"month={month}"
        d.mkdir(parents=True, exist_ok=True)
        row = {k: [str(v)] for k, v in s.items()}
        row["embedding"] = [vec.tolist()]
        pq.write_table(pa.table(row), d / f"{s['sale_id']}.parquet")

    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, sales))
    wall = time.perf_counter() - t
    files = list(out.rglob("*.parquet"))
    partitions = {f.parent for f in files}
    return {"wall": wall, "rate": n / wall, "files": len(files), "partitions": len(partitions)}


# --------------------------------------------------------------------------- memory, in subprocesses
def memory_child(n: int, source: str, home: str) -> None:
    """Only the export runs in this process (the source was built and the server started by the parent)."""
    from commerce_platform.wiring import run_export

    settings = settings_for(Path(home))
    before = peak_rss_kb()
    t = time.perf_counter()
    summary = run_export(settings, date=DAY, source=source)
    wall = time.perf_counter() - t
    peak = peak_rss_kb()
    from commerce_platform.exports.service import table_partitions

    parts = table_partitions(settings)
    print(json.dumps({"n": n, "peak_kb": peak, "before_kb": before, "wall": wall,
                      "exported": summary["exportedCount"], "status": summary["status"],
                      "files": sum(p["files"] for p in parts), "partitions": len(parts)}))


def measure_memory(n: int) -> dict:
    server = Server(0.0)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-mem-") as tmp:
            src = make_source(Path(tmp) / "mem.db", n, server.base)
            out = subprocess.run([sys.executable, __file__, "--memory-child", str(n), "--source", src,
                                  "--home", str(Path(tmp) / "home")], capture_output=True, text=True, timeout=1800)
    finally:
        server.stop()
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bounds(ours: dict) -> None:
    floors = ours["floors"]  # each a lower bound on wall time; the largest is what bounds the run
    bound = max(floors, key=floors.get)
    for name, secs in floors.items():
        print(f"      {name:<14} {secs:6.2f} s{'   <- bound' if name == bound else ''}")
    if ours["wall"] > 1.5 * max(floors.values()):
        print(f"      no single floor explains the wall time: the exporter averaged {ours['cpu'] / ours['wall']:.2f} "
              f"of a core (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): it waits for CPU")


def _line(label: str, ours: dict, ref: dict) -> None:
    s = ours["summary"]
    print(f"  {label}")
    print(f"    ours      {ours['rate']:8.1f} sales/s  ({ours['wall']:.2f} s, {ours['D']} downloads / {ours['E']} "
          f"embeddings at a time, {s['status']}, {s['successCount']} embedded)")
    print(f"    reference {ref['rate']:8.1f} sales/s  ({ref['wall']:.2f} s, 5 at a time, one Parquet file per sale)")
    print(f"    ratio     {ours['rate'] / ref['rate']:8.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sales", type=int, default=2000)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--titan-latency", type=float, default=0.15, help="simulated Titan call (s)")
    ap.add_argument("--scale-sales", type=int, default=100_000, help="sales of the files-per-partition check")
    ap.add_argument("--big", type=int, default=20000)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--memory-child", type=int)
    ap.add_argument("--source")
    ap.add_argument("--home")
    args = ap.parse_args()
    if args.memory_child:
        import logging

        logging.disable(logging.WARNING)
        memory_child(args.memory_child, args.source, args.home)
        return

    import logging

    logging.disable(logging.WARNING)
    print(f"SmartGo export benchmark: {args.sales} sales, {args.latency * 1000:.0f} ms image latency, "
          f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}")
    server = Server(args.latency)
    titan = SimulatedTitan(args.titan_latency)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
            work = Path(tmp)
            ours = run_ours(args.sales, args.latency, server, work)
            ref = run_reference(args.sales, server, work)
            equal = run_ours(args.sales, args.latency, server, work, name="equal", downloads=5, embeds=5)
            ours_titan = run_ours(args.sales, args.latency, server, work, name="titan", embedder=titan)
            ref_titan = run_reference(args.sales, server, work, embedder=titan, name="ref-titan")
            scale = files_at_scale(args.scale_sales, work)
    finally:
        server.stop()
    print("\n1. throughput (offline embedder, same image server, same run)")
    _line("default settings", ours, ref)
    print("    what bounds ours (lower bounds on wall time):")
    _bounds(ours)
    _line("equal concurrency (5 downloads, 5 embeddings vs 5 sales at a time)", equal, ref)
    _line(f"Titan latency ({args.titan_latency * 1000:.0f} ms a call, simulated; default settings)", ours_titan,
          ref_titan)
    print("    what bounds ours at Titan latency:")
    _bounds(ours_titan)
    print("\n2. data files vs partitions")
    print(f"  ours      {ours['files']:5d} data files for {ours['partitions']} partitions ({args.sales} sales)")
    print(f"  reference {ref['files']:5d} data files for {ref['partitions']} partitions")
    print(f"  at {scale['n']:,} sales ({scale['flushes']} flushes of the run): {scale['files']} data files for "
          f"{scale['partitions']} partitions = {scale['files'] / max(1, scale['partitions']):.1f} per partition "
          f"({scale['rows']:,} rows, {scale['wall']:.1f} s)")
    if args.skip_memory:
        return
    print("\n3. peak memory (max RSS of a fresh process, images from a 0 ms loopback server)")
    small = measure_memory(args.sales)
    big = measure_memory(args.big)
    for m in (small, big):
        print(f"  {m['n']:6d} sales  peak {m['peak_kb'] / 1024:7.1f} MB  (before run {m['before_kb'] / 1024:6.1f} MB, "
              f"{m['wall']:.1f} s, exported {m['exported']} into {m['files']} files / {m['partitions']} partitions)")
    print(f"  ratio     {big['peak_kb'] / small['peak_kb']:.2f}x for {args.big // args.sales}x the sales  (goal < 2x)")


if __name__ == "__main__":
    main()
