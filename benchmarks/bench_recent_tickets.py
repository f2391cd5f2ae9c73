"""The console's recent tickets: the previous read (scan the whole tickets table, sort by
created_at, keep 50) against the tickets' time index (``TicketStore.recent(50)``: one query of 50
index items carrying the summaries the console shows), on the local SQLite key-value store, same process, same data.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_recent_tickets.py [--sizes 1000,10000] [--repeat 7]

Prints per size the median seconds of each read, the items each read, and old/new.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from commerce_platform.ports.kv import SqlKeyValueTable
from commerce_platform.ports.sql import sql_engine
from commerce_platform.ports.ticket_store import TICKETS, TICKETS_BY_TIME, TicketStore

LIMIT = 50


def fill(store: TicketStore, n: int) -> None:
    for i in range(n):
        store.put({"ticket_id": f"T-{i:08d}", "customer_id": f"C{i % 500:04d}", "subject": f"subject {i}",
                   "body": "The pump I ordered has not arrived. " * 4, "channel": "email", "status": "open",
                   "created_at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00",
                   "suggestions": [{"id": f"doc#{k}", "score": 0.5} for k in range(3)]})


def median_seconds(fn, repeat: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = len(fn())
        times.append(time.perf_counter() - t0)
    return statistics.median(times), n


def measure(size: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = sql_engine(f"sqlite:///{Path(tmp) / 'platform.db'}")
        tickets, by_time = SqlKeyValueTable(engine, TICKETS), SqlKeyValueTable(engine, TICKETS_BY_TIME)
        store = TicketStore(tickets, by_time)
        fill(store, size)
        # The previous read: the whole table in one SELECT, sorted in Python.
        old = median_seconds(
            lambda: sorted((t for page in tickets.pages(page_size=size + 1) for t in page),
                           key=lambda t: t.get("created_at", ""), reverse=True)[:LIMIT], repeat)
        paged = median_seconds(lambda: list(tickets.scan()), repeat)
        store.recent(1)  # the one-time check of the index marker is not what is measured
        new = median_seconds(lambda: store.recent(LIMIT), repeat)
        assert [t["ticket_id"] for t in store.recent(LIMIT)] == [
            t["ticket_id"] for t in sorted(tickets.scan(), key=lambda t: (t["created_at"], t["ticket_id"]),
                                           reverse=True)[:LIMIT]], "both reads give the same tickets"
        print(f"{size:>8} {old[0]:>12.4f} {size:>10} {new[0]:>10.4f} {LIMIT:>10} {old[0] / new[0]:>8.1f}"
              f"   (paged scan of the table: {paged[0]:.4f} s, {paged[0] / old[0]:.2f} x one SELECT)")
        engine.dispose()
        sql_engine.cache_clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"{'tickets':>8} {'scan+sort s':>12} {'items read':>10} {'recent s':>10} {'items read':>10} {'old/new':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        measure(size, args.repeat)


if __name__ == "__main__":
    main()
