"""Copilot performance on a large lake (>= 10 million order_items).

    .venv/bin/python benchmarks/bench_copilot.py [--scale 1000] [--lake DIR] [--skip-sqlite]

1. builds the demo lake at ``--scale`` into a temporary folder (or uses ``--lake``),
2. for a fixed question list: offline generation + guard time vs DuckDB execution time,
3. DuckDB vs SQLite on the same SQL and the same data (SQLite loaded from the Parquet files,
   SQL transpiled with sqlglot), reporting the time ratio,
4. peak memory of the query phase alone: the lake is built in a child process, so this process's
   peak RSS (VmHWM) after the DuckDB questions is imports + vocabulary + lexicon + queries; the
   SQLite comparison that follows loads the whole lake into SQLite and is reported apart.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

QUESTIONS = [
    "show me low stock products",
    "stock per warehouse",
    "how many orders did we get last month",
    "revenue by month for 2025",
    "who are our top 10 customers",
    "sales by category",
    "top 10 products by revenue",
    "units sold per category in 2025",
    "revenue per channel in 2026",
    "average order value by channel",
    "what is the status of order 1234",
    "customers who never ordered",
    "products most often bought together with Makita Copper Pipe",
    "best sellers in Garden",
    "average delivery time by carrier",
    "revenue by city",
    # misspelt words: typo mending searches the lexicon (one slip, then two slips on 6+ letters)
    "revenue by cateogry for 2025",
    "custmers who never ordered",
    "averge delievry time by carrier",
    "shipmnets by carreir last month",
]
AS_OF = date(2026, 11, 1)


sys.path.insert(0, str(Path(__file__).parent))
from _memory import peak_rss_kb  # noqa: E402

BUILD = """
import json, sys
from pathlib import Path
from commerce_platform.demo.retail import build_lake
print(json.dumps(build_lake(Path(sys.argv[1]), scale=float(sys.argv[2]))))
"""


def peak_rss_mb() -> float:
    return peak_rss_kb() / 1024


def load_sqlite(lake: Path, db: Path) -> float:
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    types = {"int32": "INTEGER", "int64": "INTEGER", "double": "REAL", "bool": "INTEGER", "string": "TEXT",
             "date32[day]": "TEXT", "timestamp[us]": "TEXT"}
    for f in sorted(lake.glob("*.parquet")):
        pf = pq.ParquetFile(f)
        cols = [(fld.name, types.get(str(fld.type), "TEXT")) for fld in pf.schema_arrow]
        con.execute(f"CREATE TABLE {f.stem} ({', '.join(f'{n} {t}' for n, t in cols)})")
        marks = ", ".join("?" * len(cols))
        for batch in pf.iter_batches(batch_size=200_000):
            pyd = batch.to_pydict()
            rows = zip(*[[None if v is None else (v.isoformat(sep=" ") if hasattr(v, "hour") else
                                                  v.isoformat() if hasattr(v, "isoformat") else v)
                          for v in pyd[n]] for n, _ in cols], strict=True)
            con.executemany(f"INSERT INTO {f.stem} VALUES ({marks})", rows)
        con.commit()
    for stmt in ("CREATE INDEX oi_order ON order_items(order_id)", "CREATE INDEX oi_product ON order_items(product_id)",
                 "CREATE INDEX o_customer ON orders(customer_id)", "CREATE INDEX o_id ON orders(order_id)",
                 "CREATE INDEX s_order ON shipments(order_id)", "CREATE INDEX i_product ON inventory(product_id)"):
        con.execute(stmt)
    con.commit()
    con.close()
    return time.perf_counter() - t0


TRUNC = {"MONTH": "strftime('%Y-%m-01', {x})", "YEAR": "strftime('%Y-01-01', {x})", "DAY": "DATE({x})",
         "QUARTER": "printf('%s-%02d-01', strftime('%Y', {x}), ((CAST(strftime('%m', {x}) AS INTEGER) - 1) / 3) * 3 + 1)"}


def to_sqlite(sql: str) -> str:
    """sqlglot's SQLite output plus date truncation, which SQLite spells with strftime."""
    import re

    import sqlglot

    out = sqlglot.transpile(sql, read="duckdb", write="sqlite")[0]
    return re.sub(r"TIMESTAMP_TRUNC\(([^,()]+), (MONTH|YEAR|DAY|QUARTER)\)",
                  lambda m: TRUNC[m.group(2)].replace("{x}", m.group(1)), out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1000.0)
    ap.add_argument("--lake", type=Path)
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--sqlite-timeout", type=float, default=120.0)
    args = ap.parse_args(argv)

    from commerce_platform.copilot.guard import check_sql
    from commerce_platform.copilot.parser import SemanticParser
    from commerce_platform.copilot.semantic import Vocabulary
    from commerce_platform.ports.query_engine import DuckDBEngine

    with tempfile.TemporaryDirectory(prefix="bench-copilot-") as tmp:
        lake = args.lake
        if lake is None:
            lake = Path(tmp) / "retail"
            t0 = time.perf_counter()
            # In a child process: building the lake must not count in the query phase's peak memory.
            built = subprocess.run([sys.executable, "-c", BUILD, str(lake), str(args.scale)], check=True,
                                   capture_output=True, text=True)
            counts = json.loads(built.stdout.strip().splitlines()[-1])
            print(f"lake built at scale {args.scale:g} in {time.perf_counter() - t0:.1f} s (child process): "
                  f"{counts['order_items']:,} order_items, {counts['orders']:,} orders, "
                  f"{counts['customers']:,} customers, {counts['products']:,} products")
        engine = DuckDBEngine(lake, timeout_seconds=120, memory_limit="2GB")
        t0 = time.perf_counter()
        vocab = Vocabulary.from_engine(engine)
        print(f"vocabulary from the lake: {time.perf_counter() - t0:.2f} s "
              f"({len(vocab.customer_names):,} customer names, {len(vocab.product_names):,} product names)")
        t0 = time.perf_counter()
        parser = SemanticParser(vocab)
        print(f"lexicon from the layer and the vocabulary: {time.perf_counter() - t0:.2f} s "
              f"(once per engine; {len(parser.lexicon.phrases):,} phrases)")
        check_sql(parser.parse("revenue by city", AS_OF).sql)  # warm up sqlglot before timing
        rows = []
        for q in QUESTIONS:
            t0 = time.perf_counter()
            parsed = parser.parse(q, AS_OF)
            t1 = time.perf_counter()
            guarded = check_sql(parsed.sql)
            t2 = time.perf_counter()
            result = engine.execute(guarded.sql)
            t3 = time.perf_counter()
            rows.append({"q": q, "sql": guarded.sql, "gen": t1 - t0, "guard": t2 - t1, "exec": t3 - t2,
                         "rows": len(result.rows)})
        duck_rss = peak_rss_mb()
        print(f"\n{'question':60s} {'gen ms':>7s} {'guard ms':>8s} {'duckdb ms':>9s} {'rows':>5s}")
        for r in rows:
            print(f"{r['q'][:60]:60s} {r['gen'] * 1000:7.2f} {r['guard'] * 1000:8.2f} {r['exec'] * 1000:9.1f} "
                  f"{r['rows']:5d}")
        gen_guard = [r["gen"] + r["guard"] for r in rows]
        execs = [r["exec"] for r in rows]
        print(f"median generation+guard {statistics.median(gen_guard) * 1000:.2f} ms, median DuckDB execution "
              f"{statistics.median(execs) * 1000:.1f} ms (execution/generation ratio "
              f"{statistics.median(execs) / statistics.median(gen_guard):.0f}x)")
        share = sum(gen_guard) / sum(execs)
        print(f"generation+guard is {share:.1%} of execution time over all questions (goal: under 10%): "
              f"{'met' if share < 0.10 else 'NOT met'}")
        print(f"peak RSS of the query phase (imports, vocabulary, lexicon, DuckDB queries; lake built elsewhere): "
              f"{duck_rss:.0f} MB")
        if args.skip_sqlite:
            return 0
        db = Path(tmp) / "lake.sqlite"
        load_s = load_sqlite(lake, db)
        print(f"\nSQLite loaded from the same Parquet in {load_s:.1f} s (with indexes on join keys); "
              f"peak RSS {peak_rss_mb():.0f} MB")
        con = sqlite3.connect(db)
        ratios: list[float] = []
        timeouts: list[float] = []
        print(f"{'question':60s} {'duckdb ms':>9s} {'sqlite ms':>10s} {'ratio':>7s}")
        for r in rows:
            try:
                sql = to_sqlite(r["sql"])
                deadline = time.perf_counter() + args.sqlite_timeout
                con.set_progress_handler(lambda d=deadline: 1 if time.perf_counter() > d else 0, 100_000)
                t0 = time.perf_counter()
                out = con.execute(sql).fetchall()
                t = time.perf_counter() - t0
                same = len(out) == r["rows"]
                ratios.append(t / r["exec"])
                print(f"{r['q'][:60]:60s} {r['exec'] * 1000:9.1f} {t * 1000:10.1f} {t / r['exec']:6.1f}x"
                      f"{'' if same else '  (row count differs: dialect)'}")
            except sqlite3.OperationalError as exc:
                if "interrupt" in str(exc):
                    bound = args.sqlite_timeout / r["exec"]
                    timeouts.append(bound)
                    print(f"{r['q'][:60]:60s} {r['exec'] * 1000:9.1f} {'>' + format(args.sqlite_timeout * 1000, '.0f'):>10s} "
                          f">{bound:5.1f}x  (stopped at the {args.sqlite_timeout:g} s limit)")
                else:
                    print(f"{r['q'][:60]:60s} {r['exec'] * 1000:9.1f} {'n/a':>10s}  ({str(exc)[:40]})")
        con.close()
        if ratios:
            print(f"DuckDB vs SQLite: median SQLite/DuckDB time ratio {statistics.median(ratios):.1f}x "
                  f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x over {len(ratios)} finished queries; "
                  f"{len(timeouts)} more stopped at the limit, each > {min(timeouts, default=0):.0f}x)")
            both = ratios + timeouts  # the stopped ones count with their lower bound
            print(f"median over all {len(both)} queries (stopped ones at their lower bound): "
                  f">= {statistics.median(both):.1f}x")
        print(f"peak RSS including the SQLite load and queries: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
